package io.xfaas.scheduler.pacing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.xfaas.records.Criticality;
import io.xfaas.records.DecisionReason;
import org.junit.jupiter.api.Test;

/**
 * The utilization controller in its level-seeking and off modes, under a clock the test sets: a
 * cycle of 4 s in 4 slots, so that a whole "day" is learned in a few lines.
 */
class LevelControllerTest {
  private static final long CYCLE = 4000;
  private static final long T0 = 1_000 * CYCLE;

  private static UtilizationController controller(UtilizationSettings.Mode mode) {
    return new UtilizationController(UtilizationSettings.defaults(500, mode, CYCLE, 4), 1);
  }

  /** One cycle of arrivals from {@code start}: {@code perSecond[i]} NORMAL calls in slot i. */
  private static void learn(UtilizationController c, long start, int... perSecond) {
    play(c, start, perSecond);
    c.update(start + CYCLE);
  }

  /** The first slots of a cycle from {@code start}, as {@link #learn} plays them. */
  private static void play(UtilizationController c, long start, int... perSecond) {
    for (int i = 0; i < perSecond.length; i++) {
      for (int k = 0; k < perSecond[i]; k++) {
        c.arrived(Criticality.NORMAL, start + i * 1000L + k * 1000L / perSecond[i]);
      }
    }
  }

  /** Spare slots granted over one second from {@code from}, asked every 10 ms. */
  private static int releasedOverOneSecond(UtilizationController c, long from) {
    int n = 0;
    for (long t = from; t < from + 1000; t += 10) if (c.trySpareSlot(t)) n++;
    return n;
  }

  @Test
  void untilACycleIsLearnedTheThresholdRuleApplies() {
    UtilizationController c = controller(UtilizationSettings.Mode.LEVEL);
    c.arrived(Criticality.NORMAL, T0);
    c.update(T0 + 1000);
    assertThat(c.levelActive()).isFalse();
    assertThat(c.level()).isNaN();
    assertThat(c.holding()).isFalse();
    assertThat(c.trySpareSlot(T0 + 1000)).as("no reports: nothing holds it").isTrue();
    assertThat(c.holdReason()).isEqualTo(DecisionReason.FILLING_TROUGH);
  }

  @Test
  void aboveTheLevelDeferrableWorkIsHeldAndBelowItReleasedUpToTheFillLevel() {
    UtilizationController c = controller(UtilizationSettings.Mode.LEVEL);
    learn(c, T0, 10, 2, 6, 22); // level 10/s
    assertThat(c.levelActive()).isTrue();
    assertThat(c.level()).isEqualTo(10.0);

    // The next cycle plays the same demand. Its slot 0 as before, then the deepest trough (slot
    // 1): with 4 calls held the fill level is 6/s (the 2/s trough filled up to the 6/s one), so
    // 6 go in its second, plus at most the second's burst saved before (not the level's 10/s).
    long next = T0 + CYCLE;
    for (int k = 0; k < 10; k++) c.arrived(Criticality.NORMAL, next + k * 100L);
    long trough = next + 1000;
    c.latestStart("f", trough + 60_000, 4, trough, 0); // the planner tells it what is held
    c.update(trough);
    assertThat(c.fillLevel()).isCloseTo(6.0, within(0.01));
    assertThat(releasedOverOneSecond(c, trough)).isBetween(6, 12);
    assertThat(releasedOverOneSecond(c, trough + 1000)).as("the next second").isBetween(5, 7);

    // The peak slot (3): NORMAL dispatches at 22/s take all the room.
    long peak = next + 3000;
    int released = 0;
    for (int k = 0; k < 22; k++) {
      long t = peak + k * 1000L / 22;
      c.dispatched(Criticality.NORMAL, t);
      if (c.trySpareSlot(t)) released++;
    }
    assertThat(released).as("DEFERRABLE let go at the peak").isLessThanOrEqualTo(1);
    assertThat(c.holding()).isTrue();
    assertThat(c.holdReason()).isEqualTo(DecisionReason.ABOVE_LEVEL);
  }

  @Test
  void aTenantHeldAboveTheLevelIsToldWhenTheLevelNextHasRoom() {
    UtilizationController c = controller(UtilizationSettings.Mode.LEVEL);
    assertThat(c.nextSpareAt(T0)).as("no level learned yet").isNull();
    learn(c, T0, 10, 10, 10, 10); // flat: level and fill level 10/s
    long t = T0 + CYCLE;
    while (c.trySpareSlot(t)) {} // the saved burst taken
    // One call every 100 ms at 10/s: the next room is a tenth of a second away, not a second.
    Long at = c.nextSpareAt(t);
    assertThat(at).isNotNull().isBetween(t + UtilizationController.LEVEL_LOOK_MS, t + 100);
    assertThat(c.trySpareSlot(at)).isTrue();
    // Never sooner than the least look, however near the room.
    assertThat(c.nextSpareAt(at)).isGreaterThanOrEqualTo(at + UtilizationController.LEVEL_LOOK_MS);
    // Holding for high utilization (not the level): no level room to wake for.
    c.onFeedback(Feedback.of("f", "s1", at, 100, 0, 50, 8, 8, 0, 8, 0.99));
    c.update(at);
    assertThat(c.nextSpareAt(at)).isNull();
  }

