package io.xfaas.records;

import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.kafka.RawRecord;
import io.xfaas.serde.Json;
import java.util.Map;
import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every message Flink moves between operators or keeps in state is a POJO, never Kryo. */
class RecordsSerializationTest {

  @ParameterizedTest
  @ValueSource(
      classes = {
        Invocation.class,
        Outcome.class,
        DeadLetter.class,
        FunctionFeedback.class,
        RawRecord.class,
        TenantSettings.class,
        SchedulingMetrics.class,
        LoadReport.class,
        SchedulingDecision.class
      })
  void messagesAreFlinkPojos(Class<?> message) {
    PojoTestUtils.assertSerializedAsPojoWithoutKryo(message);
  }

  @Test
  void outcomeJsonRoundTripsWithRawResult() {
    Outcome o =
        new Outcome(
            "id",
            "t",
            "f",
            Criticality.NORMAL,
            OutcomeStatus.SUCCEEDED,
            null,
            null,
            1,
            10L,
            11L,
            12L,
            13L,
            "local",
            "{\"r\":[1,2]}");
    String json = new String(Json.write(o));
    assertThat(json).contains("\"result\":{\"r\":[1,2]}").doesNotContain("\"reason\"");
    assertThat(Json.readOutcome(json.getBytes())).isEqualTo(o);
  }

  @Test
  void deadLetterJsonRoundTrips() {
    DeadLetter d =
        new DeadLetter(
            ReasonCode.MALFORMED_JSON,
            "bad",
            null,
            null,
            null,
            "{oops",
            null,
            "xfaas.local.durableq",
            3,
            42L,
            99L,
            "local");
    assertThat(Json.readDeadLetter(Json.write(d))).isEqualTo(d);
  }

  @Test
  void functionFeedbackJsonRoundTrips() throws Exception {
    FunctionFeedback f =
        new FunctionFeedback(
            "echo", "sidecar-1", "local", 1000L, 2000L, 50, 2, 1, 3, 4, 20, 8, 5, 10, 64, 12, 0.25);
    byte[] json = Json.write(f);
    assertThat(new String(json)).contains("\"latencyP99Ms\":20").contains("\"utilization\":0.25");
    assertThat(Json.MAPPER.readValue(json, FunctionFeedback.class)).isEqualTo(f);
  }

  @Test
  void invocationDefaultsItsMaps() {
    Invocation inv =
        new Invocation(
            "i", "t", "f", Criticality.NORMAL, 0, 1, null, null, 1, 1, null, null, null, null);
    assertThat(inv.attributes()).isEqualTo(Map.of());
    assertThat(inv.extra()).isEqualTo(Map.of());
    assertThat(inv.withDispatchedAt(5).dispatchedAt()).isEqualTo(5L);
    assertThat(inv.retry(9).attempt()).isEqualTo(2);
    assertThat(inv.retry(9).notBefore()).isEqualTo(9L);
  }
}
