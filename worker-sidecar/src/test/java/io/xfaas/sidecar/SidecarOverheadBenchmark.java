package io.xfaas.sidecar;

import io.xfaas.records.Invocation;
import io.xfaas.testing.EmbeddedKafkaExtension;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The sidecar's own overhead, measured rather than tested: no-op ({@code echo}) calls per second
 * through one sidecar on an embedded broker, and the latency the sidecar adds at a moderate rate
 * (from the RunQ record's timestamp to its result's, so it includes Kafka's fetch and write).
 *
 * <p>The rate is the drain of a backlog, from the sidecar's first assigned partition to its last
 * result acknowledged, after a warm-up drain ({@code -Dbench.warmup=calls}, 50,000 by default) by
 * another sidecar, so that it measures a sidecar whose code is compiled, as a long-running one is.
 * Beside it, CPU per call: the whole process's (sidecar and broker, which share this JVM) and the
 * sidecar's own threads' (poll, calls, its producer), over the same span, because on a shared
 * machine the CPU per call is steadier than the rate.
 *
 * <pre>
 * mvn -B -q -pl worker-sidecar -am test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp worker-sidecar/target/test-classes:worker-sidecar/target/classes:$(cat worker-sidecar/target/cp.txt) \
 *     io.xfaas.sidecar.SidecarOverheadBenchmark [calls [payload-bytes]]
 * </pre>
 *
 * <p>Options can be set with {@code -Dxfaas.sidecar.*=value}, to compare them. With {@code
 * -Dbench.threads=true}, it also prints the CPU of the process by thread group (sidecar, broker,
 * other Java threads, and the rest: GC, JIT and the VM).
 */
public final class SidecarOverheadBenchmark {
  private SidecarOverheadBenchmark() {}

  public static void main(String[] args) throws Exception {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    String payload = args.length > 1 ? payload(Integer.parseInt(args[1])) : null;
    int partitions = 4;
    Map<String, String> tuning = new HashMap<>();
    tuning.put("xfaas.sidecar.threads", "64");
    tuning.put("xfaas.sidecar.window-initial", "32");
    // Any -Dxfaas.* option overrides, to compare settings.
    System.getProperties()
        .forEach(
            (k, v) -> {
              if (k.toString().startsWith("xfaas.")) tuning.put(k.toString(), v.toString());
            });
    int warmup = Integer.getInteger("bench.warmup", 50_000);
    try (EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension().start()) {
      if (warmup > 0) {
        SidecarFixture w = SidecarFixture.create(kafka, partitions);
        w.writeRunQ(
            echoes("w", warmup, payload), inv -> Math.floorMod(inv.id().hashCode(), partitions));
        try (WorkerSidecar s =
            new WorkerSidecar(w.config(tuning), FunctionRegistry.fromServiceLoader()).start()) {
          w.awaitGroupAtEndOfRunQ(Duration.ofMinutes(10));
        }
      }
      // Throughput: a backlog, drained by one sidecar.
      SidecarFixture f = SidecarFixture.create(kafka, partitions);
      f.writeRunQ(
          echoes("t", calls, payload), inv -> Math.floorMod(inv.id().hashCode(), partitions));
      long t0 = System.nanoTime();
      try (WorkerSidecar s =
          new WorkerSidecar(f.config(tuning), FunctionRegistry.fromServiceLoader()).start()) {
        while (s.assignment().isEmpty()) Thread.sleep(1);
        Cpu cpu = new Cpu(s.name());
        long t1 = System.nanoTime();
        while (s.processed() < calls && s.isRunning()) Thread.sleep(1);
        long t2 = System.nanoTime();
        Cpu used = cpu.since();
        if (Boolean.getBoolean("bench.threads")) cpu.printByGroup(calls);
        double drain = (t2 - t1) / 1e9;
        System.out.printf(
            "throughput: %d no-op calls in %.2f s = %.0f calls/s (one sidecar, %d cores;"
                + " %.2f s with the group join)%n",
            s.processed(),
            drain,
            s.processed() / drain,
            Runtime.getRuntime().availableProcessors(),
            (t2 - t0) / 1e9);
        System.out.printf(
            "cpu per call: %.1f us process (sidecar and broker), %.1f us sidecar threads%n",
            used.processNanos / 1e3 / calls, used.sidecarNanos / 1e3 / calls);
        f.awaitGroupAtEndOfRunQ(Duration.ofMinutes(10));
      }

      // Added latency: a steady trickle, each call written while the sidecar is idle-ish.
      SidecarFixture g = SidecarFixture.create(kafka, partitions);
      try (WorkerSidecar s =
          new WorkerSidecar(g.config(tuning), FunctionRegistry.fromServiceLoader()).start()) {
        org.awaitility.Awaitility.await().until(() -> !s.assignment().isEmpty());
        for (int round = 0; round < 20; round++) {
          g.writeRunQ(
              echoes("l" + round + "-", 100, payload),
              inv -> Math.floorMod(inv.id().hashCode(), partitions));
        }
        g.awaitGroupAtEndOfRunQ(Duration.ofMinutes(2));
      }
      Map<String, Long> written = new HashMap<>();
      for (ConsumerRecord<byte[], byte[]> r : g.readAll(g.topics().runq())) {
        written.put(
            io.xfaas.serde.Json.MAPPER.readTree(r.value()).get("id").asText(), r.timestamp());
      }
      long[] added =
          g.readAll(g.topics().results()).stream()
              .mapToLong(r -> r.timestamp() - written.get(new String(r.key())))
              .sorted()
              .toArray();
      System.out.printf(
          "added latency (RunQ append -> result append), %d calls: p50 %d ms, p99 %d ms%n",
          added.length, added[added.length / 2], added[(int) Math.ceil(added.length * 0.99) - 1]);
    }
  }

  private static List<Invocation> echoes(String prefix, int n, String payload) {
    return IntStream.range(0, n)
        .mapToObj(i -> SidecarFixture.invocation(prefix + i, "echo", payload))
        .toList();
  }

  /** A JSON object of about {@code bytes} bytes, with a nested object, numbers and a string. */
  private static String payload(int bytes) {
    String head = "{\"order\":{\"id\":12345,\"lines\":[1,2,3]},\"note\":\"";
    return head + "x".repeat(Math.max(0, bytes - head.length() - 2)) + "\"}";
  }

  /**
   * CPU time used from its creation: the process's, and that of the threads named after the sidecar
   * (its poll and call threads, its producer's network thread).
   */
  private static final class Cpu {
    private final String sidecar;
    private final long processNanos;
    private final long sidecarNanos;
    private final Map<Long, Long> threadStart;
    private final Map<Long, Long> allStart;
    private final Map<Long, String> names = new HashMap<>();

    Cpu(String sidecar) {
      this.sidecar = sidecar;
      this.processNanos = processCpu();
      this.threadStart = sidecarThreads(sidecar);
      this.allStart = allThreads(names);
      this.sidecarNanos = 0;
    }

    /**
     * CPU per call by thread group since creation; threads that ended meanwhile are not counted.
     */
    void printByGroup(int calls) {
      Map<Long, String> now = new HashMap<>();
      Map<Long, Long> end = allThreads(now);
      Map<String, Long> groups = new java.util.TreeMap<>();
      long java = 0;
      for (Map.Entry<Long, Long> e : end.entrySet()) {
        long used = e.getValue() - allStart.getOrDefault(e.getKey(), 0L);
        java += used;
        String n = now.get(e.getKey());
        String group =
            n.contains(sidecar)
                ? (n.contains("producer") ? "sidecar producer" : n.replaceAll("-\\d+$", ""))
                : n.startsWith("kafka-producer")
                    ? "benchmark producers"
                    : n.equals("main") ? "main" : "broker and other";
        groups.merge(group, used, Long::sum);
      }
      groups.put("GC, JIT, VM (not Java threads)", processCpu() - processNanos - java);
      groups.forEach((g, ns) -> System.out.printf("  %-40s %6.1f us/call%n", g, ns / 1e3 / calls));
    }

    private static Map<Long, Long> allThreads(Map<Long, String> names) {
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      Map<Long, Long> out = new HashMap<>();
      for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
        if (t == null) continue;
        long cpu = threads.getThreadCpuTime(t.getThreadId());
        if (cpu < 0) continue;
        out.put(t.getThreadId(), cpu);
        names.put(t.getThreadId(), t.getThreadName());
      }
      return out;
    }

    private Cpu(long processNanos, long sidecarNanos) {
      this.sidecar = null;
      this.processNanos = processNanos;
      this.sidecarNanos = sidecarNanos;
      this.threadStart = Map.of();
      this.allStart = Map.of();
    }

    /** The CPU used since this was created (threads that ended meanwhile are not counted). */
    Cpu since() {
      long sidecarUsed = 0;
      for (Map.Entry<Long, Long> e : sidecarThreads(sidecar).entrySet()) {
        sidecarUsed += e.getValue() - threadStart.getOrDefault(e.getKey(), 0L);
      }
      return new Cpu(processCpu() - processNanos, sidecarUsed);
    }

    private static long processCpu() {
      return ((com.sun.management.OperatingSystemMXBean)
              ManagementFactory.getOperatingSystemMXBean())
          .getProcessCpuTime();
    }

    private static Map<Long, Long> sidecarThreads(String sidecar) {
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      Map<Long, Long> out = new HashMap<>();
      for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
        if (t == null || !t.getThreadName().contains(sidecar)) continue;
        long cpu = threads.getThreadCpuTime(t.getThreadId());
        if (cpu >= 0) out.put(t.getThreadId(), cpu);
      }
      return out;
    }
  }
}
