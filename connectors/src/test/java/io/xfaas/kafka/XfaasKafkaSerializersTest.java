package io.xfaas.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.records.Criticality;
import io.xfaas.records.DeadLetter;
import io.xfaas.records.Invocation;
import io.xfaas.records.Outcome;
import io.xfaas.records.OutcomeStatus;
import io.xfaas.records.ReasonCode;
import io.xfaas.records.SerializedOutcome;
import io.xfaas.serde.Json;
import java.nio.charset.StandardCharsets;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

/**
 * The sinks' serializers survive Java serialization (as Flink ships them to tasks) with their own
 * key and value functions: two references to one method once deserialized as the same lambda.
 */
class XfaasKafkaSerializersTest {
  private static <S extends java.io.Serializable> S shipped(S s) throws Exception {
    return InstantiationUtil.clone(s, XfaasKafkaSerializersTest.class.getClassLoader());
  }

  @Test
  void everySerializerKeysAndWritesItsOwnType() throws Exception {
    Invocation inv =
        new Invocation(
            "i1", "t", "fn", Criticality.NORMAL, 0, 5, null, null, 1, 3, null, null, 6L, null);
    Outcome outcome =
        new Outcome(
            "o1",
            "t",
            "fn",
            Criticality.CRITICAL,
            OutcomeStatus.SUCCEEDED,
            null,
            null,
            1,
            1,
            2L,
            3L,
            4,
            "r",
            null);
    DeadLetter letter =
        new DeadLetter(
            ReasonCode.MALFORMED_JSON, "x", "d1", null, null, "{", null, "dq", 0, 1, 2, "r");

    var runq = shipped(XfaasKafka.runQSerializer("runq")).serialize(inv, null, 7L);
    var outcomes =
        shipped(XfaasKafka.outcomeSerializer("outcomes"))
            .serialize(SerializedOutcome.of(outcome), null, 7L);
    var dlq = shipped(XfaasKafka.deadLetterSerializer("dlq")).serialize(letter, null, 7L);

    assertThat(runq.topic()).isEqualTo("runq");
    assertThat(new String(runq.key(), StandardCharsets.UTF_8)).isEqualTo("fn");
    assertThat(outcomes.topic()).isEqualTo("outcomes");
    assertThat(new String(outcomes.key(), StandardCharsets.UTF_8)).isEqualTo("o1");
    assertThat(Json.readOutcome(outcomes.value())).isEqualTo(outcome);
    assertThat(dlq.topic()).isEqualTo("dlq");
    assertThat(new String(dlq.key(), StandardCharsets.UTF_8)).isEqualTo("d1");
    assertThat(Json.readDeadLetter(dlq.value())).isEqualTo(letter);
  }
}
