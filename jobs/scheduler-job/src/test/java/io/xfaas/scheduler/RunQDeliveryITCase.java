package io.xfaas.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.xfaas.config.XfaasConfig;
import io.xfaas.config.XfaasOptions;
import io.xfaas.kafka.Consumers;
import io.xfaas.submit.InvocationBuilder;
import io.xfaas.submit.SubmitterClient;
import io.xfaas.testing.EmbeddedKafkaExtension;
import io.xfaas.testing.FlinkClusterExtension;
import io.xfaas.testing.JobRest;
import io.xfaas.testing.TopicReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.JobID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When a dispatch reaches the sidecars (a {@code read_committed} reader of RunQ), with checkpoints
 * ten minutes apart so that none completes during the test unless the test triggers one: with
 * {@code xfaas.scheduler.runq-delivery=at-least-once} at once; with {@code exactly-once} only when
 * a checkpoint commits it.
 */
class RunQDeliveryITCase {
  private static final Logger LOG = LoggerFactory.getLogger(RunQDeliveryITCase.class);

  @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  @RegisterExtension static final FlinkClusterExtension FLINK = FlinkClusterExtension.slots(2);

  private static final String CHECKPOINT_INTERVAL = "10m";

  /** The id of the one call each test submits. */
  private static final String CALL = "c1";

  @Test
  void atLeastOnceADispatchIsVisibleBeforeAnyCheckpoint() throws Exception {
    try (SchedulerRun run = SchedulerRun.start(KAFKA, region("alo", "at-least-once"))) {
      JobID job = run.job().getJobID();
      long checkpoints = quiet(job);
      long submitted = System.currentTimeMillis();
      submitTheCall(run.client());

      List<String> seen = new ArrayList<>();
      followUntilTheCall(run.runq(), "the dispatch, read committed", Duration.ofSeconds(60), seen);
      long visibleAfterMs = System.currentTimeMillis() - submitted;
      assertThat(FLINK.rest().completedCheckpoints(job))
          .as("checkpoints completed while the dispatch became visible")
          .isEqualTo(checkpoints);
      assertThat(seen).containsExactly(CALL);
      LOG.info("at-least-once: dispatch visible {} ms after the submission", visibleAfterMs);
    }
  }

  @Test
  void exactlyOnceADispatchIsVisibleOnlyOnceACheckpointCommitsIt() throws Exception {
    XfaasConfig config = region("eo", "exactly-once");
    try (SchedulerRun run = SchedulerRun.start(KAFKA, config);
        KafkaConsumer<byte[], byte[]> uncommitted = readUncommitted(config.topics().runq())) {
      JobID job = run.job().getJobID();
      TopicReader runq = run.runq();
      long checkpoints = quiet(job);
      submitTheCall(run.client());

      // The job has dispatched it: it is on RunQ, in a transaction still open.
      List<String> written = new ArrayList<>();
      await("the dispatch, read uncommitted")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(50))
          .until(
              () -> {
                uncommitted.poll(Duration.ofMillis(100)).forEach(r -> written.add(id(r.value())));
                return written.contains(CALL);
              });
      // A sidecar does not see it while no checkpoint completes.
      List<String> seen = new ArrayList<>();
      awaitSteady(
          "the dispatch to stay invisible to a read_committed reader",
          Duration.ofSeconds(3),
          Duration.ofSeconds(10),
          () -> {
            runq.poll(r -> seen.add(id(r.value())));
            return seen.isEmpty();
          });
      assertThat(FLINK.rest().completedCheckpoints(job)).isEqualTo(checkpoints);

      FLINK.miniCluster().triggerCheckpoint(job).get();
      followUntilTheCall(
          runq, "the dispatch, read committed, after the checkpoint", Duration.ofSeconds(30), seen);
      assertThat(seen).containsExactly(CALL);
    }
  }

  /**
   * Flink checkpoints once as the job's tasks start, then every interval: this takes one once the
   * tasks run, and waits until no checkpoint is pending and none completes for two seconds. The
   * checkpoints completed so far.
   */
  private static long quiet(JobID job) {
    JobRest rest = FLINK.rest();
    await("a checkpoint once the tasks run")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(() -> FLINK.miniCluster().triggerCheckpoint(job).get() != null);
    AtomicLong last = new AtomicLong(-1);
    awaitSteady(
        "no checkpoint pending or completing",
        Duration.ofSeconds(2),
        Duration.ofSeconds(30),
        () -> {
          long now = rest.completedCheckpoints(job);
          return last.getAndSet(now) == now && rest.checkpointsInProgress(job) == 0;
        });
    return last.get();
  }

  /** Waits until {@code holds} has been true for {@code during} on end, polled every 100 ms. */
  private static void awaitSteady(
      String what, Duration during, Duration atMost, Callable<Boolean> holds) {
    await(what).during(during).atMost(atMost).pollInterval(Duration.ofMillis(100)).until(holds);
  }

  /** Submits the one call each test follows, {@link #CALL}. */
  private static void submitTheCall(SubmitterClient client) throws Exception {
    client.submitAllAndWait(List.of(InvocationBuilder.call("shop", "echo").id(CALL).build()));
  }

  /**
   * Adds the ids read from RunQ (read committed) to {@code seen} until {@link #CALL} is among them.
   */
  private static void followUntilTheCall(
      TopicReader runq, String what, Duration atMost, List<String> seen) {
    runq.followUntil(what, atMost, r -> seen.add(id(r.value())), () -> seen.contains(CALL));
  }

  private static XfaasConfig region(String prefix, String runQDelivery) {
    return KAFKA.newRegion(
        prefix,
        Map.of(
            XfaasOptions.SCHEDULER_CHECKPOINT_INTERVAL.key(), CHECKPOINT_INTERVAL,
            XfaasOptions.SCHEDULER_RUNQ_DELIVERY.key(), runQDelivery));
  }

  private static KafkaConsumer<byte[], byte[]> readUncommitted(String topic) {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return Consumers.fromBeginning(props, topic);
  }

  private static String id(byte[] value) {
    return SchedulerRun.dispatched(value).id();
  }
}
