package io.xfaas.scheduler.pacing;

/**
 * The AIMD controller of one function's dispatch rate (calls per second over the whole region).
 * Unpaced until its downstream shows congestion; then it starts at the measured completion rate,
 * decreases multiplicatively on congestion (at most once per two steps, as the sidecars' queues
 * take a step to show a change), grows again by slow start (doubling) up to half the rate it had
 * before the last decrease, then additively; and stops pacing once the pace has held nothing back
 * for a while.
 */
final class FunctionPace {
  private final PacingSettings settings;
  private double rate = Double.POSITIVE_INFINITY;
  private double ssthresh;
  private double increase;
  private long lastDecreaseAt = Long.MIN_VALUE / 2;
  private int calmSteps;
  private double baselineP50 = Double.NaN;
  private boolean heldBack; // the pace denied a dispatch since the last step
  private int lastQueued;
  private int lastWindow = -1; // none seen yet
  private int queuedSteps; // steps in a row with a queue beyond what drains in a step
  // The last three steps' completion rates: a CPU hiccup at the sidecar is not the downstream.
  private final double[] recentRates = new double[3];
  private int steps;

  FunctionPace(PacingSettings settings) {
    this.settings = settings;
  }

  boolean paced() {
    return rate != Double.POSITIVE_INFINITY;
  }

  double rate() {
    return rate;
  }

  void heldBack() {
    heldBack = true;
  }

  /** Why the last step changed the rate; null when it did not. */
  String step(FeedbackWindow.Summary s, long now) {
    if (s.sidecars() == 0) return null;
    if (!Double.isNaN(s.p50Ms())) {
      // Baseline: the lowest median seen, creeping up 1 % a step so a lasting change is learned.
      baselineP50 =
          Double.isNaN(baselineP50) ? s.p50Ms() : Math.min(s.p50Ms(), baselineP50 * 1.01 + 0.01);
    }
    recentRates[steps++ % recentRates.length] = s.completionRate();
    double sustained = 0;
    for (double r : recentRates) sustained = Math.max(sustained, r);
    String congestion = congestion(s);
    boolean wasHeldBack = heldBack;
    heldBack = false;
    boolean queueGrowing = s.queued() > lastQueued;
    lastQueued = s.queued();
    if (congestion != null) {
      calmSteps = 0;
      if (!paced()) {
        rate = Math.max(settings.minRate(), sustained);
        ssthresh = rate;
        increase = Math.max(settings.minRate(), rate * settings.increase());
        lastDecreaseAt = now;
        return "paced at the completion rate " + fmt(rate) + "/s: " + congestion;
      }
      if (now - lastDecreaseAt < 2 * settings.stepMs()) return null;
      // A queue that shrinks says the pace is already below what the downstream sustains: hold.
      if (s.timeouts() == 0 && s.throttles() == 0 && !queueGrowing) return null;
      double before = rate;
      rate = Math.max(settings.minRate(), Math.min(rate, sustained) * settings.decreaseFactor());
      ssthresh = Math.max(rate, before / 2);
      lastDecreaseAt = now;
      return "decreased " + fmt(before) + " -> " + fmt(rate) + "/s: " + congestion;
    }
    if (!paced()) return null;
    calmSteps++;
    if (!wasHeldBack && calmSteps >= settings.unpaceAfterSteps()) {
      rate = Double.POSITIVE_INFINITY;
      return "unpaced: " + calmSteps + " steps calm and nothing held back";
    }
    if (!wasHeldBack) return null; // not binding: growing it would prove nothing
    double before = rate;
    // Latency back at its baseline means the downstream recovered: slow start all the way.
    boolean recovered =
        !Double.isNaN(s.p50Ms()) && s.p50Ms() <= baselineP50 * settings.latencyTolerance() + 10;
    if (recovered || rate < ssthresh) {
      rate = recovered ? rate * 2 : Math.min(ssthresh, rate * 2);
      return "slow start " + fmt(before) + " -> " + fmt(rate) + "/s";
    }
    rate += increase;
    return "increased " + fmt(before) + " -> " + fmt(rate) + "/s";
  }

  /** What in the summary says the downstream cannot keep up; null when nothing does. */
  private String congestion(FeedbackWindow.Summary s) {
    if (s.timeouts() > 0) return s.timeouts() + " timeouts";
    if (s.throttles() > 0) return s.throttles() + " throttles";
    // RunQ delivers in bursts (one per checkpoint), so some queue is normal: congestion is a queue
    // beyond the windows that would take more than a step to drain at the completion rate.
    // It must last two steps: one late checkpoint's burst is not congestion.
    // While the sidecars' windows still grow (their own slow start) they are taking more: not yet.
    double drainable = s.completionRate() * settings.stepMs() / 1000.0;
    boolean windowsGrowing = lastWindow >= 0 && s.window() > lastWindow;
    lastWindow = s.window();
    boolean queue = !windowsGrowing && s.queued() > Math.max(Math.max(1, s.window()), drainable);
    queuedSteps = queue ? queuedSteps + 1 : 0;
    if (queuedSteps >= 2) {
      return String.format(
          java.util.Locale.ROOT,
          "%d calls queued at the sidecars (windows %d, %.1f completed/s)",
          s.queued(),
          s.window(),
          s.completionRate());
    }
    return null;
  }

  private static String fmt(double r) {
    return String.format(java.util.Locale.ROOT, "%.1f", r);
  }
}
