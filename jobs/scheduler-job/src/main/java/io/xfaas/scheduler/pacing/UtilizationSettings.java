package io.xfaas.scheduler.pacing;

import java.io.Serializable;

/**
 * The utilization controller's settings (the {@code xfaas.scheduler.utilization.*} and {@code
 * deferral.*} options): the target, its hysteresis, the least deadline margin, and the configured
 * capacity used until the sidecars have reported theirs.
 */
public record UtilizationSettings(
    double target,
    double hysteresis,
    long marginMs,
    long feedbackStaleMs,
    double configuredCapacityPerSecond)
    implements Serializable {
  public static UtilizationSettings defaults(double configuredCapacityPerSecond) {
    return new UtilizationSettings(0.8, 0.1, 5000, 5000, configuredCapacityPerSecond);
  }
}
