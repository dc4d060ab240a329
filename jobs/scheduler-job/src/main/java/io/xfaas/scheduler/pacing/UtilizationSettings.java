package io.xfaas.scheduler.pacing;

import java.io.Serializable;

/**
 * The utilization controller's settings (the {@code xfaas.scheduler.utilization.*}, {@code
 * deferral.*} and {@code timeshift.*} options): the target, its hysteresis, the least deadline
 * margin, the configured capacity used until the sidecars have reported theirs, and how
 * delay-tolerant work is time-shifted: {@code mode}, over a cycle of {@code cycleMs} cut into
 * {@code slots}.
 */
public record UtilizationSettings(
    double target,
    double hysteresis,
    long marginMs,
    long feedbackStaleMs,
    double configuredCapacityPerSecond,
    Mode mode,
    long cycleMs,
    int slots)
    implements Serializable {

  /** How DEFERRABLE work and opportunistic quota are held. */
  public enum Mode {
    /** Never held (only their deadlines order them): what the region does without a controller. */
    OFF,
    /** Held while utilization is at or above the target, released into the first dip below it. */
    THRESHOLD,
    /**
     * Held while executed load would rise above the level (the cycle's mean demand learned from
     * earlier cycles) and released into the deepest troughs first; as THRESHOLD until a whole cycle
     * has been seen.
     */
    LEVEL
  }

  /** The default cycle: a day. */
  public static final long DAY_MS = 24 * 3600 * 1000L;

  /** The default slots: quarter hours of a day. */
  public static final int DEFAULT_SLOTS = 96;

  public UtilizationSettings {
    if (mode == null) throw new IllegalArgumentException("mode");
    if (cycleMs < 1 || slots < 1) throw new IllegalArgumentException("cycle and slots >= 1");
  }

  /**
   * The default target (0.8), hysteresis (0.1) and margins (5 s): the level-seeking controller over
   * a day of quarter hours.
   */
  public static UtilizationSettings defaults(double configuredCapacityPerSecond) {
    return defaults(configuredCapacityPerSecond, Mode.LEVEL, DAY_MS, DEFAULT_SLOTS);
  }

  /** The default target, hysteresis and margins, time-shifting with another mode and cycle. */
  public static UtilizationSettings defaults(
      double configuredCapacityPerSecond, Mode mode, long cycleMs, int slots) {
    return new UtilizationSettings(
        0.8, 0.1, 5000, 5000, configuredCapacityPerSecond, mode, cycleMs, slots);
  }
}
