package io.xfaas.cli;

import io.xfaas.replay.AzureTrace;
import io.xfaas.replay.ReplayPlan;
import io.xfaas.replay.ReplaySettings;
import io.xfaas.replay.Replayer;
import io.xfaas.replay.TimeshiftSettings;
import io.xfaas.submit.SubmitterClient;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code xfaas replay}: plays the Azure Functions 2019 trace into DurableQ, compressed, sampled,
 * with criticalities, deadlines and an optional tenant spike; or, with {@code --bench}, runs the
 * time-shifting benchmark (in the benchmarks module, {@code TimeshiftBench}) on an embedded stack,
 * in a child JVM.
 *
 * <p>Options left unset take the replay's defaults, or the benchmark's when {@code --bench} (or
 * {@code --quick}) is given: the benchmark compresses harder and samples less so that it runs in
 * minutes on a small machine.
 */
@Command(
    name = "replay",
    description = {
      "Plays the Azure Functions 2019 trace (owners as tenants, functions as functions) into"
          + " DurableQ, the day compressed, calls sampled, run times from the trace emulated by"
          + " the sidecars' 'replay' function.",
      "With --bench: the time-shifting benchmark on an embedded broker, MiniCluster, scheduler and"
          + " sidecars, the day played --days times with the time-shifting controller off and on,"
          + " measured on the last day; prints a table and writes"
          + " benchmarks/results/timeshift-<date>.{md,png}."
    })
final class ReplayCommand extends TraceWindowCommand {
  @Option(
      names = "--id-prefix",
      paramLabel = "P",
      description = "Invocation ids are P-0, P-1, ... (default: replay-<random>).")
  String idPrefix;

  @Option(names = "--dry-run", description = "Print the plan's size and rates; send nothing.")
  boolean dryRun;

  @Option(
      names = "--bench",
      description =
          "Run the time-shifting benchmark (embedded stack, two runs: the controller off, then"
              + " on) instead.")
  boolean bench;

  @Option(
      names = "--quick",
      description = "The benchmark, small and fast (two or three minutes): an hour of the trace.")
  boolean quick;

  @Option(
      names = "--days",
      paramLabel = "N",
      description =
          "Bench: play the day N times back to back and measure the last; the days before teach the"
              + " controller the day's shape (default: 3: the first teaches it, the second's held"
              + " peak fills the measured day's trough; quick: 2).")
  Integer days;

  @Option(
      names = "--deadline-mix",
      paramLabel = "D1,D2,...",
      description =
          "Bench: DEFERRABLE deadlines drawn from these trace durations, equal chances (default:"
              + " 1h,6h,24h; quick: 30m,60m; none: --deferrable-deadline for all).")
  String deadlineMix;

  @Option(
      names = "--spike-deadline",
      paramLabel = "D",
      description =
          "Bench: the spike tenant's DEFERRABLE deadline in trace time, a batch tenant's (default:"
              + " the longest of --deadline-mix; quick: mix; mix: drawn from --deadline-mix like the rest).")
  String spikeDeadline;

  @Option(
      names = "--sidecars",
      paramLabel = "N",
      description = "Bench: in-process worker sidecars (default: 2).")
  int sidecars = 2;

  @Option(
      names = "--sidecar-threads",
      paramLabel = "N",
      description =
          "Bench: calls each sidecar runs at once (xfaas.sidecar.threads; default: 2, so that the"
              + " region's capacity is below the spike's peak).")
  int sidecarThreads = 2;

  @Option(
      names = "--bucket",
      paramLabel = "MIN",
      description = "Bench: bucket width in trace minutes (default: 60; quick: 4).")
  Integer bucketMinutes;

  @Option(
      names = "--edge-buckets",
      paramLabel = "N",
      description = "Bench: buckets left out at each end of the replay (default: 2; quick: 1).")
  Integer edgeBuckets;

  @Option(
      names = "--warm-up",
      paramLabel = "DURATION",
      description =
          "Bench: a replay of this long on a throwaway region first, so that neither measured run"
              + " pays for the JVM's warm-up (default: 20s; quick: none).")
  String warmUp;

  @Option(
      names = "--drain",
      paramLabel = "DURATION",
      description =
          "Bench: longest wait for outstanding outcomes after the replay (default: the DEFERRABLE"
              + " deadline + 15s; quick: + 5s).")
  String drain;

  @Option(
      names = "--feasibility-margin",
      paramLabel = "DURATION",
      description =
          "Bench: a DEFERRABLE deadline is feasible if it leaves the run time + this (default:"
              + " 1s).")
  String feasibilityMargin = "1s";

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Bench: where the report and chart go (default: benchmarks/results).")
  Path out;

  @Option(
      names = "--scratch-dir",
      paramLabel = "DIR",
      description =
          "Bench: where the broker and checkpoints live while it runs, in a fresh folder deleted"
              + " at the end (default: .xfaas/).")
  Path scratch;

