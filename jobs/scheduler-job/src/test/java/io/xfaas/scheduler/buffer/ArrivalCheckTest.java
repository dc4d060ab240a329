package io.xfaas.scheduler.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.records.Criticality;
import io.xfaas.records.Invocation;
import io.xfaas.records.ReasonCode;
import io.xfaas.records.TenantSettings;
import io.xfaas.scheduler.buffer.ArrivalCheck.Arrival;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArrivalCheckTest {
  private static final long NOW = 1_800_000_000_000L;
  private static final TenantSettings ACME =
      new TenantSettings("acme", 10, 10, 10, 1, 2, List.of("echo"), null, 0);

  private static Invocation call(int attempt, String function, Long notBefore, Long deadline) {
    return new Invocation(
        "id",
        "acme",
        function,
        Criticality.NORMAL,
        0,
        NOW - 100,
        notBefore,
        deadline,
        attempt,
        3,
        null,
        Map.of(),
        null,
        Map.of());
  }

  private static Arrival check(Invocation inv, CallEntry previous, TenantSettings t, int waiting) {
    return ArrivalCheck.check(inv, previous, t, waiting, NOW);
  }

  @Test
  void aCancelBeforeTheCallCancelsIt() {
    assertThat(check(call(1, "echo", null, null), CallEntry.cancelledEarly(), ACME, 0))
        .isInstanceOf(Arrival.Cancelled.class);
  }

  @Test
  void anAttemptSeenBeforeIsADuplicateAndALaterOneIsNot() {
    assertThat(check(call(1, "echo", null, null), CallEntry.done(1), ACME, 0))
        .isInstanceOf(Arrival.Duplicate.class);
    assertThat(check(call(1, "echo", null, null), CallEntry.inFlight(2), ACME, 0))
        .isInstanceOf(Arrival.Duplicate.class);
    assertThat(check(call(2, "echo", null, null), CallEntry.inFlight(1), ACME, 0))
        .isInstanceOf(Arrival.TryNow.class);
  }

  @Test
  void unknownTenantsForbiddenFunctionsAndAFullBufferAreRejected() {
    assertThat(((Arrival.Rejected) check(call(1, "echo", null, null), null, null, 0)).reason())
        .isEqualTo(ReasonCode.UNKNOWN_TENANT);
    assertThat(((Arrival.Rejected) check(call(1, "rm", null, null), null, ACME, 0)).reason())
        .isEqualTo(ReasonCode.UNKNOWN_FUNCTION);
    Arrival.Rejected full = (Arrival.Rejected) check(call(1, "echo", null, null), null, ACME, 2);
    assertThat(full.reason()).isEqualTo(ReasonCode.BUFFER_FULL);
    assertThat(full.detail()).isEqualTo("FuncBuffer of tenant 'acme' holds 2 (bound 2)");
  }

  @Test
  void aPassedDeadlineOwnOrTheTenantsDefaultExpires() {
    assertThat(check(call(1, "echo", null, NOW), null, ACME, 0))
        .isInstanceOf(Arrival.Expired.class);
    TenantSettings shortDefault = new TenantSettings("acme", 10, 10, 10, 1, 2, List.of(), 100L, 0);
    Arrival a = check(call(1, "echo", null, null), null, shortDefault, 0);
    assertThat(((Arrival.Expired) a).inv().deadline()).isEqualTo(NOW);
    TenantSettings longDefault = new TenantSettings("acme", 10, 10, 10, 1, 2, List.of(), 1000L, 0);
    Arrival later = check(call(1, "echo", null, null), null, longDefault, 0);
    assertThat(((Arrival.TryNow) later).inv().deadline()).isEqualTo(NOW + 900);
  }

  @Test
  void aFutureNotBeforeIsDelayedAndADueCallQueuesBehindOthers() {
    assertThat(check(call(1, "echo", NOW + 1, null), null, ACME, 0))
        .isInstanceOf(Arrival.Delayed.class);
    assertThat(check(call(1, "echo", NOW, null), null, ACME, 0)).isInstanceOf(Arrival.TryNow.class);
    assertThat(check(call(1, "echo", null, null), null, ACME, 1))
        .isInstanceOf(Arrival.Queued.class);
  }
}