  @Test
  void criticalAndNormalDispatchesTakeTheLevelsRoomButAreNeverRefused() {
    UtilizationController c = controller(UtilizationSettings.Mode.LEVEL);
    learn(c, T0, 10, 10, 10, 10); // flat: level 10/s, fill level 10/s
    long t = T0 + CYCLE;
    // 5 NORMAL calls a second leave 5 for DEFERRABLE work.
    int released = 0;
    for (int ms = 0; ms < 1000; ms += 10) {
      if (ms % 200 == 0) c.dispatched(Criticality.NORMAL, t + ms);
      if (c.trySpareSlot(t + ms)) released++;
    }
    assertThat(released).isBetween(4, 6 + 1); // + the burst left from before
  }

  @Test
  void aCallSentAtItsLatestStartTakesTheLevelsRoomToo() {
    UtilizationController c = controller(UtilizationSettings.Mode.LEVEL);
    learn(c, T0, 10, 10, 10, 10); // level 10/s
    long t = T0 + CYCLE + 2000;
    c.update(t);
    int before = releasedOverOneSecond(c, t);
    UtilizationController twin = controller(UtilizationSettings.Mode.LEVEL);
    learn(twin, T0, 10, 10, 10, 10);
    twin.update(t);
    for (int i = 0; i < 5; i++) twin.dueDispatched(t);
    // Five due calls went on top: five fewer held calls go in that second.
    assertThat(releasedOverOneSecond(twin, t)).isEqualTo(before - 5);
  }

  @Test
  void offNeverHolds() {
    UtilizationController c = controller(UtilizationSettings.Mode.OFF);
    c.onFeedback(Feedback.of("f", "s1", T0, 100, 0, 50, 8, 8, 0, 8, 0.99));
    assertThat(c.update(T0)).isNull();
    assertThat(c.holding()).isFalse();
    assertThat(releasedOverOneSecond(c, T0)).isEqualTo(100);
  }

  @Test
  void thresholdModeNeverSeeksALevel() {
    UtilizationController c = controller(UtilizationSettings.Mode.THRESHOLD);
    learn(c, T0, 10, 2, 6, 22);
    assertThat(c.levelActive()).isFalse();
    c.dispatched(Criticality.NORMAL, T0 + CYCLE);
    assertThat(c.trySpareSlot(T0 + CYCLE)).isTrue();
  }

  @Test
  void theLearnedProfileSurvivesARestartThroughItsCheckpointedForm() {
    UtilizationController c = controller(UtilizationSettings.Mode.LEVEL);
    learn(c, T0, 10, 2, 6, 22);
    UtilizationController restarted = controller(UtilizationSettings.Mode.LEVEL);
    restarted.restoreProfile(c.profileBytes());
    assertThat(restarted.levelActive()).isTrue();
    assertThat(restarted.level()).isEqualTo(10.0);
    assertThat(restarted.forecast(T0 + 5 * CYCLE + 3500)).isEqualTo(22.0);
  }

  @Test
  void heldDeadlinesThatTheTroughsCannotKeepRaiseTheFillLevelEarliestDeadlineFirst() {
    UtilizationController c = controller(UtilizationSettings.Mode.LEVEL);
    learn(c, T0, 10, 10, 10, 10); // flat: level and fill level 10/s
    long next = T0 + CYCLE;
    c.update(next);
    assertThat(c.fillLevel()).isCloseTo(10.0, within(0.01));
    // 40 calls held, due in 8 s: less the plan's lead (the 5 s margin and a 1 s slot), 1 s left to
    // start them all at next + 1000, in a slot whose forecast 10/s takes that much of the room:
    // 10 + 40 = 50/s.
    for (int i = 0; i < 40; i++) c.heldDeadline(next + 8000, +1);
    c.update(next + 1000);
    assertThat(c.fillLevel()).isCloseTo(50.0, within(0.1));
    // As they leave the plan relaxes: once none is held, the troughs' fill level as without it.
    UtilizationController twin = controller(UtilizationSettings.Mode.LEVEL);
    learn(twin, T0, 10, 10, 10, 10);
    for (int i = 0; i < 40; i++) c.heldDeadline(next + 8000, -1);
    c.update(next + 1500);
    twin.update(next + 1500);
    assertThat(c.fillLevel()).isLessThan(50).isEqualTo(twin.fillLevel());
    // Never above what the sidecars can run: 0.9 of the configured 500/s.
    for (int i = 0; i < 10_000; i++) c.heldDeadline(next + 10_000, +1);
    c.update(next + 2000);
    assertThat(c.fillLevel()).isCloseTo(450.0, within(0.01));
  }

