package io.xfaas.cli;

import io.xfaas.replay.ReplaySettings;
import java.util.Locale;
import java.util.function.IntUnaryOperator;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The trace-window options of {@code xfaas replay} and {@code xfaas whatif} (a picocli mixin), so
 * that the same options give the same window. An option left unset takes the {@link Defaults} of
 * the command's mode, resolved after parsing.
 */
final class TraceWindowOptions {
  static final String DEFAULT_TRACE = "workloads/azure-functions-2019-sample100";

  /**
   * What unset options mean in a mode: the replay's (and the what-if's), the time-shifting
   * benchmark's, and its quick run's.
   *
   * @param spikeTenant the spike's tenant when {@code --spike-tenant} is not given; null: no spike
   * @param spikeAt the spike's first minute from the window's first minute
   * @param runStretch the run-time scale is this over the compression: 1 keeps the trace's run
   *     times compressed like the day; the benchmark's {@link #POOL_SIZING} sizes its sidecar pool
   *     for the day's mean demand instead of its peak
   */
  record Defaults(
      int startMinute,
      int minutes,
      double compress,
      double sample,
      double criticalShare,
      double deferrableShare,
      String deferrableDeadline,
      String spikeTenant,
      IntUnaryOperator spikeAt,
      int spikeMinutes,
      Double spikeDeferrableShare,
      double runStretch) {
    /**
     * The benchmark's run-time stretch: the day's mean demand takes about 75 % of its 2 x 2 slots
     * (XFaaS runs at 66 % daily), so that capacity is below the peak and a flat day can fill it.
     */
    static final double POOL_SIZING = 2.0;

    static final Defaults REPLAY =
        new Defaults(0, 1440, 60, 0.1, 0, 0, "30m", null, start -> start, 60, null, 1);
    static final Defaults BENCH =
        new Defaults(
            0, 1440, 576, 0.01, 0.1, 0.3, "6h", "spike", start -> 600, 120, 0.8, POOL_SIZING);
    static final Defaults QUICK =
        new Defaults(600, 60, 240, 0.01, 0.1, 0.3, "30m", "spike", start -> start + 10, 6, 0.8, 1);
  }

  @Option(
      names = "--trace",
      paramLabel = "DIR",
      description =
          "Trace folder, relative to the repository root (default: " + DEFAULT_TRACE + ").")
  String trace = DEFAULT_TRACE;

  @Option(
      names = "--start-minute",
      paramLabel = "M",
      description = "First minute of the day to play, 0 = midnight (default: 0; quick: 600).")
  Integer startMinute;

  @Option(
      names = "--minutes",
      paramLabel = "N",
      description = "Minutes of the trace to play (default: 1440; quick: 60).")
  Integer minutes;

  @Option(
      names = "--compress",
      paramLabel = "X",
      description =
          "Time compression: a trace minute lasts 60 s / X (default: 60, the day in 24 min;"
              + " bench: 576, the day in 2.5 min; quick: 240).")
  Double compress;

  @Option(
      names = "--sample",
      paramLabel = "F",
      description = "Fraction of calls kept, (0, 1] (default: 0.1; bench: 0.01; quick: 0.01).")
  Double sample;

  @Option(
      names = "--spread",
      paramLabel = "even|poisson",
      defaultValue = "even",
      description = "How a minute's calls are placed in it (default: ${DEFAULT-VALUE}).")
  String spread;

  @Option(
      names = "--runtime",
      paramLabel = "average|percentiles",
      defaultValue = "average",
      description =
          "Run time of a call: the function's Average in 100_run.csv, or sampled from its"
              + " percentiles (default: ${DEFAULT-VALUE}).")
  String runTime;

  @Option(
      names = "--runtime-scale",
      paramLabel = "S",
      description =
          "A call runs its trace run time x S (default: 1 / --compress; bench: 2 / --compress, a"
              + " pool sized for the day's mean demand).")
  Double runtimeScale;

