package io.xfaas.gtc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.xfaas.config.XfaasConfig;
import io.xfaas.config.XfaasOptions;
import io.xfaas.records.GtcDecision;
import io.xfaas.records.Outcome;
import io.xfaas.records.OutcomeStatus;
import io.xfaas.scheduler.SchedulerJob;
import io.xfaas.serde.Json;
import io.xfaas.sidecar.FunctionRegistry;
import io.xfaas.sidecar.WorkerSidecar;
import io.xfaas.submit.SubmitterClient;
import io.xfaas.testing.EmbeddedKafkaExtension;
import io.xfaas.testing.FlinkClusterExtension;
import io.xfaas.testing.TopicReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Three regions on one broker and one MiniCluster: a scheduler job and a sidecar per region, the
 * GTC job over all of them, submitters routing by its decisions. Region a gets more work than its
 * sidecar can run; part of it must move to b and c and complete there. Then region c goes silent
 * (its scheduler stops with a savepoint, its sidecar closes); its traffic must drain to a and b. c
 * comes back, and every invocation ends with exactly one terminal outcome.
 */
class GlobalTrafficITCase {
  private static final Logger LOG = LoggerFactory.getLogger(GlobalTrafficITCase.class);

  @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  /** Slots: one per scheduler job, one for the GTC job. */
  @RegisterExtension static final FlinkClusterExtension FLINK = FlinkClusterExtension.slots(4);

  /** How long each call sleeps. */
  private static final long SLEEP_MS = 100;

  /**
   * A region's sidecar threads, each running calls of {@link #SLEEP_MS}, and the calls/s offered.
   */
  private record RegionLoad(int threads, int rate) {}

  /** Region a: 2 threads, about 20 calls/s, offered 40/s. */
  private static final RegionLoad A = new RegionLoad(2, 40);

  /** Regions b and c: 8 threads, about 80 calls/s, offered 5/s each. */
  private static final RegionLoad BC = new RegionLoad(8, 5);

  @Test
  void overflowMovesToRegionsWithHeadroomAndASilentRegionIsDrained() throws Exception {
    long n = System.nanoTime();
    String a = "a" + n;
    String b = "b" + n;
    String c = "c" + n;
    Map<String, String> shared = new HashMap<>();
    shared.put(XfaasOptions.BOOTSTRAP_SERVERS.key(), KAFKA.bootstrapServers());
    shared.put(XfaasOptions.TOPIC_CONFIG.key(), "config" + n);
    shared.put(XfaasOptions.TOPIC_LOAD.key(), "load" + n);
    shared.put(XfaasOptions.TOPIC_GTC_DECISIONS.key(), "decisions" + n);
    shared.put(XfaasOptions.TOPIC_PARTITIONS.key(), "2");
    shared.put(XfaasOptions.SCHEDULER_CHECKPOINT_INTERVAL.key(), "500");
    shared.put(XfaasOptions.SIDECAR_FEEDBACK_INTERVAL.key(), "500");
    shared.put(XfaasOptions.GTC_ROUTING_ENABLED.key(), "true");
    shared.put(XfaasOptions.GTC_WINDOW.key(), "1000");
    shared.put(XfaasOptions.GTC_OUT_OF_ORDERNESS.key(), "1000");
    shared.put(XfaasOptions.GTC_IDLENESS.key(), "2000");
    shared.put(XfaasOptions.GTC_HEARTBEAT_TIMEOUT.key(), "4000");
    shared.put(XfaasOptions.GTC_DECISION_INTERVAL.key(), "500");
    shared.put(XfaasOptions.GTC_MAX_STEP.key(), "0.5");
    shared.put(XfaasOptions.GTC_CHECKPOINT_INTERVAL.key(), "500");
    shared.put(XfaasOptions.GTC_GROUP_ID.key(), "gtc" + n);
    shared.put(XfaasOptions.GTC_TRANSACTIONAL_ID_PREFIX.key(), "gtc" + n);
    Map<String, XfaasConfig> regions = new LinkedHashMap<>();
    for (String r : List.of(a, b, c)) {
      Map<String, String> m = new HashMap<>(shared);
      m.put(XfaasOptions.REGION.key(), r);
      m.put(XfaasOptions.SIDECAR_THREADS.key(), String.valueOf((r.equals(a) ? A : BC).threads()));
      regions.put(r, XfaasConfig.of(m));
    }
    XfaasConfig gtc = regions.get(a);
    createTopics(regions);

    List<AutoCloseable> open = new ArrayList<>();
    Map<String, JobClient> schedulers = new HashMap<>();
    Map<String, WorkerSidecar> sidecars = new HashMap<>();
    Map<String, SteadyLoad> loads = new LinkedHashMap<>();
    FunctionRegistry functions = FunctionRegistry.fromServiceLoader();
    long started = System.currentTimeMillis();
    JobClient gtcJob = null;
    try {
      for (String r : regions.keySet()) {
        schedulers.put(
            r,
            SchedulerJob.start(
                StreamExecutionEnvironment.getExecutionEnvironment(), regions.get(r)));
      }
      gtcJob = GtcJob.start(StreamExecutionEnvironment.getExecutionEnvironment(), gtc);
      List<JobClient> jobs = new ArrayList<>(schedulers.values());
      jobs.add(gtcJob);
      FlinkClusterExtension.awaitRunning(jobs.toArray(JobClient[]::new));
      for (String r : regions.keySet()) {
        sidecars.put(r, new WorkerSidecar(regions.get(r), functions).start());
      }
      for (String r : regions.keySet()) {
        SubmitterClient client = SubmitterClient.create(regions.get(r));
        open.add(client);
        loads.put(r, new SteadyLoad(r, client, (r.equals(a) ? A : BC).rate(), SLEEP_MS).start());
      }
      SubmitterClient fromA = (SubmitterClient) open.get(0);
      SubmitterClient fromC = (SubmitterClient) open.get(2);

      // 1. Overflow: a's router starts sending part of a's new work to b and c.
      await("a's submitter routes part of its work to b and c")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                Map<String, Double> s = fromA.router().table().shares();
                return s.getOrDefault(b, 0.0) > 0.1 && s.getOrDefault(c, 0.0) > 0.1;
              });
      long shifted = System.currentTimeMillis();
      LOG.info("GTC shifted a's work after {} ms: {}", shifted - started, fromA.router().table());
      await().pollDelay(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(6)).until(() -> true);
      long overflowEnd = System.currentTimeMillis();
      List<String> aAfterShift =
          loads.get(a).sent().stream()
              .filter(s -> s.at() > shifted && s.at() <= overflowEnd)
              .map(SteadyLoad.Sent::id)
              .toList();

