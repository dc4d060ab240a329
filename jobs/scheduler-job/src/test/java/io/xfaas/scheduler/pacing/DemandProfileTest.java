package io.xfaas.scheduler.pacing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The demand profile: what it learns per slot of the cycle, its level and its fill level. */
class DemandProfileTest {
  // A cycle of 4 s in 4 slots of 1 s, starting at a cycle boundary.
  private static final long CYCLE = 4000;
  private static final long T0 = 1_000 * CYCLE;

  /**
   * Plays one cycle from {@code start}: {@code perSlot[i]} calls in slot i, of them {@code d[i]}
   * DEFERRABLE.
   */
  private static void cycle(DemandProfile p, long start, int[] perSlot, int[] d) {
    for (int i = 0; i < perSlot.length; i++) {
      for (int k = 0; k < perSlot[i]; k++) {
        p.arrived(start + i * 1000L + k * 1000L / perSlot[i], k < d[i]);
      }
    }
  }

  @Test
  void theLevelIsKnownOnceEverySlotWasSeenAndIsTheCyclesMeanRate() {
    DemandProfile p = new DemandProfile(CYCLE, 4);
    cycle(p, T0, new int[] {10, 2, 6, 22}, new int[] {0, 0, 0, 0});
    assertThat(p.complete()).as("the last slot is still open").isFalse();
    assertThat(p.levelPerSecond()).isNaN();
    p.advance(T0 + CYCLE);
    assertThat(p.complete()).isTrue();
    assertThat(p.levelPerSecond()).isCloseTo(10.0, within(1e-9));
    assertThat(p.forecastPerSecond(T0 + CYCLE + 1500)).as("slot 1, a cycle later").isEqualTo(2.0);
    assertThat(p.forecastPerSecond(T0 + 7 * CYCLE + 3999)).isEqualTo(22.0);
  }

  @Test
  void aQuietSlotCountsAsZeroAndLaterCyclesAreSmoothedIn() {
    DemandProfile p = new DemandProfile(CYCLE, 4);
    p.arrived(T0, false);
    p.advance(T0 + CYCLE); // slots 1..3 saw nothing
    assertThat(p.forecastPerSecond(T0 + 2000)).isZero();
    assertThat(p.levelPerSecond()).isCloseTo(0.25, within(1e-9));
    cycle(p, T0 + CYCLE, new int[] {1, 1, 9, 1}, new int[] {0, 0, 0, 0});
    p.advance(T0 + 2 * CYCLE);
    assertThat(p.forecastPerSecond(T0 + 2000)).isEqualTo(DemandProfile.SMOOTHING * 9);
  }

  @Test
  void heldWorkIsReleasedIntoTheDeepestTroughFirst() {
    DemandProfile p = new DemandProfile(CYCLE, 4);
    cycle(p, T0, new int[] {10, 2, 6, 22}, new int[] {0, 0, 0, 0});
    p.advance(T0 + CYCLE);
    long now = T0 + CYCLE;
    // Nothing held and nothing expected: the water stays at the deepest trough.
    assertThat(p.fillLevelPerSecond(now, CYCLE, 0)).isCloseTo(2.0, within(1e-3));
    // 4 calls fill the 2/s trough up to the 6/s one.
    assertThat(p.fillLevelPerSecond(now, CYCLE, 4)).isCloseTo(6.0, within(1e-3));
    // 6 more: both troughs up to 9/s (2 slots x 3/s).
    assertThat(p.fillLevelPerSecond(now, CYCLE, 10)).isCloseTo(9.0, within(1e-3));
    // More than every trough below the level holds: the level.
    assertThat(p.fillLevelPerSecond(now, CYCLE, 1000)).isEqualTo(10.0);
  }

  @Test
  void theFillLevelCountsTheDeferrableWorkExpectedAboveIt() {
    DemandProfile p = new DemandProfile(CYCLE, 4);
    // The 22/s peak carries 12 DEFERRABLE calls: held there, they need troughs.
    cycle(p, T0, new int[] {10, 2, 6, 22}, new int[] {0, 0, 0, 12});
    p.advance(T0 + CYCLE);
    // Troughs below W=9 hold (7 + 3) = 10 calls; what comes above 9: 10 (slot 0 has 1 NORMAL over,
    // none DEFERRABLE) + 12 (slot 3) => W higher, capped at the level's room: the level.
    double w = p.fillLevelPerSecond(T0 + CYCLE, CYCLE, 0);
    assertThat(w).isGreaterThan(9.0).isLessThanOrEqualTo(10.0);
  }

