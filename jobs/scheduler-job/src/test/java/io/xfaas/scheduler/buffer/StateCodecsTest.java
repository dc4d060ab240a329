package io.xfaas.scheduler.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xfaas.records.Criticality;
import io.xfaas.records.Invocation;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The hand-written state layouts read back what they wrote, and refuse a layout they do not know.
 */
class StateCodecsTest {
  @Test
  void anInvocationRoundTripsWithEveryFieldSetOrAbsent() {
    Invocation full =
        new Invocation(
            "id-é",
            "acme",
            "resize",
            Criticality.DEFERRABLE,
            -7,
            1_800_000_000_123L,
            1_800_000_001_000L,
            1_800_000_009_000L,
            2,
            5,
            "{\"n\":\"ü\"}",
            Map.of("trace", "t1"),
            1_800_000_002_000L,
            Map.of("future", "[1,2]"));
    Invocation bare =
        new Invocation(
            "x",
            "t",
            "f",
            Criticality.CRITICAL,
            0,
            0,
            null,
            null,
            1,
            1,
            null,
            Map.of(),
            null,
            Map.of());
    assertThat(InvocationCodec.decode(InvocationCodec.encode(full))).isEqualTo(full);
    assertThat(InvocationCodec.decode(InvocationCodec.encode(bare))).isEqualTo(bare);
    // Compact: the bare call is a few bytes over its strings.
    assertThat(InvocationCodec.encode(bare)).hasSizeLessThan(16);
  }

  @Test
  void aTenantRecordRoundTripsAndAnEmptyOneSaysSo() {
    TenantRecord r = TenantRecord.empty();
    assertThat(r.isEmpty()).isTrue();
    r.buffered(3);
    r.parked(1);
    r.delayed(2);
    r.dispatched();
    assertThat(r.takeSeq()).isZero();
    r.bucket(new TokenBucket(-0.5, 1_800_000_000_000L));
    r.wakeAt(1_800_000_000_100L);
    r.nextDeadlineAt(1_800_000_009_000L);
    TenantRecord back = TenantRecord.decode(r.encode());
    assertThat(back.buffered()).isEqualTo(3);
    assertThat(back.parked()).isEqualTo(1);
    assertThat(back.unparked()).isEqualTo(2);
    assertThat(back.delayed()).isEqualTo(2);
    assertThat(back.waiting()).isEqualTo(5);
    assertThat(back.inFlight()).isEqualTo(1);
    assertThat(back.takeSeq()).isEqualTo(1);
    assertThat(back.bucket()).isEqualTo(new TokenBucket(-0.5, 1_800_000_000_000L));
    assertThat(back.wakeAt()).isEqualTo(1_800_000_000_100L);
    assertThat(back.nextDelayedAt()).isNull();
    assertThat(back.nextDeadlineAt()).isEqualTo(1_800_000_009_000L);
    assertThat(back.isEmpty()).isFalse();
    assertThat(TenantRecord.decode(null).isEmpty()).isTrue();
  }

  @Test
  void aSlotFreedTwiceNeverGoesBelowZero() {
    TenantRecord r = TenantRecord.empty();
    r.dispatched();
    r.slotFreed();
    r.slotFreed();
    assertThat(r.inFlight()).isZero();
  }

  @Test
  void layoutsOfAnotherVersionAreRefused() {
    byte[] record = TenantRecord.empty().encode();
    record[0] = 2;
    assertThatThrownBy(() -> TenantRecord.decode(record)).hasMessageContaining("layout 2");
    byte[] inv =
        InvocationCodec.encode(
            new Invocation(
                "x",
                "t",
                "f",
                Criticality.NORMAL,
                0,
                0,
                null,
                null,
                1,
                1,
                null,
                Map.of(),
                null,
                Map.of()));
    inv[0] = 9;
    assertThatThrownBy(() -> InvocationCodec.decode(inv)).hasMessageContaining("layout 9");
  }

  @Test
  void aCallEntryCarriesItsStatusAttemptAndPlace() {
    byte[] where = Locator.of(TenantQueue.Place.PARKED, new byte[] {1, 2, 3});
    CallEntry waiting = CallEntry.waiting(300, where);
    CallEntry back = CallEntry.decode(waiting.encode());
    assertThat(back).isEqualTo(waiting);
    assertThat(Locator.place(back.where())).isEqualTo(TenantQueue.Place.PARKED);
    assertThat(Locator.key(back.where())).containsExactly(1, 2, 3);
    assertThat(CallEntry.decode(CallEntry.inFlight(2).encode())).isEqualTo(CallEntry.inFlight(2));
    assertThat(CallEntry.decode(CallEntry.cancelledEarly().encode()).status())
        .isEqualTo(CallEntry.Status.CANCELLED_EARLY);
    assertThat(CallEntry.inFlight(2).encode()).hasSize(2); // status and attempt: one byte each
    assertThat(CallEntry.decode(null)).isNull();
  }
}
