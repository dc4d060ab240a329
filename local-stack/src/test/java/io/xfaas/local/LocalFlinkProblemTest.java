package io.xfaas.local;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The status line's words for failing checkpoints. */
class LocalFlinkProblemTest {
  @Test
  void noFailedCheckpointIsNoProblem() {
    assertThat(LocalFlink.checkpointProblem("scheduler job", 0, "whatever")).isNull();
  }

  @Test
  void failedCheckpointsInARowAreCountedWithTheLatestReason() {
    assertThat(LocalFlink.checkpointProblem("scheduler job", 2, "Checkpoint expired"))
        .isEqualTo(
            "scheduler job: 2 checkpoints failed since the last completed one (Checkpoint expired)");
    assertThat(LocalFlink.checkpointProblem("gtc", 1, null))
        .isEqualTo("gtc: 1 checkpoint failed since the last completed one (no reason given)");
  }

  @Test
  void aLongReasonIsCut() {
    String line = LocalFlink.checkpointProblem("j", 3, "x".repeat(500));
    assertThat(line).endsWith("...)").hasSizeLessThan(200);
  }
}
