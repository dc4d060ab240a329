package io.xfaas.scheduler.pacing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-function AIMD controller, driven by a fake clock and hand-made feedback. */
class FunctionPacerTest {
  private static final long T0 = 1_000_000;
  private final List<String> log = new ArrayList<>();
  private final FunctionPacer pacer = new FunctionPacer(PacingSettings.defaults(), 1);

  /** Two steps of a queue beyond what drains in a step, ending at {@code at}: congestion. */
  private void congest(String f, long at, long completions, long p50) {
    pacer.onFeedback(Feedback.congested(f, at - 1000, completions, p50, 90), at - 1000, log::add);
    pacer.onFeedback(Feedback.congested(f, at, completions, p50, 100), at, log::add);
  }

  /** Asks for {@code n} calls of f at {@code now}; returns how many were allowed. */
  private int demand(String f, int n, long now) {
    int ok = 0;
    for (int i = 0; i < n; i++) if (pacer.tryAcquire(f, now)) ok++;
    return ok;
  }

  /** Dispatches allowed over one second in 10 ms slices, asking for {@code perSlice} each. */
  private int secondOfDemand(String f, long start, int perSlice) {
    int ok = 0;
    for (long t = start; t < start + 1000; t += 10) ok += demand(f, perSlice, t);
    return ok;
  }

  @Test
  void aHealthyFunctionIsNeverPaced() {
    for (int s = 1; s <= 20; s++)
      pacer.onFeedback(Feedback.healthy("f", T0 + s * 1000, 100, 20), T0 + s * 1000, log::add);
    assertThat(pacer.isPaced("f")).isFalse();
    assertThat(demand("f", 10_000, T0 + 21_000)).isEqualTo(10_000);
  }

