package io.xfaas.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.records.Criticality;
import io.xfaas.records.Outcome;
import io.xfaas.records.OutcomeStatus;
import io.xfaas.records.ReasonCode;
import io.xfaas.serde.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutcomeJsonTest {
  @Test
  void writesWhatJsonWriteWritesByteForByte() {
    List<Outcome> outcomes =
        List.of(
            echoSucceeded(
                "id-1", Criticality.NORMAL, 1, "{\"n\":[1,2],\"s\":\"\\u00e9 \\\"q\\\"\"}"),
            new Outcome(
                "id-2",
                "acme",
                "fail",
                Criticality.CRITICAL,
                OutcomeStatus.FAILED,
                ReasonCode.FUNCTION_ERROR,
                "boom: \"quoted\" \u00e9 \n newline",
                3,
                10L,
                null,
                30L,
                40L,
                "eu",
                null),
            new Outcome(
                "id-3",
                null,
                null,
                null,
                OutcomeStatus.REJECTED,
                ReasonCode.MALFORMED_JSON,
                "bad",
                0,
                0L,
                null,
                null,
                40L,
                "eu",
                null),
            echoSucceeded("id-4", Criticality.DEFERRABLE, 2, "null"));
    for (Outcome o : outcomes) {
      assertThat(new String(OutcomeJson.write(o))).isEqualTo(new String(Json.write(o)));
    }
  }

  /** acme's echo, succeeded in eu at 10, 20, 30 and 40 ms. */
  private static Outcome echoSucceeded(
      String id, Criticality criticality, int attempts, String result) {
    return new Outcome(
        id,
        "acme",
        "echo",
        criticality,
        OutcomeStatus.SUCCEEDED,
        null,
        null,
        attempts,
        10L,
        20L,
        30L,
        40L,
        "eu",
        result);
  }
}
