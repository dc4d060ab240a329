package io.xfaas.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.xfaas.audit.AuditReport;
import io.xfaas.config.XfaasOptions;
import io.xfaas.kafka.TopicSnapshot;
import io.xfaas.records.Criticality;
import io.xfaas.records.Outcome;
import io.xfaas.records.TenantSettings;
import io.xfaas.serde.Json;
import io.xfaas.testing.EmbeddedKafkaExtension;
import io.xfaas.testing.FlinkClusterExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Overload (issue 19, part 5): ten times what the sidecars can run, for a while (30 s in the short
 * version, 10 minutes under {@code -Pfaults}; {@code -Dxfaas.faults.overload-seconds=}). One
 * sidecar of {@value #THREADS} threads and calls that each take {@value SteadyProducer#SLOW_MS} ms
 * can run about 13 calls/s; 133/s are offered, one in 20 CRITICAL, over four tenants that may each
 * have 6 calls in flight. The job must not restart, the heap must stay bounded (the backlog is in
 * DurableQ and the FuncBuffer's RocksDB state, not on the heap), CRITICAL calls must keep a short
 * queueing delay, and once more sidecars join, everything drains with nothing lost.
 */
class OverloadITCase {
  private static final Logger LOG = LoggerFactory.getLogger(OverloadITCase.class);
  private static final FaultScale SCALE = FaultScale.current();

  static final int THREADS = 4;
  private static final int CONCURRENCY = 6;
  private static final int DRAIN_CONCURRENCY = 24;
  private static final int TENANTS = 4;
  private static final int CRITICAL_EVERY = 20;

  /** Calls per second the one sidecar can run. */
  private static final double CAPACITY = THREADS * 1000.0 / SteadyProducer.SLOW_MS;

  private static final int OFFERED = (int) Math.round(10 * CAPACITY);
  private static final int SECONDS =
      Integer.getInteger("xfaas.faults.overload-seconds", SCALE.name().equals("full") ? 600 : 30);

  @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  @RegisterExtension
  static final FlinkClusterExtension FLINK =
      FlinkClusterExtension.slots(2)
          .parallelism(1)
          .perTest()
          .configure(c -> c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 50));

  @Test
  void tenTimesTheSidecarsCapacity() throws Exception {
    long total = (long) OFFERED * SECONDS;
    try (FaultRun run =
            new FaultRun(
                "overload-10x",
                SCALE,
                KAFKA,
                FLINK,
                Map.of(XfaasOptions.SIDECAR_THREADS.key(), Integer.toString(THREADS)));
        HeapWatch heap = new HeapWatch().start()) {
      KAFKA.writeSettings(run.config, tenants(CONCURRENCY));
      run.startJob(null);
      run.sidecar();
      long start = System.currentTimeMillis();
      run.loadWithCritical(OFFERED, total, 1, CRITICAL_EVERY);
      await("the overload to be offered")
          .atMost(Duration.ofSeconds(SECONDS * 3L + 60))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> run.producer().sent() >= total);
      long end = System.currentTimeMillis();

      // Where the backlog is as the overload ends.
      long accepted = KAFKA.endOffsetSum(run.config.topics().durableq());
      long dispatched = KAFKA.endOffsetSum(run.config.topics().runq());
      long runqLag = runqLag(run);
      long outcomes = KAFKA.endOffsetSum(run.config.topics().outcomes());
      LOG.info(
          "overload: {} s at {}/s (capacity {}/s): {} in DurableQ, {} dispatched to RunQ ({} of"
              + " them not yet taken by the sidecars), about {} outcomes; {}",
          (end - start) / 1000,
          OFFERED,
          String.format("%.1f", CAPACITY),
          accepted,
          dispatched,
          runqLag,
          outcomes,
          heap.describe());
      long inFuncBuffer = accepted - dispatched;
      assertThat(inFuncBuffer)
          .as("the backlog held by the scheduler (DurableQ read into the FuncBuffer's state)")
          .isGreaterThan(total / 2);
      assertThat(runqLag)
          .as("RunQ holds about the tenants' calls in flight, not the backlog")
          .isLessThan(total / 10);

      // Capacity comes back: more sidecars, and the tenants may have more calls in flight.
      run.measureExposure(); // the new sidecars' rebalance may run uncommitted calls again
      KAFKA.writeSettings(run.config, tenants(DRAIN_CONCURRENCY));
      run.sidecar(Map.of(XfaasOptions.SIDECAR_THREADS.key(), "32"));
      run.sidecar(Map.of(XfaasOptions.SIDECAR_THREADS.key(), "32"));
      long drainFrom = System.currentTimeMillis();
      AuditReport r = run.finish();
      long drainMs = System.currentTimeMillis() - drainFrom;
      FaultInjectionITCase.assertNothingLostOrDoubled(r, total * 9 / 10);
      FaultInjectionITCase.assertAcknowledgedWereAccepted(run, r);
      ExecutionBound bound = run.executionBound();
      assertThat(r.duplicateExecutions()).isLessThanOrEqualTo(bound.total());
      assertThat(run.numRestarts()).as("no job restarts under overload").isZero();

      Map<Criticality, long[]> delays = queueingDelays(run, end);
      long[] critical = delays.get(Criticality.CRITICAL);
      long[] normal = delays.get(Criticality.NORMAL);
      String line =
          String.format(
              "%s%n%s%noverload %d s at %d/s, capacity %.1f/s; backlog at its end: %d in the"
                  + " FuncBuffer, %d in RunQ; drained in %.1f s; queueing delay of calls"
                  + " submitted during it: CRITICAL p50 %d ms p99 %d ms (%d calls), NORMAL p50 %d"
                  + " ms p99 %d ms (%d calls); %s%n",
              ScenarioResult.header(),
              ScenarioResult.of(run.scenario, r, bound, null, run.restarts()).line(),
              SECONDS,
              OFFERED,
              CAPACITY,
              inFuncBuffer,
              runqLag,
              drainMs / 1000.0,
              percentile(critical, 50),
              percentile(critical, 99),
              critical.length,
              percentile(normal, 50),
              percentile(normal, 99),
              normal.length,
              heap.describe());
      System.out.println(line);
      Path out = Path.of("target", "fault-injection-overload-" + SCALE.name() + ".txt");
      Files.createDirectories(out.getParent());
      Files.writeString(out, line);

      assertThat(critical.length).isPositive();
      assertThat(percentile(critical, 99))
          .as("CRITICAL p99 queueing delay (NORMAL p50 %d ms)", percentile(normal, 50))
          .isLessThan(10_000)
          .isLessThan(percentile(normal, 50));
      assertThat(heap.maxLiveAfterGc())
          .as("live heap after a collection: %s", heap.describe())
          .isLessThan(HeapWatch.maxHeap() * 3 / 4);
    }
  }

  /** The load's tenants, each with {@code concurrency} calls in flight at most. */
  private static List<TenantSettings> tenants(int concurrency) {
    List<TenantSettings> tenants = new ArrayList<>();
    for (int t = 0; t < TENANTS; t++) {
      tenants.add(
          new TenantSettings(
              "t" + t, 100_000, 100_000, concurrency, 1, 10_000_000, List.of(), null, 0));
    }
    return tenants;
  }

  private static long runqLag(FaultRun run) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> committed =
        KAFKA
            .admin()
            .listConsumerGroupOffsets(run.config.get(XfaasOptions.SIDECAR_GROUP_ID))
            .partitionsToOffsetAndMetadata()
            .get();
    long lag = 0;
    for (var e : KAFKA.endOffsets(run.config.topics().runq()).entrySet()) {
      OffsetAndMetadata c = committed.get(e.getKey());
      lag += e.getValue() - (c == null ? 0 : c.offset());
    }
    return lag;
  }

  /** Started − submitted, by criticality, of this run's calls submitted before {@code until}. */
  private static Map<Criticality, long[]> queueingDelays(FaultRun run, long until) {
    Map<Criticality, List<Long>> by = new EnumMap<>(Criticality.class);
    for (Criticality c : Criticality.values()) by.put(c, new ArrayList<>());
    TopicSnapshot.read(
        run.config.bootstrapServers(),
        run.config.topics().outcomes(),
        "overload-delays",
        Duration.ofSeconds(60),
        rec -> {
          Outcome o = Json.readOutcome(rec.value());
          if (o.id().startsWith(run.run + "-")
              && o.startedAt() != null
              && o.submittedAt() <= until) {
            by.get(o.criticality()).add(o.startedAt() - o.submittedAt());
          }
        });
    Map<Criticality, long[]> out = new EnumMap<>(Criticality.class);
    by.forEach((c, l) -> out.put(c, l.stream().mapToLong(Long::longValue).sorted().toArray()));
    return out;
  }

  private static long percentile(long[] sorted, int p) {
    if (sorted.length == 0) return 0;
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
  }
}
