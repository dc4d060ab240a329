package io.xfaas.sidecar;

import io.xfaas.records.Invocation;
import io.xfaas.testing.EmbeddedKafkaExtension;
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
 * <pre>
 * mvn -B -q -pl worker-sidecar test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp worker-sidecar/target/test-classes:worker-sidecar/target/classes:$(cat worker-sidecar/target/cp.txt) \
 *     io.xfaas.sidecar.SidecarOverheadBenchmark [calls]
 * </pre>
 */
public final class SidecarOverheadBenchmark {
  private SidecarOverheadBenchmark() {}

  public static void main(String[] args) throws Exception {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
    int partitions = 4;
    Map<String, String> tuning = new HashMap<>();
    tuning.put("xfaas.sidecar.threads", "64");
    tuning.put("xfaas.sidecar.window-initial", "32");
    tuning.put("xfaas.sidecar.max-poll-records", "500");
    try (EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension().start()) {
      // Throughput: a backlog, drained by one sidecar.
      SidecarFixture f = SidecarFixture.create(kafka, partitions);
      f.writeRunQ(echoes("t", calls), inv -> Math.floorMod(inv.id().hashCode(), partitions));
      long t0 = System.nanoTime();
      try (WorkerSidecar s =
          new WorkerSidecar(f.config(tuning), FunctionRegistry.fromServiceLoader()).start()) {
        f.awaitGroupAtEndOfRunQ(Duration.ofMinutes(10));
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf(
            "throughput: %d no-op calls in %.1f s = %.0f calls/s (one sidecar, %d cores, incl."
                + " group join)%n",
            s.processed(), secs, s.processed() / secs, Runtime.getRuntime().availableProcessors());
      }

      // Added latency: a steady trickle, each call written while the sidecar is idle-ish.
      SidecarFixture g = SidecarFixture.create(kafka, partitions);
      try (WorkerSidecar s =
          new WorkerSidecar(g.config(tuning), FunctionRegistry.fromServiceLoader()).start()) {
        org.awaitility.Awaitility.await().until(() -> !s.assignment().isEmpty());
        for (int round = 0; round < 20; round++) {
          g.writeRunQ(
              echoes("l" + round + "-", 100),
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

  private static List<Invocation> echoes(String prefix, int n) {
    return IntStream.range(0, n)
        .mapToObj(i -> SidecarFixture.invocation(prefix + i, "echo", null))
        .toList();
  }
}