  @Test
  void theTroughsRoomBetweenTwoTimesCountsTheSlotsPartsInsideThem() {
    DemandProfile p = new DemandProfile(CYCLE, 4);
    assertThat(p.troughCalls(T0, T0 + CYCLE, 100)).as("nothing learned yet").isZero();
    cycle(p, T0, new int[] {10, 2, 6, 22}, new int[] {0, 0, 0, 0});
    p.advance(T0 + CYCLE);
    long c = T0 + CYCLE;
    // Below 8/s: slot 1 holds 6 calls, slot 2 holds 2, the others none.
    assertThat(p.troughCalls(c, c + CYCLE, 8)).isCloseTo(8.0, within(1e-9));
    // Half of slot 1 and a quarter of slot 2.
    assertThat(p.troughCalls(c + 1500, c + 2250, 8)).isCloseTo(3.0 + 0.5, within(1e-9));
    // Across a cycle's end: slot 3 (none) then the next cycle's slot 0 and 1 at 12/s: 2 + 10.
    assertThat(p.troughCalls(c + 3000, c + CYCLE + 2000, 12)).isCloseTo(12.0, within(1e-9));
    assertThat(p.troughCalls(c + 2000, c + 2000, 100)).isZero();
  }

  @Test
  void theCheckpointedFormComesBackAndAnotherCycleStartsAfresh() {
    DemandProfile p = new DemandProfile(CYCLE, 4);
    cycle(p, T0, new int[] {10, 2, 6, 22}, new int[] {1, 0, 0, 5});
    p.arrived(T0 + CYCLE + 10, true); // counted in the open slot
    byte[] bytes = p.toBytes();
    DemandProfile back = DemandProfile.fromBytes(bytes, CYCLE, 4);
    assertThat(back.toBytes()).isEqualTo(bytes);
    assertThat(back.levelPerSecond()).isEqualTo(p.levelPerSecond());
    assertThat(back.fillLevelPerSecond(T0 + CYCLE, CYCLE, 3))
        .isEqualTo(p.fillLevelPerSecond(T0 + CYCLE, CYCLE, 3));
    assertThat(DemandProfile.fromBytes(bytes, 2 * CYCLE, 4).complete()).isFalse();
  }

  @Test
  void aRestoreAfterADowntimeLeavesTheUnwatchedSlotsUnseenNotQuiet() {
    DemandProfile p = new DemandProfile(CYCLE, 4);
    p.arrived(T0 + 100, true);
    p.arrived(T0 + 200, true); // slot 0 still open at the checkpoint
    byte[] bytes = p.toBytes();

    // Watched all along, the quiet slots after it count as zeros and the cycle is learned.
    p.advance(T0 + CYCLE);
    assertThat(p.complete()).isTrue();
    assertThat(p.levelPerSecond()).isCloseTo(0.5, within(1e-9));

    // Restored a cycle later, the job saw none of that time: nothing is learned from it.
    DemandProfile back = DemandProfile.fromBytes(bytes, CYCLE, 4);
    back.advance(T0 + 300); // its restored timers fire first, at their own times
    back.advance(T0 + CYCLE + 1100);
    assertThat(back.complete()).isFalse();
    assertThat(back.forecastPerSecond(T0 + 2500)).isNaN();
    // It counts again from there: slot 1 and what follows, watched, are learned.
    back.arrived(T0 + CYCLE + 1200, false);
    back.advance(T0 + 2 * CYCLE);
    assertThat(back.forecastPerSecond(T0 + 1500)).isEqualTo(1.0);
    assertThat(back.forecastPerSecond(T0 + 3500)).isZero();
    assertThat(back.forecastPerSecond(T0 + 500)).as("slot 0 not watched since the restore").isNaN();
    back.advance(T0 + 2 * CYCLE + 1000);
    assertThat(back.complete()).isTrue();
  }

  @Test
  void aRestoreWithinTheCheckpointsSlotOrJustAfterItGoesOnCountingIt() {
    DemandProfile p = new DemandProfile(CYCLE, 4);
    p.arrived(T0 + 100, false);
    byte[] bytes = p.toBytes();
    DemandProfile back = DemandProfile.fromBytes(bytes, CYCLE, 4);
    back.arrived(T0 + 600, false); // a restored timer, or a quick failover
    for (long t = T0 + 1000; t <= T0 + CYCLE; t += 1000) back.advance(t); // running: a clock tick
    assertThat(back.complete()).isTrue();
    assertThat(back.forecastPerSecond(T0 + CYCLE + 10)).isEqualTo(2.0);

    DemandProfile next = DemandProfile.fromBytes(bytes, CYCLE, 4);
    next.arrived(T0 + 1200, false); // failed over across the slot's end
    for (long t = T0 + 2000; t <= T0 + CYCLE; t += 1000) next.advance(t);
    assertThat(next.complete()).isTrue();
    assertThat(next.forecastPerSecond(T0 + 10)).isEqualTo(1.0);
    assertThat(next.forecastPerSecond(T0 + 1010)).isEqualTo(1.0);
  }
}
