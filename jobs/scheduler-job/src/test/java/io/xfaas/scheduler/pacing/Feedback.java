package io.xfaas.scheduler.pacing;

import io.xfaas.records.FunctionFeedback;

/** Builds sidecar feedback for the controller and FuncBuffer tests. */
public final class Feedback {
  private Feedback() {}

  /** One second of {@code function} on {@code sidecar}, ending at {@code at}. */
  static FunctionFeedback of(
      String function,
      String sidecar,
      long at,
      long completions,
      long timeouts,
      long p50,
      int window,
      int inFlight,
      int queued,
      int capacity,
      double utilization) {
    return new FunctionFeedback(
        function,
        sidecar,
        "local",
        at - 1000,
        at,
        completions,
        0,
        timeouts,
        0,
        p50,
        p50 * 2,
        window,
        inFlight,
        queued,
        capacity,
        window,
        utilization);
  }

  /** A healthy second: nothing queued, no timeouts. */
  static FunctionFeedback healthy(String function, long at, long completions, long p50) {
    return of(function, "s1", at, completions, 0, p50, 8, 1, 0, 8, 0.2);
  }

  /** A congested second: calls queue at the sidecar beyond its window. */
  static FunctionFeedback congested(String function, long at, long completions, long p50) {
    return congested(function, at, completions, p50, 100);
  }

  /** A congested second with {@code queued} calls waiting at the sidecar. */
  static FunctionFeedback congested(
      String function, long at, long completions, long p50, int queued) {
    return of(function, "s1", at, completions, 0, p50, 4, 4, queued, 8, 0.9);
  }

  /**
   * A second of {@code function} whose window is full (4 of 4 in flight, 8 slots): 10 completions,
   * latency flat at {@code p50}, {@code queued} calls waiting at the sidecar.
   */
  public static FunctionFeedback windowFull(
      String function, long at, int queued, long p50, double utilization) {
    return new FunctionFeedback(
        function,
        "s1",
        "local",
        at - 1000,
        at,
        10,
        0,
        0,
        0,
        p50,
        p50,
        4,
        4,
        queued,
        8,
        8,
        utilization);
  }
}
