package io.xfaas.scheduler.pacing;

import io.xfaas.records.FunctionFeedback;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Paces each function's dispatch from the sidecars' feedback. One per scheduler subtask, on the
 * heap: every subtask sees all feedback (it is broadcast) and takes its share ({@code 1/subtasks})
 * of each paced function's rate through a small token bucket. Not checkpointed: after a restart
 * functions start unpaced and congestion is seen again within a step or two.
 */
public final class FunctionPacer {
  private final PacingSettings settings;
  private final int subtasks;
  private final Map<String, Entry> functions = new HashMap<>();

  private static final class Entry {
    final FeedbackWindow feedback;
    final FunctionPace pace;
    long steppedAt = Long.MIN_VALUE / 2;
    double tokens;
    long tokensAt;

    Entry(PacingSettings s) {
      feedback = new FeedbackWindow(s.feedbackStaleMs());
      pace = new FunctionPace(s);
    }
  }

  public FunctionPacer(PacingSettings settings, int subtasks) {
    this.settings = settings;
    this.subtasks = Math.max(1, subtasks);
  }

  /**
   * Takes one report; adjusts the function's pace when a step is due. Logs changes to {@code log}.
   */
  public void onFeedback(FunctionFeedback f, long now, Consumer<String> log) {
    if (!settings.enabled()) return;
    Entry e = functions.computeIfAbsent(f.function(), k -> new Entry(settings));
    e.feedback.add(f);
    if (now - e.steppedAt < settings.stepMs()) return;
    e.steppedAt = now;
    boolean wasPaced = e.pace.paced();
    String change = e.pace.step(e.feedback.summary(now), now);
    if (!wasPaced && e.pace.paced()) {
      e.tokens = 1;
      e.tokensAt = now;
    }
    if (change != null && log != null) log.accept(f.function() + ": " + change);
  }

  public boolean isPaced(String function) {
    Entry e = functions.get(function);
    return e != null && e.pace.paced();
  }

  /** The function's region-wide rate; infinite when unpaced. */
  public double rate(String function) {
    Entry e = functions.get(function);
    return e == null ? Double.POSITIVE_INFINITY : e.pace.rate();
  }

  /** Whether one call of {@code function} may go now; takes its token when it may. */
  public boolean tryAcquire(String function, long now) {
    Entry e = functions.get(function);
    if (e == null || !e.pace.paced()) return true;
    refill(e, now);
    if (e.tokens >= 1) {
      e.tokens -= 1;
      return true;
    }
    e.pace.heldBack();
    return false;
  }

  /** When the function's next token is due (now when it has one or is unpaced). */
  public long nextTokenAt(String function, long now) {
    Entry e = functions.get(function);
    if (e == null || !e.pace.paced()) return now;
    refill(e, now);
    if (e.tokens >= 1) return now;
    return now + (long) Math.ceil((1 - e.tokens) * 1000 / share(e));
  }

  /** The earliest next token over all paced functions; null when none is paced. */
  public Long earliestTokenAt(long now) {
    Long earliest = null;
    for (var entry : functions.entrySet()) {
      if (!entry.getValue().pace.paced()) continue;
      long at = nextTokenAt(entry.getKey(), now);
      earliest = earliest == null ? at : Math.min(earliest, at);
    }
    return earliest;
  }

  private void refill(Entry e, long now) {
    double share = share(e);
    // A burst of a tenth of a second (at least one call) keeps the pace smooth.
    double burst = Math.max(1, share / 10);
    e.tokens = Math.min(burst, e.tokens + (now - e.tokensAt) * share / 1000);
    e.tokensAt = now;
  }

  private double share(Entry e) {
    return e.pace.rate() / subtasks;
  }
}
