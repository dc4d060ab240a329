package io.xfaas.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.records.ReasonCode;
import io.xfaas.serde.InvocationLimits;
import io.xfaas.serde.InvocationSerde;
import io.xfaas.serde.ParseResult;
import org.junit.jupiter.api.Test;

/** Each bad record of the flood is rejected for the reason it stands for, with its id or not. */
class BadInputTest {
  @Test
  void eachKindIsRejectedForItsReason() {
    InvocationLimits limits = new InvocationLimits(FaultRun.PAYLOAD_LIMIT, 128, 300_000, 3);
    InvocationSerde serde = new InvocationSerde(limits);
    for (ReasonCode kind : BadInput.KINDS) {
      ParseResult r =
          serde.parse(
              BadInput.record(kind, "id-1", FaultRun.PAYLOAD_LIMIT), System.currentTimeMillis());
      assertThat(r).as(kind.name()).isInstanceOf(ParseResult.Rejected.class);
      ParseResult.Rejected rejected = (ParseResult.Rejected) r;
      assertThat(rejected.reason()).isEqualTo(kind);
      assertThat(rejected.id()).isEqualTo(BadInput.hasId(kind) ? "id-1" : null);
    }
  }
}