  @Test
  void thePlanAimsToHaveEachHeldCallOutASlotBeforeItsDeadlineLessTheMargin() {
    UtilizationController c = controller(UtilizationSettings.Mode.LEVEL);
    learn(c, T0, 10, 10, 10, 10); // flat: level and fill level 10/s
    long next = T0 + CYCLE;
    assertThat(c.planLeadMs()).isEqualTo(5000 + CYCLE / 4);
    c.update(next);
    // 10 held, due 8 s after the next update: the plan keeps 6 s (margin and slot) before it, so
    // 2 s of room at (level - 10/s) must take them: 15/s, where the margin alone would leave 3 s
    // (13.3/s).
    for (int i = 0; i < 10; i++) c.heldDeadline(next + 1000 + 8000, +1);
    c.update(next + 1000);
    assertThat(c.fillLevel()).isCloseTo(15.0, within(0.1));
  }

  @Test
  void heldWorkWhoseDeadlineLiesBeyondTheDeepestTroughWaitsForItInsteadOfLeavingAtThePeak() {
    UtilizationController c = controller(UtilizationSettings.Mode.LEVEL);
    learn(c, T0, 10, 2, 6, 22); // level 10/s; troughs 2/s and 6/s
    play(c, T0 + CYCLE, 10, 2, 6); // the same again up to the peak
    // At the next cycle's peak (slot 3, 22/s forecast, its own CRITICAL and NORMAL at 22/s), 8
    // calls held with a deadline after the next troughs (slot 2 of the cycle after, + the plan's
    // lead: the 5 s margin and a 1 s slot).
    long now = T0 + CYCLE + 3000;
    long deadline = T0 + 2 * CYCLE + 3000 + 6000;
    for (int i = 0; i < 8; i++) c.heldDeadline(deadline, +1);
    c.latestStart("batch", deadline, 8, now, 22.0);
    c.update(now);
    // The troughs before the deadline hold them below 8/s (6 + 2 calls): the fill level stays
    // there,
    // below the peak, instead of rising to a flat 8 calls over 5 s on top of the peak's 22/s.
    assertThat(c.fillLevel()).isCloseTo(8.0, within(0.1));
  }

  @Test
  void aDeadlineBeforeTheDeepestTroughRaisesTheFillLevelToWhatTheTimeBeforeItHolds() {
    UtilizationController c = controller(UtilizationSettings.Mode.LEVEL);
    learn(c, T0, 10, 2, 6, 22);
    long now = T0 + CYCLE + 250; // slot 0, 10/s forecast
    // 8 held, due (less the plan's lead) at the end of slot 1: only slots 0 and 1 can take them.
    // The cycle's troughs alone would say 8/s (2/s and 6/s filled to it), which leaves slot 1 6
    // calls.
    c.latestStart("batch", T0 + CYCLE + 8000, 8, now, 10.0);
    for (int i = 0; i < 8; i++) c.heldDeadline(T0 + CYCLE + 2000 + 6000, +1);
    c.update(now);
    assertThat(c.fillLevel()).isCloseTo(10.0, within(0.1)); // slot 1 takes 10 - 2 = 8
  }

  @Test
  void theHeldDeadlinesSurviveARestartAndOlderCheckpointsStillRestore() {
    UtilizationController c = controller(UtilizationSettings.Mode.LEVEL);
    learn(c, T0, 10, 10, 10, 10);
    byte[] before = c.profileBytes(); // nothing held: a count of 0 buckets at its end
    for (int i = 0; i < 40; i++) c.heldDeadline(T0 + CYCLE + 8000, +1);
    UtilizationController restarted = controller(UtilizationSettings.Mode.LEVEL);
    restarted.restoreProfile(c.profileBytes());
    restarted.update(T0 + CYCLE + 1000);
    assertThat(restarted.fillLevel()).isCloseTo(50.0, within(0.1));
    // The layout before held deadlines: the profile and the held count only.
    UtilizationController old = controller(UtilizationSettings.Mode.LEVEL);
    old.restoreProfile(java.util.Arrays.copyOf(before, before.length - 4));
    assertThat(old.level()).isEqualTo(10.0);
  }
}