      Map<String, String> landed = new ConcurrentHashMap<>();
      await("a's submissions after the shift are in some DurableQ")
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                readDurableQs(regions, landed);
                return landed.keySet().containsAll(aAfterShift);
              });
      long toOthers = aAfterShift.stream().filter(id -> !landed.get(id).equals(a)).count();
      double movedShare = (double) toOthers / aAfterShift.size();
      LOG.info(
          "after the shift, {} of a's {} submissions ({}%) went to b and c",
          toOthers, aAfterShift.size(), Math.round(movedShare * 100));
      assertThat(movedShare).as("share of a's new work sent to b and c").isGreaterThan(0.2);
      assertThat(aAfterShift.stream().filter(id -> landed.get(id).equals(b))).isNotEmpty();
      assertThat(aAfterShift.stream().filter(id -> landed.get(id).equals(c))).isNotEmpty();

      // 2. c goes silent: its scheduler stops (with a savepoint), its sidecar closes.
      sidecars.remove(c).close();
      Path savepoints = Files.createDirectories(Path.of("target", "tmp", "savepoints-" + n));
      String savepoint =
          schedulers
              .remove(c)
              .stopWithSavepoint(
                  false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
              .get(60, TimeUnit.SECONDS);
      long silent = System.currentTimeMillis();
      await("nobody routes to c any more")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () ->
                  !fromA.router().table().shares().containsKey(c)
                      && !fromC.router().table().shares().containsKey(c));
      long drained = System.currentTimeMillis();
      LOG.info(
          "c drained {} ms after going silent: a {}, c {}",
          drained - silent,
          fromA.router().table(),
          fromC.router().table());
      GtcDecision cDecision = latestDecision(gtc, c);
      assertThat(cDecision.reason()).isEqualTo("drained");
      assertThat(cDecision.inputs())
          .anySatisfy(
              l -> {
                assertThat(l.region()).isEqualTo(c);
                assertThat(l.alive()).isFalse();
              });
      await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> true);
      long drainEnd = System.currentTimeMillis();
      for (SteadyLoad l : loads.values()) l.stop();

      List<String> afterDrain = new ArrayList<>();
      for (SteadyLoad l : loads.values()) {
        l.sent().stream()
            .filter(s -> s.at() > drained && s.at() <= drainEnd)
            .forEach(s -> afterDrain.add(s.id()));
      }
      await("every submission is in some DurableQ")
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                readDurableQs(regions, landed);
                return loads.values().stream()
                    .allMatch(l -> l.sent().stream().allMatch(s -> landed.containsKey(s.id())));
              });
      assertThat(afterDrain)
          .isNotEmpty()
          .allSatisfy(id -> assertThat(landed.get(id)).isNotEqualTo(c));
      // c's own submitters' work went to the live regions.
      List<String> cAfterDrain = afterDrain.stream().filter(id -> id.startsWith(c + "-")).toList();
      assertThat(cAfterDrain).isNotEmpty().allSatisfy(id -> assertThat(landed.get(id)).isIn(a, b));

      // 3. c comes back from its savepoint; everything ends exactly once.
      Configuration restore = new Configuration();
      restore.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
      schedulers.put(
          c,
          SchedulerJob.start(
              StreamExecutionEnvironment.getExecutionEnvironment(restore), regions.get(c)));
      sidecars.put(c, new WorkerSidecar(regions.get(c), functions).start());

      Set<String> all = new HashSet<>();
      loads.values().forEach(l -> l.sent().forEach(s -> all.add(s.id())));
      for (SteadyLoad l : loads.values()) assertThat(l.failure()).isNull();
      Map<String, List<Outcome>> outcomes = new HashMap<>();
      List<TopicReader> outcomeTopics = new ArrayList<>();
      for (XfaasConfig r : regions.values()) {
        TopicReader t = KAFKA.follow(r.topics().outcomes());
        open.add(t);
        outcomeTopics.add(t);
      }
      await("every invocation has a terminal outcome")
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> {
                for (TopicReader t : outcomeTopics) {
                  t.catchUp(
                      rec -> {
                        Outcome o = Json.readOutcome(rec.value());
                        outcomes.computeIfAbsent(o.id(), k -> new ArrayList<>()).add(o);
                      });
                }
                return outcomes.keySet().containsAll(all);
              });
      // A late duplicate would be committed with a later checkpoint: wait for two of every
      // scheduler, then read again.
      FLINK.settle(schedulers.values().toArray(JobClient[]::new));
      for (TopicReader t : outcomeTopics) {
        t.catchUp(
            rec -> {
              Outcome o = Json.readOutcome(rec.value());
              outcomes.computeIfAbsent(o.id(), k -> new ArrayList<>()).add(o);
            });
      }
      LOG.info(
          "{} invocations, all ended, {} s after start",
          all.size(),
          (System.currentTimeMillis() - started) / 1000);
      assertThat(outcomes.keySet()).containsExactlyInAnyOrderElementsOf(all);
      assertThat(outcomes.values()).allSatisfy(list -> assertThat(list).hasSize(1));
      assertThat(outcomes.values())
          .allSatisfy(list -> assertThat(list.get(0).status()).isEqualTo(OutcomeStatus.SUCCEEDED));
      // Moved work completed where it was sent.
      for (String id : aAfterShift) {
        assertThat(outcomes.get(id).get(0).region()).as(id).isEqualTo(landed.get(id));
      }
    } finally {
      for (SteadyLoad l : loads.values()) l.stop();
      for (WorkerSidecar s : sidecars.values()) s.close();
      for (AutoCloseable o : open) o.close();
      for (JobClient j : schedulers.values()) FlinkClusterExtension.cancel(j);
      if (gtcJob != null) FlinkClusterExtension.cancel(gtcJob);
    }
  }

  private static void createTopics(Map<String, XfaasConfig> regions) {
    XfaasConfig any = regions.values().iterator().next();
    for (XfaasConfig r : regions.values()) {
      Map<String, Integer> topics = new HashMap<>(r.topics().partitions(2));
      topics.remove(r.topics().load());
      KAFKA.createTopics(topics);
    }
    KAFKA.createTopics(Map.of(any.topics().load(), 1));
    KAFKA.createCompactedTopic(any.topics().gtcDecisions(), 1);
    KAFKA.createCompactedTopic(any.topics().config(), 1);
  }

  /** Which region's DurableQ each id landed in. */
  private static void readDurableQs(Map<String, XfaasConfig> regions, Map<String, String> landed) {
    for (Map.Entry<String, XfaasConfig> r : regions.entrySet()) {
      try (TopicReader t = KAFKA.follow(r.getValue().topics().durableq())) {
        t.catchUp(
            rec -> {
              if (rec.key() != null)
                landed.put(new String(rec.key(), StandardCharsets.UTF_8), r.getKey());
            });
      }
    }
  }

  private static GtcDecision latestDecision(XfaasConfig config, String region) throws Exception {
    GtcDecision[] last = new GtcDecision[1];
    try (TopicReader t = KAFKA.follow(config.topics().gtcDecisions())) {
      t.catchUp(
          rec -> {
            if (region.equals(new String(rec.key(), StandardCharsets.UTF_8))
                && rec.value() != null) {
              try {
                last[0] = Json.MAPPER.readValue(rec.value(), GtcDecision.class);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            }
          });
    }
    assertThat(last[0]).as("a decision for " + region).isNotNull();
    return last[0];
  }
}
