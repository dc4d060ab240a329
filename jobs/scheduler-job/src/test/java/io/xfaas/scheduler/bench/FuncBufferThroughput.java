package io.xfaas.scheduler.bench;

import io.xfaas.records.Criticality;
import io.xfaas.records.Invocation;
import io.xfaas.records.Outcome;
import io.xfaas.records.TenantSettings;
import io.xfaas.scheduler.buffer.FuncBufferFixtures;
import io.xfaas.scheduler.buffer.TenantEvent;
import java.util.List;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;

/**
 * The FuncBuffer's hot path alone, on RocksDB under Flink's harness: quotas not binding, every call
 * dispatched on arrival and its result coming back later. Prints calls per second (arrival plus
 * result) and the thread's CPU time per call (steadier than the rate on a shared machine) over
 * {@code runs} runs, with a checkpoint (the flush before the barrier, then the snapshot) every
 * {@code checkpointEvery} calls, as the job takes one every 300 ms at ~100 k calls/s. Not a test:
 * run it by hand, e.g.
 *
 * <pre>
 * mvn -B -q -pl jobs/scheduler-job test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.xfaas.scheduler.bench.FuncBufferThroughput -Dexec.args="10000 200000 3 30000"
 * </pre>
 */
public final class FuncBufferThroughput {
  public static void main(String[] args) throws Exception {
    int tenants = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int calls = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    int checkpointEvery = args.length > 3 ? Integer.parseInt(args[3]) : 30_000;
    for (int r = 0; r < runs; r++) {
      var threads = java.lang.management.ManagementFactory.getThreadMXBean();
      long cpu0 = threads.getCurrentThreadCpuTime();
      double rate = run(tenants, calls, checkpointEvery);
      double cpuMicros = (threads.getCurrentThreadCpuTime() - cpu0) / 1e3 / calls;
      System.out.printf(
          "tenants %d, calls %d: %.0f calls/s, %.1f µs CPU per call (arrival + result)%n",
          tenants, calls, rate, cpuMicros);
    }
  }

  private static double run(int tenants, int calls, int checkpointEvery) throws Exception {
    long t0 = 1_800_000_000_000L;
    TenantSettings quota =
        new TenantSettings("*", 1e9, 1_000_000, 1_000_000, 1, 1_000_000, List.of(), null, 0);
    try (var h = FuncBufferFixtures.harness(FuncBufferFixtures.bufferSettings(1e12, quota))) {
      org.apache.flink.configuration.Configuration rocks =
          new org.apache.flink.configuration.Configuration();
      io.xfaas.scheduler.SchedulerJob.rocksDbOptions(rocks);
      h.setStateBackend(
          new EmbeddedRocksDBStateBackend(true)
              .configure(rocks, FuncBufferThroughput.class.getClassLoader()));
      // A million tenants' operator state is more than the 5 MB of the default memory storage.
      h.setCheckpointStorage(
          new org.apache.flink.runtime.state.storage.JobManagerCheckpointStorage(256 << 20));
      h.setup();
      h.open();
      h.setProcessingTime(t0);
      int lag = 1000; // results come back this many calls later
      long start = System.nanoTime();
      for (int i = 0; i < calls + lag; i++) {
        if (i < calls) {
          String tenant = "t" + (i % tenants);
          Invocation call =
              FuncBufferFixtures.invocation(
                  "c" + i, tenant, "echo", Criticality.NORMAL, 0, t0, null, null, "{\"n\":1}");
          h.processElement(TenantEvent.invocation(call), t0);
        }
        if (i >= lag) {
          int j = i - lag;
          Outcome result =
              FuncBufferFixtures.succeeded("c" + j, "t" + (j % tenants), Criticality.NORMAL, t0);
          h.processElement(TenantEvent.result(result), t0);
        }
        if (i % 10_000 == 0) {
          h.setProcessingTime(t0 + i / 100);
          h.getOutput().clear();
        }
        if (checkpointEvery > 0 && i > 0 && i % checkpointEvery == 0) {
          FuncBufferFixtures.snapshot(h, i / checkpointEvery, t0 + i / 100);
        }
      }
      return calls / ((System.nanoTime() - start) / 1e9);
    }
  }
}
