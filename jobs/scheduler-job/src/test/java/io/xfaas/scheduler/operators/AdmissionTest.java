package io.xfaas.scheduler.operators;

import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.kafka.RawRecord;
import io.xfaas.records.OutcomeStatus;
import io.xfaas.records.ReasonCode;
import io.xfaas.serde.InvocationLimits;
import io.xfaas.serde.InvocationSerde;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class AdmissionTest {
  private static final long NOW = 1_700_000_000_000L;
  private final Admission admission =
      new Admission(new InvocationSerde(InvocationLimits.DEFAULTS), "local");

  private static RawRecord record(String json) {
    return record(json.getBytes(StandardCharsets.UTF_8));
  }

  private static RawRecord record(byte[] bytes) {
    return new RawRecord("xfaas.local.durableq", 2, 41, NOW - 5, null, bytes);
  }

  @Test
  void validInvocationIsAdmitted() {
    var d = admission.admit(record("{\"id\":\"a\",\"tenant\":\"t\",\"function\":\"echo\"}"), NOW);
    assertThat(d).isInstanceOf(Admission.Decision.Admitted.class);
    assertThat(((Admission.Decision.Admitted) d).invocation().id()).isEqualTo("a");
  }

  @Test
  void pastDeadlineExpiresOnArrivalWithOneOutcome() {
    var d =
        admission.admit(
            record(
                "{\"id\":\"late\",\"tenant\":\"t\",\"function\":\"echo\",\"submittedAt\":"
                    + (NOW - 2000)
                    + ",\"deadline\":"
                    + (NOW - 1000)
                    + "}"),
            NOW);
    assertThat(d).isInstanceOf(Admission.Decision.Expired.class);
    var o = ((Admission.Decision.Expired) d).outcome();
    assertThat(o.id()).isEqualTo("late");
    assertThat(o.status()).isEqualTo(OutcomeStatus.EXPIRED);
    assertThat(o.reason()).isEqualTo(ReasonCode.DEADLINE_EXCEEDED);
    assertThat(o.detail()).contains("1000 ms after its deadline");
    assertThat(o.finishedAt()).isEqualTo(NOW);
    assertThat(o.attempts()).isZero();
  }

  @Test
  void pastDeadlineWithoutSubmittedAtExpiresInsteadOfBeingRejected() {
    // As Kafka's console producer sends it: no submittedAt, a deadline already gone.
    var d =
        admission.admit(
            record(
                "{\"id\":\"late\",\"tenant\":\"t\",\"function\":\"echo\",\"deadline\":"
                    + (NOW - 1000)
                    + "}"),
            NOW);
    assertThat(d).isInstanceOf(Admission.Decision.Expired.class);
    var o = ((Admission.Decision.Expired) d).outcome();
    assertThat(o.status()).isEqualTo(OutcomeStatus.EXPIRED);
    assertThat(o.reason()).isEqualTo(ReasonCode.DEADLINE_EXCEEDED);
    assertThat(o.submittedAt()).isEqualTo(NOW);
    assertThat(o.detail()).contains("1000 ms after its deadline");
  }

  @Test
  void pastDeadlineBeforeTheProducersOwnSubmittedAtIsBadInput() {
    var d =
        admission.admit(
            record(
                "{\"id\":\"bad\",\"tenant\":\"t\",\"function\":\"echo\",\"submittedAt\":"
                    + (NOW - 1000)
                    + ",\"deadline\":"
                    + (NOW - 2000)
                    + "}"),
            NOW);
    assertThat(d).isInstanceOf(Admission.Decision.Rejected.class);
    assertThat(((Admission.Decision.Rejected) d).deadLetter().reason())
        .isEqualTo(ReasonCode.INVALID_TIMESTAMP);
  }

  @Test
  void badRecordWithIdGetsDeadLetterAndRejectedOutcome() {
    String json = "{\"id\":\"b\",\"tenant\":\"t\",\"function\":\"f\",\"criticality\":\"URGENT\"}";
    var d = (Admission.Decision.Rejected) admission.admit(record(json), NOW);
    assertThat(d.deadLetter().reason()).isEqualTo(ReasonCode.UNKNOWN_CRITICALITY);
    assertThat(d.deadLetter().original()).isEqualTo(json);
    assertThat(d.deadLetter().topic()).isEqualTo("xfaas.local.durableq");
    assertThat(d.deadLetter().partition()).isEqualTo(2);
    assertThat(d.deadLetter().offset()).isEqualTo(41);
    assertThat(d.outcome().status()).isEqualTo(OutcomeStatus.REJECTED);
    assertThat(d.outcome().reason()).isEqualTo(ReasonCode.UNKNOWN_CRITICALITY);
    assertThat(d.outcome().id()).isEqualTo("b");
    assertThat(d.outcome().tenant()).isEqualTo("t");
  }

  @Test
  void recordWithoutIdGoesToTheDeadLetterQueueOnly() {
    var d = (Admission.Decision.Rejected) admission.admit(record("{not json"), NOW);
    assertThat(d.deadLetter().reason()).isEqualTo(ReasonCode.MALFORMED_JSON);
    assertThat(d.deadLetter().original()).isEqualTo("{not json");
    assertThat(d.outcome()).isNull();
  }

  @Test
  void nonUtf8BytesAreKeptAsBase64() {
    byte[] bytes = {(byte) 0xff, (byte) 0xfe, 0x00, 0x41};
    var d = (Admission.Decision.Rejected) admission.admit(record(bytes), NOW);
    assertThat(d.deadLetter().original()).isNull();
    assertThat(Base64.getDecoder().decode(d.deadLetter().originalBase64())).isEqualTo(bytes);
  }
}
