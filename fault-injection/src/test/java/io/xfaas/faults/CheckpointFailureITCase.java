package io.xfaas.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.xfaas.audit.AuditReport;
import io.xfaas.config.XfaasOptions;
import io.xfaas.testing.EmbeddedKafkaExtension;
import io.xfaas.testing.FlinkClusterExtension;
import io.xfaas.testing.JobRest;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.CheckpointingOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checkpoints that cannot complete (issue 19, part 7): the scheduler job checkpoints to durable
 * storage that then refuses to complete any checkpoint ({@link FlakyFileSystem}: no metadata file),
 * as a full disk or a lost object store would. The failures are surfaced (Flink's failed-checkpoint
 * count, the cause in the job's exception history), the job restarts from its last completed
 * checkpoint once more fail in a row than {@code xfaas.checkpoints.tolerable-failures} allows
 * instead of running on without committing, and once the storage works again the auditor finds
 * nothing lost and nothing answered twice.
 */
class CheckpointFailureITCase {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointFailureITCase.class);
  private static final FaultScale SCALE = FaultScale.current();
  private static final int TOLERABLE = 2;

  @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  /** The suite's cluster, its checkpoints on the flaky scheme over the same local folder. */
  @RegisterExtension
  static final FlinkClusterExtension FLINK =
      FaultRun.cluster(2)
          .configure(
              c ->
                  c.set(
                      CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                      c.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)
                          .replaceFirst("^file:", FlakyFileSystem.SCHEME + ":")));

  @AfterEach
  void storageWorksAgain() {
    FlakyFileSystem.failing(false);
  }

  @Test
  void checkpointsThatCannotCompleteRestartTheJobAndLoseNothing() throws Exception {
    try (FaultRun run =
        new FaultRun(
            "checkpoint-failures",
            SCALE,
            KAFKA,
            FLINK,
            Map.of(
                XfaasOptions.CHECKPOINTS_TOLERABLE_FAILURES.key(), Integer.toString(TOLERABLE)))) {
      JobID id = run.startJob(null).getJobID();
      JobRest rest = FLINK.rest();
      run.sidecar();
      run.load(SCALE.rate(), SCALE.calls(), 0, 0);
      run.awaitFlowing(SCALE.calls() / 10);
      assertThat(rest.latestCompletedPath(id))
          .as("the suite's cluster checkpoints to files")
          .startsWith(FlakyFileSystem.SCHEME + ":");

      FlakyFileSystem.failing(true);
      run.fault();
      await("checkpoints to fail past the bound and the job to restart")
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(200))
          .ignoreExceptions()
          .until(() -> run.numRestarts() >= 1);
      // The REST API's checkpoint statistics and exception history lag a little behind.
      await("the failed checkpoints counted and the restart's cause recorded")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(500))
          .ignoreExceptions()
          .untilAsserted(
              () -> {
                assertThat(rest.failedCheckpoints(id))
                    .as("failed checkpoints, counted")
                    .isGreaterThan(TOLERABLE);
                assertThat(String.join("\n", rest.failureTraces(id)))
                    .as("the restart's cause")
                    .contains("Exceeded checkpoint tolerable failure threshold");
              });
      LOG.info(
          "{} checkpoints failed; latest: {}",
          rest.failedCheckpoints(id),
          rest.latestFailedCheckpointMessage(id));
      assertThat(FlakyFileSystem.refused()).as("the storage refused files").isPositive();

      FlakyFileSystem.failing(false);
      run.awaitRecovery(Duration.ofMinutes(2));
      assertThat(rest.restoredFrom(id)).as("restored from a checkpoint").startsWith("checkpoint");

      AuditReport r = run.finish();
      assertThat(r.accepted()).as("accepted").isGreaterThanOrEqualTo(SCALE.calls() * 9L / 10);
      assertThat(r.accepted())
          .as("accepted >= acknowledged")
          .isGreaterThanOrEqualTo(run.producer().acked());
      assertThat(r.lost()).as("lost, e.g. " + r.lostSample()).isZero();
      assertThat(r.duplicateOutcomes()).as("answered twice, e.g. " + r.duplicateSample()).isZero();
      assertThat(r.terminal()).isEqualTo(r.accepted() + r.invalidWithId());
      ExecutionBound bound = run.executionBound();
      LOG.info(
          "{}", ScenarioResult.of(run.scenario, r, bound, run.recoveryMs(), run.restarts()).line());
      assertThat(r.duplicateExecutions())
          .as("duplicate executions; bound %s", bound)
          .isLessThanOrEqualTo(bound.total());
    }
  }
}
