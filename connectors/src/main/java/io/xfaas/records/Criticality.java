package io.xfaas.records;

/** How much an invocation matters when capacity is short. Declared in dispatch order. */
public enum Criticality {
  /** Never deferred; served first under contention. */
  CRITICAL,
  /** The default. */
  NORMAL,
  /** May be held while the region is busy and time-shifted into a trough, before its deadline. */
  DEFERRABLE
}
