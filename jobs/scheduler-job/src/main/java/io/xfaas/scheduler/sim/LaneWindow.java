package io.xfaas.scheduler.sim;

/**
 * A modelled sidecar's concurrency window of one function ({@link SidecarWindows}), adapted as the
 * sidecar's AIMD window adapts it (worker-sidecar's {@code AimdWindow}, not a dependency of the
 * job): from {@code initial}, each success adds 1 (slow start) until the first decrease, then
 * 1/window; a smoothed latency above {@code latencyTolerance} times the baseline (the lowest
 * latency seen, drifting up slowly) plus {@link #LATENCY_SLACK_MS} multiplies it by {@code
 * decreaseFactor}, at most once per cool-down. Calls of the function run at most this many at once,
 * and feedback reports it: the controller's function capacity is its window over its run time.
 */
final class LaneWindow {
  // The sidecar's constants (AimdWindow), so the model moves as the sidecar's window does.
  static final double LATENCY_SLACK_MS = 10;
  private static final double SMOOTHING = 0.2;
  private static final double BASELINE_DRIFT = 0.002;
  private static final long MIN_COOL_DOWN_MS = 100;

  private final SidecarWindows settings;
  private double window;
  private double slowStartThreshold;
  private double smoothedMs = Double.NaN;
  private double baselineMs = Double.NaN;
  private long lastDecreaseAt = Long.MIN_VALUE;

  LaneWindow(SidecarWindows settings) {
    this.settings = settings;
    this.window = settings.initial();
    this.slowStartThreshold = settings.max();
  }

  int limit() {
    return (int) Math.floor(window);
  }

  /** A call of the function succeeded after {@code latencyMs}, at {@code now}. */
  void onSuccess(long latencyMs, long now) {
    double l = Math.max(0, latencyMs);
    if (Double.isNaN(smoothedMs)) {
      smoothedMs = l;
      baselineMs = l;
    } else {
      smoothedMs += SMOOTHING * (l - smoothedMs);
      baselineMs = l < baselineMs ? l : baselineMs + BASELINE_DRIFT * (l - baselineMs);
    }
    if (smoothedMs > baselineMs * settings.latencyTolerance() + LATENCY_SLACK_MS) {
      long coolDown = Math.max(MIN_COOL_DOWN_MS, (long) smoothedMs);
      if (lastDecreaseAt == Long.MIN_VALUE || now - lastDecreaseAt >= coolDown) {
        lastDecreaseAt = now;
        window = Math.max(settings.min(), window * settings.decreaseFactor());
        slowStartThreshold = window;
      }
      return;
    }
    window += window < slowStartThreshold ? 1 : 1 / window;
    window = Math.min(window, settings.max());
  }
}
