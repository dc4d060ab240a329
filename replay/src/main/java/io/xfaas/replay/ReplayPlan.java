package io.xfaas.replay;

import io.xfaas.records.Criticality;
import io.xfaas.replay.AzureTrace.RunTimes;
import io.xfaas.replay.AzureTrace.TraceFunction;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Every call a replay submits, in submission order: the trace's window, compressed, sampled, with
 * criticalities, deadlines, run times and the spike. Plain data, built before the replay starts so
 * that playing it does nothing but wait and send.
 */
public final class ReplayPlan {
  private final ReplaySettings settings;
  private final List<PlannedCall> calls;

  private ReplayPlan(ReplaySettings settings, List<PlannedCall> calls) {
    this.settings = settings;
    this.calls = calls;
  }

  public ReplaySettings settings() {
    return settings;
  }

  /** The calls, sorted by {@link PlannedCall#atMs()}. */
  public List<PlannedCall> calls() {
    return calls;
  }

  /** How many calls fall in each minute played (index 0 = the start minute). */
  public long[] perMinute() {
    long[] out = new long[settings.minutes()];
    for (PlannedCall c : calls) out[c.minute() - settings.startMinute()]++;
    return out;
  }

  /**
   * This plan played {@code days} times back to back (the multi-day benchmark): day k's calls are
   * day 0's, {@code k × durationMs} later, so that each time of the day sees the same demand.
   */
  public ReplayPlan repeated(int days) {
    if (days < 1) throw new IllegalArgumentException("days >= 1");
    long day = settings.durationMs();
    List<PlannedCall> out = new ArrayList<>(calls.size() * days);
    for (int k = 0; k < days; k++) {
      for (PlannedCall c : calls) {
        out.add(
            new PlannedCall(
                c.atMs() + k * day,
                c.minute(),
                c.tenant(),
                c.function(),
                c.criticality(),
                c.deadlineAfterMs(),
                c.runMs()));
      }
    }
    return new ReplayPlan(settings, List.copyOf(out));
  }

  /**
   * This plan with each DEFERRABLE call's deadline drawn from {@code mixTraceMs} (trace time,
   * compressed like the day), each with equal probability, repeatably for {@code seed}; unchanged
   * when the mix is empty.
   */
  public ReplayPlan withDeadlineMix(List<Long> mixTraceMs, long seed) {
    if (mixTraceMs.isEmpty()) return this;
    SplittableRandom rng = new SplittableRandom(seed);
    List<PlannedCall> out = new ArrayList<>(calls.size());
    for (PlannedCall c : calls) {
      if (c.criticality() != Criticality.DEFERRABLE) {
        out.add(c);
        continue;
      }
      long traceMs = mixTraceMs.get(rng.nextInt(mixTraceMs.size()));
      long wall = Math.max(1, Math.round(traceMs / settings.compress()));
      out.add(
          new PlannedCall(
              c.atMs(), c.minute(), c.tenant(), c.function(), c.criticality(), wall, c.runMs()));
    }
    return new ReplayPlan(settings, List.copyOf(out));
  }

  /**
   * This plan with every DEFERRABLE call of {@code tenant} given the deadline {@code traceMs}
   * (trace time, compressed like the day): a batch tenant's burst that may run any time within the
   * day, where the rest of the DEFERRABLE work keeps its own deadlines.
   */
  public ReplayPlan withTenantDeadline(String tenant, long traceMs) {
    long wall = Math.max(1, Math.round(traceMs / settings.compress()));
    List<PlannedCall> out = new ArrayList<>(calls.size());
    for (PlannedCall c : calls) {
      boolean batch = c.criticality() == Criticality.DEFERRABLE && c.tenant().equals(tenant);
      out.add(
          batch
              ? new PlannedCall(
                  c.atMs(), c.minute(), c.tenant(), c.function(), c.criticality(), wall, c.runMs())
              : c);
    }
    return new ReplayPlan(settings, List.copyOf(out));
  }

  public static ReplayPlan build(AzureTrace trace, ReplaySettings s) {
    List<PlannedCall> calls = new ArrayList<>();
    Placer place = new Placer(s, new SplittableRandom(s.seed()), calls);
    ReplaySettings.Spike spike = s.spike();
    RunTimes spikeRun = spike == null ? null : RunTimes.constant(spike.runMs());
    for (int m = s.startMinute(); m < s.startMinute() + s.minutes(); m++) {
      for (TraceFunction f : trace.functions()) {
        place.minute(
            m, f.perMinute()[m], f.tenant(), f.function(), f.runTimes(), s.deferrableShare());
      }
      if (spike != null && spike.covers(m)) {
        double share =
            spike.deferrableShare() != null ? spike.deferrableShare() : s.deferrableShare();
        place.minute(m, spike.perMinute(), spike.tenant(), spike.function(), spikeRun, share);
      }
    }
    calls.sort(Comparator.comparingLong(PlannedCall::atMs));
    return new ReplayPlan(s, List.copyOf(calls));
  }

