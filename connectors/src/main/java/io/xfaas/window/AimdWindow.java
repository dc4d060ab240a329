package io.xfaas.window;

import java.util.function.LongSupplier;

/**
 * The concurrency window of one function: how many of its calls may run at once. It adapts AIMD
 * style, like TCP's congestion window:
 *
 * <ul>
 *   <li><b>slow start:</b> from {@code initial}, each success adds 1, so the window doubles every
 *       round trip, until the first decrease;
 *   <li><b>additive increase:</b> after that, each success adds {@code 1/window}, so the window
 *       grows by 1 per round trip while the function stays healthy;
 *   <li><b>multiplicative decrease:</b> a timeout, an error, an explicit throttle or rising latency
 *       multiplies it by {@code decreaseFactor}; at most once per cool-down (the longer of 100 ms
 *       and the smoothed latency), because the calls of one round trip report one congestion event;
 *   <li><b>bounds:</b> always within {@code [min, max]}.
 * </ul>
 *
 * <p>Rising latency: the smoothed latency (an exponential moving average) above {@code
 * latencyTolerance} times the baseline plus {@link #LATENCY_SLACK_MS}. The baseline follows the
 * lowest latencies seen and drifts up only slowly, so a function that turns slow keeps a small
 * window for a while, and one that stays slow is re-baselined and grows again.
 *
 * <p>Shared by the worker sidecar (one per function lane, which guards it: not thread-safe) and the
 * what-if simulation's modelled sidecars, so the model adapts as the sidecar does. The clock is
 * injected: the sidecar's wall clock, the simulation's virtual one.
 */
public final class AimdWindow {
  /** Latency differences below this are noise (scheduling, GC), never congestion. */
  static final double LATENCY_SLACK_MS = 10;

  /** Weight of a new sample in the smoothed latency. */
  private static final double SMOOTHING = 0.2;

  /** How fast the baseline follows latencies above it, per sample. */
  private static final double BASELINE_DRIFT = 0.002;

  private static final long MIN_COOL_DOWN_MS = 100;

  /** What moved the window last; for tests, logs and metrics. */
  public enum Signal {
    SUCCESS,
    ERROR,
    TIMEOUT,
    THROTTLED,
    LATENCY
  }

  private final WindowSettings settings;
  private final LongSupplier clockMs;
  private double window;
  private double slowStartThreshold;
  private double smoothedLatencyMs = Double.NaN;
  private double baselineMs = Double.NaN;
  private long lastDecreaseAt = Long.MIN_VALUE;

  public AimdWindow(WindowSettings settings, LongSupplier clockMs) {
    this.settings = settings;
    this.clockMs = clockMs;
    this.window = settings.initial();
    this.slowStartThreshold = settings.max();
  }

  /** Calls that may run at once now: at least {@code min}, at most {@code max}. */
  public int limit() {
    return (int) Math.floor(window);
  }

  /** True until the first decrease ends slow start (or the window reached its maximum). */
  public boolean inSlowStart() {
    return window < slowStartThreshold;
  }

  /** The smoothed latency in ms, NaN before the first success. */
  public double smoothedLatencyMs() {
    return smoothedLatencyMs;
  }

  /** A call answered in {@code latencyMs}; grows the window unless the latency is rising. */
  public Signal onSuccess(long latencyMs) {
    double l = Math.max(0, latencyMs);
    if (Double.isNaN(smoothedLatencyMs)) {
      smoothedLatencyMs = l;
      baselineMs = l;
    } else {
      smoothedLatencyMs += SMOOTHING * (l - smoothedLatencyMs);
      baselineMs = l < baselineMs ? l : baselineMs + BASELINE_DRIFT * (l - baselineMs);
    }
    if (smoothedLatencyMs > baselineMs * settings.latencyTolerance() + LATENCY_SLACK_MS) {
      decrease();
      return Signal.LATENCY;
    }
    window += inSlowStart() ? 1 : 1 / window;
    window = Math.min(window, settings.max());
    return Signal.SUCCESS;
  }

  /** A call failed: the function or its downstream is in trouble. */
  public Signal onError() {
    decrease();
    return Signal.ERROR;
  }

  /** A call ran out of time. */
  public Signal onTimeout() {
    decrease();
    return Signal.TIMEOUT;
  }

  /** The function said explicitly that it is overloaded. */
  public Signal onThrottle() {
    decrease();
    return Signal.THROTTLED;
  }

  private void decrease() {
    long now = clockMs.getAsLong();
    long coolDown =
        Math.max(MIN_COOL_DOWN_MS, Double.isNaN(smoothedLatencyMs) ? 0 : (long) smoothedLatencyMs);
    if (lastDecreaseAt != Long.MIN_VALUE && now - lastDecreaseAt < coolDown) return;
    lastDecreaseAt = now;
    window = Math.max(settings.min(), window * settings.decreaseFactor());
    slowStartThreshold = window; // slow start ends at the first decrease
  }
}
