package io.xfaas.faults;

import java.time.Duration;

/**
 * How big each scenario runs: {@code short} in every build (small volumes, a few minutes for all
 * six on two cores), {@code full} under {@code -Pfaults}. Chosen by the system property {@code
 * xfaas.faults.scale}; {@code xfaas.faults.rate} and {@code xfaas.faults.calls} override the load.
 *
 * @param name short or full
 * @param rate submissions per second of the steady producer
 * @param calls invocations each scenario submits
 * @param floodPerKind bad records of each rejection kind in the flood scenario
 * @param floodRate submissions per second in the flood scenario (good and bad together)
 * @param drain longest wait for every accepted call to reach its terminal outcome
 */
record FaultScale(
    String name, int rate, int calls, int floodPerKind, int floodRate, Duration drain) {

  static final FaultScale SHORT =
      new FaultScale("short", 300, 1_500, 10, 1_000, Duration.ofMinutes(2));
  static final FaultScale FULL =
      new FaultScale("full", 1_000, 60_000, 1_000, 2_000, Duration.ofMinutes(30));

  /** One record in this many of the flood is bad: 1 % of the traffic. */
  static final int BAD_EVERY = 100;

  static FaultScale current() {
    FaultScale s = "full".equals(System.getProperty("xfaas.faults.scale")) ? FULL : SHORT;
    return new FaultScale(
        s.name,
        Integer.getInteger("xfaas.faults.rate", s.rate),
        Integer.getInteger("xfaas.faults.calls", s.calls),
        Integer.getInteger("xfaas.faults.flood-per-kind", s.floodPerKind),
        Integer.getInteger("xfaas.faults.flood-rate", s.floodRate),
        s.drain);
  }
}
