package io.xfaas.scheduler.bench;

import io.xfaas.records.Criticality;
import io.xfaas.records.Invocation;
import io.xfaas.records.Outcome;
import io.xfaas.records.OutcomeStatus;
import io.xfaas.records.TenantSettings;
import io.xfaas.scheduler.buffer.ControlEvent;
import io.xfaas.scheduler.buffer.FuncBuffer;
import io.xfaas.scheduler.buffer.TenantEvent;
import io.xfaas.scheduler.operators.FuncBufferFunction;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;

/**
 * The FuncBuffer's hot path alone, on RocksDB under Flink's harness: quotas not binding, every call
 * dispatched on arrival and its result coming back later. Prints calls per second (arrival plus
 * result) and the thread's CPU time per call (steadier than the rate on a shared machine) over
 * {@code runs} runs. Not a test: run it by hand, e.g.
 *
 * <pre>
 * mvn -B -q -pl jobs/scheduler-job test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.xfaas.scheduler.bench.FuncBufferThroughput -Dexec.args="10000 200000 3"
 * </pre>
 */
public final class FuncBufferThroughput {
  public static void main(String[] args) throws Exception {
    int tenants = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int calls = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    for (int r = 0; r < runs; r++) {
      var threads = java.lang.management.ManagementFactory.getThreadMXBean();
      long cpu0 = threads.getCurrentThreadCpuTime();
      double rate = run(tenants, calls);
      double cpuMicros = (threads.getCurrentThreadCpuTime() - cpu0) / 1e3 / calls;
      System.out.printf(
          "tenants %d, calls %d: %.0f calls/s, %.1f µs CPU per call (arrival + result)%n",
          tenants, calls, rate, cpuMicros);
    }
  }

  private static double run(int tenants, int calls) throws Exception {
    long t0 = 1_800_000_000_000L;
    TenantSettings quota =
        new TenantSettings("*", 1e9, 1_000_000, 1_000_000, 1, 1_000_000, List.of(), null, 0);
    var fn =
        new FuncBufferFunction(
            new FuncBuffer.Settings("local", 1e12, quota, 60_000, Duration.ofHours(24), 1000));
    try (var h =
        new KeyedBroadcastOperatorTestHarness<String, TenantEvent, ControlEvent, Invocation>(
            new CoBroadcastWithKeyedOperator<>(fn, List.of(FuncBufferFunction.SETTINGS)),
            TenantEvent::tenant,
            Types.STRING,
            128,
            1,
            0)) {
      org.apache.flink.configuration.Configuration rocks =
          new org.apache.flink.configuration.Configuration();
      io.xfaas.scheduler.SchedulerJob.rocksDbOptions(rocks);
      h.setStateBackend(
          new EmbeddedRocksDBStateBackend(true)
              .configure(rocks, FuncBufferThroughput.class.getClassLoader()));
      h.setup();
      h.open();
      h.setProcessingTime(t0);
      int lag = 1000; // results come back this many calls later
      long start = System.nanoTime();
      for (int i = 0; i < calls + lag; i++) {
        if (i < calls) {
          String tenant = "t" + (i % tenants);
          h.processElement(TenantEvent.invocation(call("c" + i, tenant, t0)), t0);
        }
        if (i >= lag) {
          int j = i - lag;
          h.processElement(TenantEvent.result(result("c" + j, "t" + (j % tenants), t0)), t0);
        }
        if (i % 10_000 == 0) {
          h.setProcessingTime(t0 + i / 100);
          h.getOutput().clear();
        }
      }
      return calls / ((System.nanoTime() - start) / 1e9);
    }
  }

  private static Invocation call(String id, String tenant, long t0) {
    return new Invocation(
        id,
        tenant,
        "echo",
        Criticality.NORMAL,
        0,
        t0,
        null,
        null,
        1,
        3,
        "{\"n\":1}",
        Map.of(),
        null,
        Map.of());
  }

  private static Outcome result(String id, String tenant, long t0) {
    return new Outcome(
        id,
        tenant,
        "echo",
        Criticality.NORMAL,
        OutcomeStatus.SUCCEEDED,
        null,
        null,
        1,
        t0,
        t0,
        t0,
        t0,
        "local",
        null);
  }
}