  @Override
  public Integer call() throws Exception {
    PrintWriter o = spec.commandLine().getOut();
    ReplaySettings settings = settings();
    Path traceDir = traceDir();
    if (bench || quick) return runBench(timeshiftSettings(settings, traceDir), o);
    AzureTrace t = AzureTrace.read(traceDir);
    ReplayPlan plan = ReplayPlan.build(t, settings);
    plan.describe(o);
    if (dryRun) return 0;
    String prefix =
        idPrefix != null ? idPrefix : "replay-" + UUID.randomUUID().toString().substring(0, 8);
    try (SubmitterClient client = SubmitterClient.create(configOptions.resolve())) {
      Replayer replayer = new Replayer(client, prefix);
      Thread stopper = new Thread(replayer::stop, "xfaas-replay-stop");
      Runtime.getRuntime().addShutdownHook(stopper);
      long total = plan.calls().size();
      Replayer.Result r =
          replayer.play(
              plan,
              sent -> {
                o.printf(Locale.ROOT, "  sent %d of %d%n", sent, total);
                o.flush();
              });
      o.printf(
          Locale.ROOT,
          "xfaas replay: sent %d, acknowledged %d, failed %d in %.1f s (worst lag %d ms); ids %s-N%n",
          r.sent(),
          r.acknowledged(),
          r.failed(),
          r.tookMs() / 1000.0,
          r.maxLagMs(),
          prefix);
      if (r.firstError() != null) o.println("  first error: " + r.firstError());
      o.flush();
      try {
        Runtime.getRuntime().removeShutdownHook(stopper);
      } catch (IllegalStateException e) {
        // the JVM is already stopping
      }
      return r.failed() == 0 && r.sent() == total ? 0 : 1;
    }
  }

  /**
   * The time-shifting benchmark's settings: {@code settings} played with the controller off, on.
   */
  TimeshiftSettings timeshiftSettings(ReplaySettings settings, Path traceDir) {
    List<Long> mix = new java.util.ArrayList<>();
    String mixText = orElse(deadlineMix, quick ? "30m,60m" : "1h,6h,24h");
    if (!mixText.equalsIgnoreCase("none")) {
      for (String d : mixText.split(",")) mix.add(duration(d.trim(), "--deadline-mix"));
    }
    Long spikeMs = null;
    // Quick: the IT's day (QuickTimeshift), on a pool 2.4x its mean; the spike's deadlines as the
    // rest.
    String spikeText = orElse(spikeDeadline, mix.isEmpty() || quick ? "mix" : "longest");
    if (spikeText.equalsIgnoreCase("longest")) {
      spikeMs = java.util.Collections.max(mix);
    } else if (!spikeText.equalsIgnoreCase("mix")) {
      spikeMs = duration(spikeText, "--spike-deadline");
    }
    int n = orElse(days, quick ? 2 : 3);
    if (n < 1) throw new ParameterException(spec.commandLine(), "--days: expected at least 1");
    long longest = 1;
    for (long d : mix) longest = Math.max(longest, Math.round(d / settings.compress()));
    if (mix.isEmpty()) longest = settings.deferrableDeadlineWallMs();
    if (spikeMs != null) longest = Math.max(longest, Math.round(spikeMs / settings.compress()));
    return new TimeshiftSettings(
        traceDir,
        settings,
        n,
        mix,
        spikeMs,
        sidecars,
        sidecarThreads,
        Math.max(1, Math.round(orElse(bucketMinutes, quick ? 4 : 60) * settings.wallMsPerMinute())),
        orElse(edgeBuckets, quick ? 1 : 2),
        warmUp == null
            ? (quick ? 0 : 20_000)
            : warmUp.equalsIgnoreCase("none") ? 0 : duration(warmUp, "--warm-up"),
        drain == null ? longest + (quick ? 5_000 : 15_000) : duration(drain, "--drain"),
        duration(feasibilityMargin, "--feasibility-margin"),
        out == null ? XfaasHome.resolve("benchmarks/results") : out.toAbsolutePath(),
        scratch == null ? XfaasHome.workDir() : scratch.toAbsolutePath(),
        quick,
        configOptions.configFile(),
        configOptions.overrides.values);
  }

  /**
   * Runs the benchmark ({@code io.xfaas.bench.timeshift.TimeshiftMain}) in a child JVM ({@link
   * BenchmarkJvm}), handing it the settings in a file.
   */
  private int runBench(TimeshiftSettings settings, PrintWriter o) throws Exception {
    Files.createDirectories(settings.scratchDir());
    Path file = Files.createTempFile(settings.scratchDir(), "timeshift-", ".json");
    try {
      settings.write(file);
      return BenchmarkJvm.run(BenchmarkJvm.TIMESHIFT_MAIN, List.of(file.toString()), o) == 0
          ? 0
          : 1;
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /** The window from the options, with the defaults of the mode. */
  ReplaySettings settings() {
    TraceWindowOptions.Defaults mode =
        quick
            ? TraceWindowOptions.Defaults.QUICK
            : bench ? TraceWindowOptions.Defaults.BENCH : TraceWindowOptions.Defaults.REPLAY;
    return window(mode);
  }

  private static <T> T orElse(T value, T dflt) {
    return value != null ? value : dflt;
  }
}
