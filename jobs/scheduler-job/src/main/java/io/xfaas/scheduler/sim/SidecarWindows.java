package io.xfaas.scheduler.sim;

import io.xfaas.config.XfaasConfig;
import io.xfaas.config.XfaasOptions;

/**
 * The sidecars' per-function concurrency windows, as configured ({@code xfaas.sidecar.window-*}): a
 * modelled sidecar runs at most a function's window of its calls at once and reports the window,
 * adapted as the real sidecar adapts it ({@link LaneWindow}).
 *
 * @param initial the window a function starts with
 * @param min the least window
 * @param max the largest window
 * @param decreaseFactor what a decrease multiplies it by
 * @param latencyTolerance how far above its baseline the smoothed latency may rise before a
 *     decrease
 */
public record SidecarWindows(
    int initial, int min, int max, double decreaseFactor, double latencyTolerance) {
  public SidecarWindows {
    if (min < 1 || max < min || initial < min || initial > max) {
      throw new IllegalArgumentException("need 1 <= min <= initial <= max");
    }
  }

  /** The windows {@code config} gives the sidecars. */
  public static SidecarWindows of(XfaasConfig config) {
    return new SidecarWindows(
        config.getInt(XfaasOptions.SIDECAR_WINDOW_INITIAL),
        config.getInt(XfaasOptions.SIDECAR_WINDOW_MIN),
        config.getInt(XfaasOptions.SIDECAR_WINDOW_MAX),
        config.getDouble(XfaasOptions.SIDECAR_WINDOW_DECREASE_FACTOR),
        config.getDouble(XfaasOptions.SIDECAR_WINDOW_LATENCY_TOLERANCE));
  }
}
