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
    return new UtilizationController(
        new UtilizationSettings(0.8, 0.1, 5000, 5000, 500).withTimeshift(mode, CYCLE, 4), 1);
  }

  /** One cycle of arrivals from {@code start}: {@code perSecond[i]} NORMAL calls in slot i. */
  private static void learn(UtilizationController c, long start, int... perSecond) {
    for (int i = 0; i < perSecond.length; i++) {
      for (int k = 0; k < perSecond[i]; k++) {
        c.arrived(Criticality.NORMAL, start + i * 1000L + k * 1000L / perSecond[i]);
      }
    }
    c.update(start + CYCLE);
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
}
