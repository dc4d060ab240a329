package io.xfaas.cli;

import io.xfaas.config.XfaasConfig;
import io.xfaas.local.Directories;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code xfaas bench}: throughput, latency and cost of the scheduler and of the whole pipeline
 * against a Flink pass-through job and Kafka's own clients, all in this JVM on one embedded broker
 * and one MiniCluster (see docs/benchmarks.md). {@code --jmh} runs the microbenchmarks instead. The
 * work is in the benchmarks module ({@code io.xfaas.bench.BenchMain}), run in a child JVM ({@link
 * BenchmarkJvm}); this is its command line.
 */
@Command(
    name = "bench",
    description = {
      "Measures the scheduler and the whole pipeline against a Flink pass-through job and Kafka's"
          + " own clients, on an embedded broker and a Flink MiniCluster in one JVM.",
      "Prints a table and writes it to --out. With --jmh, runs the JMH microbenchmarks instead.",
      "-D sets an xfaas option for every job and sidecar the bench runs, e.g."
          + " -D xfaas.scheduler.producer-linger=5ms, to measure a change of a default before"
          + " making it; the results file lists them."
    })
final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--runs",
      paramLabel = "N",
      description = "Runs per figure; each figure is their median (default: 3; --quick: 1).")
  Integer runs;

  @Option(
      names = "--duration",
      paramLabel = "DURATION",
      description =
          "About how long one throughput run takes, e.g. 15s (default: 15s; --quick: 2s). Runs"
              + " are sized from the rate measured so far.")
  String duration;

  @Option(
      names = "--quick",
      description = "Small and once: proves the command works in about a minute; not a result.")
  boolean quick;

  @Option(
      names = "--tenants",
      paramLabel = "N,N,...",
      split = ",",
      description = "Tenant counts of the scheduler-alone runs (default: 10,10000,1000000).")
  List<Integer> tenants;

  @Option(
      names = "--profile",
      description =
          "Record JFR execution samples of the first scheduler and end-to-end runs and summarise"
              + " them in PROFILE-data.md beside --out.")
  boolean profile;

  @Mixin XfaasOverrides overrides;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Results file (default: benchmarks/results/bench-<date>.md).")
  Path out;

  @Option(
      names = "--jmh",
      description =
          "Run the JMH microbenchmarks (short settings) instead; arguments after -- go to JMH.")
  boolean jmh;

  @Option(
      names = "--signing",
      description =
          "Measure instead the CPU of signed invocations: µs per call of DurableQ admission with"
              + " signing off and required, of the check alone and of signing in the submitter.")
  boolean signing;

  @Parameters(paramLabel = "JMH-ARGS", description = "With --jmh: JMH's own arguments.")
  List<String> jmhArgs = List.of();

  @Override
  public Integer call() throws Exception {
    PrintWriter o = spec.commandLine().getOut();
    if (jmh) {
      List<String> args = new ArrayList<>();
      args.add("--jmh");
      args.addAll(jmhArgs);
      return BenchmarkJvm.run(BenchmarkJvm.BENCH_MAIN, args, o);
    }
    if (!jmhArgs.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "unexpected arguments " + jmhArgs);
    }
    if (signing) {
      return BenchmarkJvm.run(
          BenchmarkJvm.BENCH_MAIN, List.of("--signing", quick ? "50000" : "200000"), o);
    }
    List<String> args = new ArrayList<>();
    if (quick) args.add("--quick");
    if (runs != null) {
      if (runs < 1) throw new ParameterException(spec.commandLine(), "--runs must be >= 1");
      args.addAll(List.of("--runs", runs.toString()));
    }
    if (duration != null) {
      long ms;
      try {
        ms = Durations.parseOrNone(duration).orElse(-1);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
      if (ms < 1000) throw new ParameterException(spec.commandLine(), "--duration must be >= 1s");
      args.addAll(List.of("--duration-ms", Long.toString(ms)));
    }
    if (tenants != null && !tenants.isEmpty()) {
      if (tenants.stream().anyMatch(t -> t < 1)) {
        throw new ParameterException(spec.commandLine(), "--tenants must be positive");
      }
      args.addAll(
          List.of("--tenants", String.join(",", tenants.stream().map(String::valueOf).toList())));
    }
    if (profile) args.add("--profile");
    try {
      // Checked here, before a broker starts: an unknown key or a bad value is refused at once.
      XfaasConfig.of(overrides.values);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    overrides.values.forEach((k, v) -> args.addAll(List.of("--set", k + "=" + v)));
    Path results =
        out != null
            ? out.toAbsolutePath()
            : XfaasHome.resolve("benchmarks/results/bench-" + LocalDate.now() + ".md");
    Path work = XfaasHome.workDir().resolve("bench-" + ProcessHandle.current().pid());
    args.addAll(List.of("--out", results.toString(), "--work", work.toString()));
    try {
      int exit = BenchmarkJvm.run(BenchmarkJvm.BENCH_MAIN, args, o);
      if (exit != 0) throw new IllegalStateException("the bench failed (exit " + exit + ")");
      return 0;
    } finally {
      Directories.deleteRecursively(work);
    }
  }
}
