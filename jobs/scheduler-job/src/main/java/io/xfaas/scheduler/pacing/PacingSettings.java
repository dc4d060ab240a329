package io.xfaas.scheduler.pacing;

import java.io.Serializable;

/**
 * How functions are paced from the sidecars' feedback (the {@code xfaas.scheduler.pacing.*}
 * options).
 */
public record PacingSettings(
    boolean enabled,
    long stepMs,
    double decreaseFactor,
    double increase,
    double minRate,
    int unpaceAfterSteps,
    long feedbackStaleMs,
    double latencyTolerance)
    implements Serializable {
  public static PacingSettings defaults() {
    return new PacingSettings(true, 1000, 0.7, 0.1, 1, 10, 5000, 2.0);
  }
}
