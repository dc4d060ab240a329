package io.xfaas.window;

import io.xfaas.config.XfaasConfig;
import io.xfaas.config.XfaasOptions;

/**
 * How a function's {@link AimdWindow} adapts.
 *
 * @param initial the window a function starts with
 * @param min the smallest window
 * @param max the largest window
 * @param decreaseFactor multiplies the window on a congestion signal; in (0, 1)
 * @param latencyTolerance smoothed latency above this multiple of the baseline is congestion
 */
public record WindowSettings(
    int initial, int min, int max, double decreaseFactor, double latencyTolerance) {

  public WindowSettings {
    if (min < 1 || max < min || initial < min || initial > max) {
      throw new IllegalArgumentException(
          "need 1 <= window-min <= window-initial <= window-max, got "
              + min
              + " <= "
              + initial
              + " <= "
              + max);
    }
    if (!(decreaseFactor > 0 && decreaseFactor < 1)) {
      throw new IllegalArgumentException(
          XfaasOptions.SIDECAR_WINDOW_DECREASE_FACTOR.key()
              + " must be in (0, 1): "
              + decreaseFactor);
    }
    if (!(latencyTolerance >= 1)) {
      throw new IllegalArgumentException(
          XfaasOptions.SIDECAR_WINDOW_LATENCY_TOLERANCE.key()
              + " must be >= 1: "
              + latencyTolerance);
    }
  }

  public static WindowSettings from(XfaasConfig config) {
    return new WindowSettings(
        config.getInt(XfaasOptions.SIDECAR_WINDOW_INITIAL),
        config.getInt(XfaasOptions.SIDECAR_WINDOW_MIN),
        config.getInt(XfaasOptions.SIDECAR_WINDOW_MAX),
        config.get(XfaasOptions.SIDECAR_WINDOW_DECREASE_FACTOR),
        config.get(XfaasOptions.SIDECAR_WINDOW_LATENCY_TOLERANCE));
  }
}
