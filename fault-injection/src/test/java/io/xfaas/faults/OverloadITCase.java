package io.xfaas.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.xfaas.audit.AuditReport;
import io.xfaas.config.XfaasOptions;
import io.xfaas.records.Criticality;
import io.xfaas.records.Outcome;
import io.xfaas.records.TenantSettings;
import io.xfaas.serde.Json;
import io.xfaas.submit.InvocationBuilder;
import io.xfaas.submit.SubmitterClient;
import io.xfaas.testing.EmbeddedKafkaExtension;
import io.xfaas.testing.FlinkClusterExtension;
import io.xfaas.testing.TopicReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Overload (issue 19, part 5): ten times what the sidecars can run, for a while (20 s in the short
 * version, 10 minutes under {@code -Pfaults}; {@code -Dxfaas.faults.overload-seconds=}). One
 * sidecar of {@value #THREADS} threads and calls that each take {@value SteadyProducer#SLOW_MS} ms
 * can run about 13 calls/s; 133/s are offered, one in 100 CRITICAL (as many of each tenant's), over
 * four tenants that may each have 6 calls in flight. The job must not restart, the heap must stay
 * bounded (the backlog is in DurableQ and the FuncBuffer's RocksDB state, not on the heap),
 * CRITICAL calls must keep a short queueing delay, and once more sidecars join, everything drains
 * with nothing lost.
 */
class OverloadITCase {
  private static final Logger LOG = LoggerFactory.getLogger(OverloadITCase.class);
  private static final FaultScale SCALE = FaultScale.current();

  static final int THREADS = 4;
  private static final int CONCURRENCY = 6;
  private static final int DRAIN_CONCURRENCY = 24;
  private static final int TENANTS = 4;

  /**
   * One call in 100 is CRITICAL: 1.3/s, a tenth of the sidecar's capacity. (One in 20, 6.7/s, was
   * more than the pipeline ran on 2 cores shared with a build, about 4.5 calls/s: each tenant's 6
   * slots are freed only when the job reads a result, some 5 s after the dispatch there, so the
   * CRITICAL calls alone queued up.)
   */
  private static final int CRITICAL_EVERY = 100;

  /** Calls per second the one sidecar can run. */
  private static final double CAPACITY = THREADS * 1000.0 / SteadyProducer.SLOW_MS;

  private static final int OFFERED = (int) Math.round(10 * CAPACITY);
  private static final int SECONDS =
      Integer.getInteger("xfaas.faults.overload-seconds", SCALE.name().equals("full") ? 600 : 20);

  /**
   * Ceiling on CRITICAL calls' p99 queueing delay, whatever the backlog (measured: 2.6 s, with
   * NORMAL's median at 31.6 s, at load 12 on the shared 2 cores).
   */
  private static final long CRITICAL_P99_MS =
      Long.getLong("xfaas.faults.overload-critical-p99-ms", 10_000);

  @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  @RegisterExtension static final FlinkClusterExtension FLINK = FaultRun.cluster(2);

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
      warmUp(run);
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

      Delays delays = queueingDelays(run, start, end);
      long[] critical = delays.queueing().get(Criticality.CRITICAL);
      long[] normal = delays.queueing().get(Criticality.NORMAL);
      long[] criticalInScheduler = delays.scheduler().get(Criticality.CRITICAL);
      String line =
          String.format(
              "%s%n%s%noverload %d s at %d/s, capacity %.1f/s; backlog at its end: %d in the"
                  + " FuncBuffer, %d in RunQ; drained in %.1f s; queueing delay of calls"
                  + " submitted during it: CRITICAL p50 %d ms p99 %d ms (%d calls; in the"
                  + " scheduler p50 %d ms p99 %d ms), NORMAL p50 %d ms p99 %d ms (%d calls); %s%n",
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
              percentile(criticalInScheduler, 50),
              percentile(criticalInScheduler, 99),
              percentile(normal, 50),
              percentile(normal, 99),
              normal.length,
              heap.describe());
      System.out.println(line);
      Path out = Path.of("target", "fault-injection-overload-" + SCALE.name() + ".txt");
      Files.createDirectories(out.getParent());
      Files.writeString(out, line);

      assertThat(critical.length).isPositive();
      // CRITICAL calls go first: all but the slowest 1 % start before half the NORMAL ones have,
      // and their median wait is under half NORMAL's.
      assertThat(percentile(critical, 99))
          .as("CRITICAL p99 queueing delay (NORMAL p50 %d ms)", percentile(normal, 50))
          .isLessThan(CRITICAL_P99_MS)
          .isLessThan(percentile(normal, 50));
      assertThat(percentile(critical, 50))
          .as("CRITICAL p50 queueing delay (NORMAL p50 %d ms)", percentile(normal, 50))
          .isLessThan(percentile(normal, 50) / 2);
      assertThat(heap.collections()).as("collections seen: %s", heap.describe()).isPositive();
      assertThat(heap.maxLiveAfterGc())
          .as("heap in use after a collection: %s", heap.describe())
          .isLessThan(HeapWatch.maxHeap() * 3 / 4);
    }
  }

  /**
   * One call through the whole pipeline before the overload, outside the run's ids: a job still
   * starting would delay the first calls alike, whatever their criticality.
   */
  private static void warmUp(FaultRun run) throws Exception {
    try (SubmitterClient client = SubmitterClient.create(run.config);
        TopicReader outcomes =
            new TopicReader(run.config.bootstrapServers(), run.config.topics().outcomes())) {
      client.submit(InvocationBuilder.call("t0", "echo").id("warm-up-" + run.run).build()).get();
      AtomicLong seen = new AtomicLong();
      outcomes.followUntil(
          "the warm-up call's outcome",
          Duration.ofMinutes(2),
          r -> seen.incrementAndGet(),
          () -> seen.get() > 0);
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

  /**
   * Started − submitted (the queueing delay) and dispatched − submitted (its part in the scheduler:
   * DurableQ, the FuncBuffer), by criticality, of this run's calls submitted before {@code until}.
   */
  private record Delays(Map<Criticality, long[]> queueing, Map<Criticality, long[]> scheduler) {}

  private static Delays queueingDelays(FaultRun run, long from, long until) {
    Map<Criticality, List<Long>> queueing = new EnumMap<>(Criticality.class);
    Map<Criticality, List<Long>> scheduler = new EnumMap<>(Criticality.class);
    for (Criticality c : Criticality.values()) {
      queueing.put(c, new ArrayList<>());
      scheduler.put(c, new ArrayList<>());
    }
    run.readToEnd(
        run.config.topics().outcomes(),
        "overload-delays",
        rec -> {
          Outcome o = Json.readOutcome(rec.value());
          if (o.id().startsWith(run.run + "-")
              && o.startedAt() != null
              && o.submittedAt() >= from
              && o.submittedAt() <= until) {
            queueing.get(o.criticality()).add(o.startedAt() - o.submittedAt());
            if (o.dispatchedAt() != null) {
              scheduler.get(o.criticality()).add(o.dispatchedAt() - o.submittedAt());
            }
          }
        });
    return new Delays(sorted(queueing), sorted(scheduler));
  }

  private static Map<Criticality, long[]> sorted(Map<Criticality, List<Long>> by) {
    Map<Criticality, long[]> out = new EnumMap<>(Criticality.class);
    by.forEach((c, l) -> out.put(c, l.stream().mapToLong(Long::longValue).sorted().toArray()));
    return out;
  }

  private static long percentile(long[] sorted, int p) {
    if (sorted.length == 0) return 0;
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
  }
}
