package io.xfaas.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.xfaas.config.OptionType;
import io.xfaas.config.XfaasConfig;
import io.xfaas.config.XfaasOptions;
import io.xfaas.kafka.Delivery;
import io.xfaas.records.Invocation;
import io.xfaas.submit.InvocationBuilder;
import io.xfaas.testing.JobRest;
import io.xfaas.testing.TopicReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recovery: the TaskManager running the scheduler dies while a tenant's FuncBuffer holds most of
 * its work. Restored from the last checkpoint, the job loses no buffered invocation. With RunQ
 * written exactly once it dispatches none twice into the committed RunQ; written at least once (the
 * default), it dispatches again only the calls it had dispatched since that checkpoint.
 */
class SchedulerRecoveryITCase extends SchedulerITCaseBase {
  private static final Logger LOG = LoggerFactory.getLogger(SchedulerRecoveryITCase.class);

  private static final int CALLS = 3000;
  private static final long TIMER_SLACK_MS = 1_000;

  @Test
  void exactlyOnceATaskManagerLossLosesNothingBufferedAndDuplicatesNothing() throws Exception {
    Recovery r = loseTheTaskManager("recover", Delivery.EXACTLY_ONCE);
    assertThat(r.dispatches).hasSize(CALLS);
    assertThat(r.dispatches.values())
        .as("dispatched twice into committed RunQ")
        .allMatch(n -> n == 1);
  }

  @Test
  void atLeastOnceATaskManagerLossLosesNothingAndRedispatchesOnlySinceTheCheckpoint()
      throws Exception {
    Recovery r = loseTheTaskManager("recoveralo", Delivery.AT_LEAST_ONCE);
    assertThat(r.dispatches).hasSize(CALLS);
    assertThat(r.dispatches.values()).as("dispatched more than twice").allMatch(n -> n <= 2);
    // Only what the job dispatched after the barrier of the checkpoint it restored, before the
    // TaskManager died, is dispatched again. A dispatch carries the time of the timer that released
    // it, which may fire late: a second of slack.
    long from = r.checkpoint.triggeredAt() - TIMER_SLACK_MS;
    List<String> outside =
        r.dispatches.entrySet().stream()
            .filter(e -> e.getValue() > 1)
            .map(Map.Entry::getKey)
            .filter(
                id -> r.firstDispatchedAt.get(id) < from || r.firstDispatchedAt.get(id) > r.lostAt)
            .sorted()
            .toList();
    long again = r.dispatches.values().stream().filter(n -> n > 1).count();
    long window =
        r.firstDispatchedAt.values().stream().filter(t -> t >= from && t <= r.lostAt).count();
    LOG.info(
        "at-least-once: {} of {} calls dispatched again; {} first dispatched in the {} ms from"
            + " checkpoint {} to the loss",
        again,
        CALLS,
        window,
        r.lostAt - r.checkpoint.triggeredAt(),
        r.checkpoint.id());
    assertThat(outside)
        .as(
            "dispatched again though first dispatched outside [checkpoint %d triggered at %d, lost"
                + " at %d]",
            r.checkpoint.id(), r.checkpoint.triggeredAt(), r.lostAt)
        .isEmpty();
  }

  /**
   * The dispatches per id and the first one's time, and the checkpoint that was the latest when the
   * TaskManager died.
   */
  private record Recovery(
      Map<String, Integer> dispatches,
      Map<String, Long> firstDispatchedAt,
      JobRest.Checkpoint checkpoint,
      long lostAt) {}

  private Recovery loseTheTaskManager(String region, Delivery runQ) throws Exception {
    XfaasConfig config =
        KAFKA.newRegion(
            region, Map.of(XfaasOptions.SCHEDULER_RUNQ_DELIVERY.key(), OptionType.enumText(runQ)));
    // 200 dispatches/s: most of the work is still buffered when the TaskManager dies.
    KAFKA.writeSettings(config, List.of(paced("slow", 200, 10, 1)));

    Map<String, Integer> dispatches = new HashMap<>();
    Map<String, Long> firstDispatchedAt = new HashMap<>();
    JobRest.Checkpoint checkpoint;
    long lostAt;
    try (SchedulerRun run = startScheduler(config)) {
      JobClient job = run.job();
      TopicReader runq = run.runq();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> job.getJobStatus().get() == JobStatus.RUNNING);
      List<Invocation> calls = new ArrayList<>();
      for (int i = 0; i < CALLS; i++) {
        calls.add(InvocationBuilder.call("slow", "echo").id("call-" + i).build());
      }
      run.client().submitAllAndWait(calls);

      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                runq.poll(r -> count(r.value(), dispatches, firstDispatchedAt));
                return dispatches.size() >= CALLS / 5
                    && FLINK.rest().latestCompleted(job.getJobID()) != null;
              });
      FLINK.miniCluster().terminateTaskManager(0).get();
      lostAt = System.currentTimeMillis();
      // Without its TaskManager the job completes no further checkpoint: this one (or one being
      // finalized as it died) is restored.
      checkpoint = FLINK.rest().latestCompleted(job.getJobID());
      FLINK.miniCluster().startTaskManager();

      runq.followUntil(
          "every call in RunQ after the restart",
          Duration.ofMinutes(2),
          r -> count(r.value(), dispatches, firstDispatchedAt),
          () -> dispatches.size() >= CALLS && runq.atEnd());
      // The REST metric may still show the count from before the restart: wait for it to move.
      await("the job to have restarted")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> FLINK.numRestarts(job) > 0);
      // One being finalized as the TaskManager died may complete after our look: never older.
      String restored = FLINK.rest().restoredFrom(job.getJobID());
      assertThat(restored).startsWith("checkpoint ");
      assertThat(Long.parseLong(restored.substring("checkpoint ".length())))
          .isGreaterThanOrEqualTo(checkpoint.id());
      // A late duplicate would be committed with a later checkpoint: wait for two, read again.
      FLINK.settle(job);
      runq.catchUp(r -> count(r.value(), dispatches, firstDispatchedAt));
    }
    return new Recovery(dispatches, firstDispatchedAt, checkpoint, lostAt);
  }

  private static void count(
      byte[] value, Map<String, Integer> dispatches, Map<String, Long> firstDispatchedAt) {
    Invocation inv = SchedulerRun.dispatched(value);
    dispatches.merge(inv.id(), 1, Integer::sum);
    firstDispatchedAt.merge(inv.id(), inv.dispatchedAt(), Math::min);
  }
}