  /** Where the plan's calls are placed: its settings, its random draws, in order, and the list. */
  private record Placer(ReplaySettings s, SplittableRandom rng, List<PlannedCall> out) {
    /** Places one function's sampled calls of one minute. */
    void minute(
        int minute,
        long count,
        String tenant,
        String function,
        RunTimes runTimes,
        double deferrableShare) {
      int n = sampled(count, s.sample(), rng);
      if (n == 0) return;
      double minuteMs = s.wallMsPerMinute();
      double minuteStart = (minute - s.startMinute()) * minuteMs;
      // Even spacing with one random phase per function and minute, so that functions do not all
      // fire at the same instants.
      double phase = rng.nextDouble();
      for (int i = 0; i < n; i++) {
        double within =
            s.spread() == ReplaySettings.Spread.EVEN ? (i + phase) / n : rng.nextDouble();
        long at = (long) Math.floor(minuteStart + within * minuteMs);
        Criticality c = criticality(s.criticalShare(), deferrableShare, rng.nextDouble());
        long deadline = c == Criticality.DEFERRABLE ? s.deferrableDeadlineWallMs() : 0;
        out.add(
            new PlannedCall(at, minute, tenant, function, c, deadline, runMs(s, rng, runTimes)));
      }
    }
  }

  /** One paragraph on the plan: its window, size, rates and classes, and the spike. */
  public void describe(PrintWriter o) {
    ReplaySettings s = settings();
    long[] perMinute = perMinute();
    long max = 0, min = Long.MAX_VALUE;
    for (long c : perMinute) {
      max = Math.max(max, c);
      min = Math.min(min, c);
    }
    long[] byClass = new long[Criticality.values().length];
    calls().forEach(c -> byClass[c.criticality().ordinal()]++);
    o.printf(
        Locale.ROOT,
        "xfaas replay: minutes %d..%d of the day in %.1f s (x%.0f), %d calls (sample %.3f),"
            + " %.1f calls/s on average, %d..%d per trace minute; CRITICAL %d, NORMAL %d,"
            + " DEFERRABLE %d%s%n",
        s.startMinute(),
        s.startMinute() + s.minutes() - 1,
        s.durationMs() / 1000.0,
        s.compress(),
        calls().size(),
        s.sample(),
        calls().size() * 1000.0 / Math.max(1, s.durationMs()),
        min,
        max,
        byClass[Criticality.CRITICAL.ordinal()],
        byClass[Criticality.NORMAL.ordinal()],
        byClass[Criticality.DEFERRABLE.ordinal()],
        s.spike() == null
            ? ""
            : String.format(
                Locale.ROOT,
                "; spike of tenant %s at minute %d for %d min, %d calls/min",
                s.spike().tenant(),
                s.spike().atMinute(),
                s.spike().minutes(),
                s.spike().perMinute()));
    o.flush();
  }

  /**
   * Keeps {@code count * sample} calls, rounded stochastically: the expected count is exact, and a
   * sample of 1 keeps every call.
   */
  static int sampled(long count, double sample, SplittableRandom rng) {
    double want = count * sample;
    long whole = (long) Math.floor(want);
    double frac = want - whole;
    return (int) (whole + (frac > 0 && rng.nextDouble() < frac ? 1 : 0));
  }

  private static Criticality criticality(double critical, double deferrable, double u) {
    if (u < critical) return Criticality.CRITICAL;
    if (u < critical + deferrable) return Criticality.DEFERRABLE;
    return Criticality.NORMAL;
  }

  /** The trace run time, capped so that the emulated sleep stays within {@code maxRunMs}. */
  private static long runMs(ReplaySettings s, SplittableRandom rng, RunTimes rt) {
    double ms =
        s.runTime() == ReplaySettings.RunTime.AVERAGE
            ? rt.average()
            : rt.quantile(rng.nextDouble());
    long run = Math.max(0, Math.round(ms));
    if (s.maxRunMs() > 0 && s.runtimeScale() > 0) {
      run = Math.min(run, (long) Math.floor(s.maxRunMs() / s.runtimeScale()));
    }
    return run;
  }
}
