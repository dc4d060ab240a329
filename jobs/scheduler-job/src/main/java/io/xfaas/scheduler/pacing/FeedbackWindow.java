package io.xfaas.scheduler.pacing;

import io.xfaas.records.FunctionFeedback;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The latest feedback of each sidecar for one function, and the function's state summed over the
 * sidecars that reported recently. A sidecar that stops reporting stops counting after {@code
 * staleMs}.
 */
final class FeedbackWindow {
  private final long staleMs;
  private final Map<String, FunctionFeedback> bySidecar = new HashMap<>();

  FeedbackWindow(long staleMs) {
    this.staleMs = staleMs;
  }

  void add(FunctionFeedback f) {
    FunctionFeedback old = bySidecar.get(f.sidecar());
    if (old == null || old.reportedAt() <= f.reportedAt()) bySidecar.put(f.sidecar(), f);
  }

  /** The function over all fresh sidecars at {@code now}. */
  Summary summary(long now) {
    List<FunctionFeedback> fresh = new ArrayList<>();
    bySidecar.values().removeIf(f -> f.reportedAt() < now - staleMs);
    fresh.addAll(bySidecar.values());
    double rate = 0;
    long completions = 0, timeouts = 0, throttles = 0, errors = 0;
    int queued = 0, window = 0, inFlight = 0;
    double weightedP50 = 0;
    long p99 = 0;
    for (FunctionFeedback f : fresh) {
      long periodMs = Math.max(1, f.reportedAt() - f.periodStart());
      rate += f.completions() * 1000.0 / periodMs;
      completions += f.completions();
      timeouts += f.timeouts();
      throttles += f.throttles();
      errors += f.errors();
      queued += f.queued();
      window += f.window();
      inFlight += f.inFlight();
      weightedP50 += (double) f.latencyP50Ms() * f.completions();
      p99 = Math.max(p99, f.latencyP99Ms());
    }
    double p50 = completions > 0 ? weightedP50 / completions : Double.NaN;
    return new Summary(
        fresh.size(),
        rate,
        completions,
        timeouts,
        throttles,
        errors,
        queued,
        window,
        inFlight,
        p50,
        p99);
  }

  /**
   * @param sidecars sidecars reporting the function
   * @param completionRate calls completed per second over them: what the downstream sustains now
   * @param p50Ms completion-weighted median latency; NaN when nothing completed
   */
  record Summary(
      int sidecars,
      double completionRate,
      long completions,
      long timeouts,
      long throttles,
      long errors,
      int queued,
      int window,
      int inFlight,
      double p50Ms,
      long p99Ms) {}
}
