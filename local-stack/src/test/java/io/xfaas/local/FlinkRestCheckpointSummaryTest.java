package io.xfaas.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.serde.Json;
import org.junit.jupiter.api.Test;

/** What {@code xfaas cluster status} says about a job's checkpoints, from the REST answer. */
class FlinkRestCheckpointSummaryTest {
  private static String summary(String json) throws Exception {
    return FlinkRest.checkpointSummary(Json.MAPPER.readTree(json));
  }

  @Test
  void noCheckpointYetSaysNothing() throws Exception {
    assertThat(summary("{\"counts\":{\"completed\":0,\"failed\":0}}")).isNull();
  }

  @Test
  void healthyCheckpointsAreCounted() throws Exception {
    assertThat(
            summary(
                "{\"counts\":{\"completed\":12,\"failed\":1},"
                    + "\"latest\":{\"completed\":{\"id\":14},\"failed\":{\"id\":9}}}"))
        .isEqualTo("checkpoints: 12 completed, 1 failed");
  }

  @Test
  void aLatestFailureAfterTheLatestCompletionIsCalledFailingWithItsReason() throws Exception {
    assertThat(
            summary(
                "{\"counts\":{\"completed\":7,\"failed\":3},\"latest\":{\"completed\":{\"id\":7},"
                    + "\"failed\":{\"id\":10,\"failure_message\":\"Failure to finalize checkpoint.\"}}}"))
        .isEqualTo(
            "checkpoints: 7 completed, 3 failed; FAILING since the last completed one (latest 10:"
                + " Failure to finalize checkpoint.)");
    assertThat(
            summary(
                "{\"counts\":{\"completed\":0,\"failed\":2},\"latest\":{\"failed\":{\"id\":2}}}"))
        .isEqualTo(
            "checkpoints: 0 completed, 2 failed; FAILING since the last completed one (latest 2)");
  }
}
