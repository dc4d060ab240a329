package io.xfaas.config;

/**
 * How the scheduler holds DEFERRABLE work and opportunistic quota ({@code timeshift.controller}).
 */
public enum TimeshiftController {
  /**
   * Never held: DEFERRABLE work goes like NORMAL work (what a region does without time-shifting).
   */
  OFF,
  /** Held while region utilization is at or above its target, released into the first dip. */
  THRESHOLD,
  /**
   * Held while executed load would rise above the level learned from earlier cycles (the cycle's
   * mean demand), released into the deepest troughs first; THRESHOLD until a cycle is learned.
   */
  LEVEL
}