  @Option(
      names = "--max-run",
      paramLabel = "DURATION",
      defaultValue = "10s",
      description = "Longest run of a call (default: ${DEFAULT-VALUE}; none for no cap).")
  String maxRun;

  @Option(
      names = "--critical-share",
      paramLabel = "F",
      description = "Fraction of calls marked CRITICAL (default: 0; bench: 0.1).")
  Double criticalShare;

  @Option(
      names = "--deferrable-share",
      paramLabel = "F",
      description =
          "Fraction of calls marked DEFERRABLE, with a deadline (default: 0; bench: 0.3).")
  Double deferrableShare;

  @Option(
      names = "--deferrable-deadline",
      paramLabel = "DURATION",
      description =
          "A DEFERRABLE call's deadline after submission, in trace time (compressed like the"
              + " day) (default: 30m; bench: 6h; quick: 30m).")
  String deferrableDeadline;

  @Option(
      names = "--spike-tenant",
      paramLabel = "NAME",
      description =
          "Adds a burst from tenant NAME (function f-NAME) on top of the trace (bench: spike).")
  String spikeTenant;

  @Option(
      names = "--spike-at",
      paramLabel = "MIN",
      description =
          "Minute of the day the spike starts (default: --start-minute; bench: 600; quick: start"
              + " + 10).")
  Integer spikeAt;

  @Option(
      names = "--spike-minutes",
      paramLabel = "N",
      description = "How many trace minutes it lasts (default: 60; bench: 120; quick: 6).")
  Integer spikeMinutes;

  @Option(
      names = "--spike-rate",
      paramLabel = "R",
      defaultValue = "1500",
      description =
          "Spike calls per trace minute, before sampling: the unit of the trace's counts, whose"
              + " mean is 431 (default: ${DEFAULT-VALUE}).")
  long spikeRate;

  @Option(
      names = "--spike-run",
      paramLabel = "DURATION",
      defaultValue = "17s",
      description =
          "Run time of a spike call in trace time (default: ${DEFAULT-VALUE}, the trace's mean).")
  String spikeRun;

  @Option(
      names = "--spike-deferrable-share",
      paramLabel = "F",
      description =
          "Share of the spike's calls marked DEFERRABLE (default: --deferrable-share; bench: 0.8,"
              + " a batch tenant's burst that can wait).")
  Double spikeDeferrableShare;

  @Option(
      names = "--seed",
      defaultValue = "1",
      paramLabel = "N",
      description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  /** The window from the options, the unset ones taken from {@code d}. */
  ReplaySettings settings(Defaults d, CommandLine cli) {
    int start = orElse(startMinute, d.startMinute());
    double x = orElse(compress, d.compress());
    String spikeName = orElse(spikeTenant, d.spikeTenant());
    try {
      return new ReplaySettings(
          start,
          orElse(minutes, d.minutes()),
          x,
          orElse(sample, d.sample()),
          ReplaySettings.Spread.valueOf(spread.toUpperCase(Locale.ROOT)),
          ReplaySettings.RunTime.valueOf(runTime.toUpperCase(Locale.ROOT)),
          orElse(runtimeScale, d.runStretch() / x),
          maxRun.equalsIgnoreCase("none") ? 0 : Durations.ofOption(maxRun, "--max-run", cli),
          orElse(criticalShare, d.criticalShare()),
          orElse(deferrableShare, d.deferrableShare()),
          Durations.ofOption(
              orElse(deferrableDeadline, d.deferrableDeadline()), "--deferrable-deadline", cli),
          spikeName == null
              ? null
              : new ReplaySettings.Spike(
                  spikeName,
                  orElse(spikeAt, d.spikeAt().applyAsInt(start)),
                  orElse(spikeMinutes, d.spikeMinutes()),
                  spikeRate,
                  Durations.ofOption(spikeRun, "--spike-run", cli),
                  orElse(spikeDeferrableShare, d.spikeDeferrableShare())),
          seed);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(cli, e.getMessage());
    }
  }

  static <T> T orElse(T value, T dflt) {
    return value != null ? value : dflt;
  }
}