  @Test
  void congestionPacesAtTheCompletionRateThenDecreasesMultiplicatively() {
    pacer.onFeedback(Feedback.congested("f", T0, 40, 200, 90), T0, log::add);
    assertThat(pacer.isPaced("f")).as("one step of queue is a burst").isFalse();
    pacer.onFeedback(Feedback.congested("f", T0 + 1000, 40, 200, 100), T0 + 1000, log::add);
    assertThat(pacer.isPaced("f")).isTrue();
    assertThat(pacer.rate("f")).isEqualTo(40.0);
    // Within the next second, about 40 calls go whatever is asked.
    assertThat(secondOfDemand("f", T0 + 1000, 5)).isBetween(38, 42);
    // Still congested one step later: no second decrease within two steps.
    pacer.onFeedback(Feedback.congested("f", T0 + 2000, 40, 200, 120), T0 + 2000, log::add);
    assertThat(pacer.rate("f")).isEqualTo(40.0);
    // The queue still grows two steps on: decrease.
    pacer.onFeedback(Feedback.congested("f", T0 + 3000, 40, 200, 150), T0 + 3000, log::add);
    assertThat(pacer.rate("f")).isEqualTo(28.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(log).anyMatch(l -> l.contains("decreased 40.0 -> 28.0"));
  }

  @Test
  void aShrinkingQueueHoldsThePaceInsteadOfCollapsingIt() {
    pacer.onFeedback(Feedback.congested("f", T0, 40, 200, 140), T0, log::add);
    pacer.onFeedback(Feedback.congested("f", T0 + 1000, 40, 200, 150), T0 + 1000, log::add);
    assertThat(pacer.rate("f")).isEqualTo(40.0);
    for (int s = 2; s <= 8; s++) {
      // Still above the drainable queue, but shrinking: the pace is below what f sustains.
      pacer.onFeedback(
          Feedback.congested("f", T0 + s * 1000, 40, 200, 150 - s * 10), T0 + s * 1000, log::add);
    }
    assertThat(pacer.rate("f")).isEqualTo(40.0);
  }

  @Test
  void aQueueWhileTheSidecarsWindowsStillGrowIsNotCongestion() {
    // The sidecar's own slow start: window 1, 2, 4, 8 with calls queued behind it meanwhile.
    int[] windows = {1, 2, 4, 8};
    for (int s = 0; s < windows.length; s++) {
      long t = T0 + s * 1000L;
      pacer.onFeedback(
          Feedback.of("f", "s1", t, 10, 0, 20, windows[s], windows[s], 200, 8, 0.5), t, log::add);
    }
    assertThat(pacer.isPaced("f")).isFalse();
  }

  @Test
  void aBurstTheFunctionDrainsWithinAStepIsNotCongestion() {
    // RunQ delivers once per checkpoint: 60 queued at 100 completions/s drain in 0.6 s.
    pacer.onFeedback(Feedback.congested("f", T0 + 1000, 100, 20, 60), T0 + 1000, log::add);
    assertThat(pacer.isPaced("f")).isFalse();
  }

  @Test
  void timeoutsCountAsCongestion() {
    pacer.onFeedback(
        Feedback.of("f", "s1", T0 + 1000, 30, 3, 50, 8, 8, 0, 8, 1.0), T0 + 1000, log::add);
    assertThat(pacer.isPaced("f")).isTrue();
    assertThat(log).anyMatch(l -> l.contains("3 timeouts"));
  }

  @Test
  void otherFunctionsAreNotAffected() {
    congest("f", T0 + 1000, 10, 200);
    pacer.onFeedback(Feedback.healthy("g", T0 + 1000, 100, 20), T0 + 1000, log::add);
    assertThat(pacer.isPaced("f")).isTrue();
    assertThat(pacer.isPaced("g")).isFalse();
    assertThat(demand("g", 1000, T0 + 1001)).isEqualTo(1000);
    assertThat(demand("f", 1000, T0 + 1001)).isEqualTo(1);
  }

  @Test
  void recoversBySlowStartOnceLatencyIsBackAtItsBaselineThenUnpaces() {
    long t = T0;
    for (int s = 0; s < 5; s++) {
      t += 1000;
      pacer.onFeedback(Feedback.healthy("f", t, 20, 20), t, log::add); // baseline 20 ms
    }
    t += 2000;
    congest("f", t, 20, 200);
    assertThat(pacer.rate("f")).isEqualTo(20.0);
    // Downstream recovered: latency at baseline, no queue; the pace holds back the backlog.
    List<Double> rates = new ArrayList<>();
    for (int s = 0; s < 4; s++) {
      secondOfDemand("f", t, 5);
      t += 1000;
      pacer.onFeedback(Feedback.healthy("f", t, (long) pacer.rate("f"), 20), t, log::add);
      rates.add(pacer.rate("f"));
    }
    assertThat(rates).containsExactly(40.0, 80.0, 160.0, 320.0);
    // Once nothing is held back for the configured steps, it is no longer paced.
    for (int s = 0; s < 10; s++) {
      t += 1000;
      pacer.onFeedback(Feedback.healthy("f", t, 100, 20), t, log::add);
    }
    assertThat(pacer.isPaced("f")).isFalse();
  }

  @Test
  void whileTheDownstreamStaysSlowItProbesAdditively() {
    long t = T0 + 1000;
    pacer.onFeedback(Feedback.healthy("f", t, 40, 20), t, log::add);
    t += 2000;
    congest("f", t, 40, 200);
    // Calm (no queue) but latency still 10x the baseline: +10 % of the first paced rate per step.
    secondOfDemand("f", t, 5);
    t += 1000;
    pacer.onFeedback(Feedback.healthy("f", t, 40, 200), t, log::add);
    assertThat(pacer.rate("f")).isEqualTo(44.0, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void aStoppedSidecarStopsCounting() {
    pacer.onFeedback(Feedback.of("f", "old", T0, 40, 0, 200, 4, 4, 90, 8, 0.9), T0, log::add);
    pacer.onFeedback(
        Feedback.of("f", "old", T0 + 1000, 40, 0, 200, 4, 4, 100, 8, 0.9), T0 + 1000, log::add);
    assertThat(pacer.isPaced("f")).isTrue();
    // Ten seconds later only a healthy sidecar reports; the stale congested one is forgotten.
    long t = T0 + 11_000;
    FeedbackWindow w = new FeedbackWindow(5000);
    w.add(Feedback.of("f", "old", T0 + 1000, 40, 0, 200, 4, 4, 40, 8, 0.9));
    w.add(Feedback.healthy("f", t, 100, 20));
    assertThat(w.summary(t).sidecars()).isEqualTo(1);
    assertThat(w.summary(t).queued()).isZero();
  }

  @Test
  void nextTokenAtFollowsThePace() {
    congest("f", T0 + 1000, 10, 200);
    long now = T0 + 1000;
    assertThat(pacer.tryAcquire("f", now)).isTrue();
    assertThat(pacer.tryAcquire("f", now)).isFalse();
    assertThat(pacer.nextTokenAt("f", now)).isEqualTo(now + 100);
    assertThat(pacer.earliestTokenAt(now)).isEqualTo(now + 100);
    assertThat(pacer.tryAcquire("f", now + 100)).isTrue();
  }
}
