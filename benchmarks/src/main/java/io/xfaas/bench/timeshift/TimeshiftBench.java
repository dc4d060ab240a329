package io.xfaas.bench.timeshift;

import io.xfaas.bench.timeshift.TimeshiftAnalysis.RunSummary;
import io.xfaas.config.XfaasConfig;
import io.xfaas.config.XfaasOptions;
import io.xfaas.kafka.TopicSnapshot;
import io.xfaas.kafka.embedded.EmbeddedKafka;
import io.xfaas.local.Directories;
import io.xfaas.local.LocalFlink;
import io.xfaas.local.LocalTopics;
import io.xfaas.local.ShutdownSequence;
import io.xfaas.replay.AzureTrace;
import io.xfaas.replay.ReplayPlan;
import io.xfaas.replay.ReplaySettings;
import io.xfaas.replay.Replayer;
import io.xfaas.replay.RunRecords;
import io.xfaas.replay.TimeshiftSettings;
import io.xfaas.scheduler.SchedulerJob;
import io.xfaas.scheduler.sim.FidelityCheck;
import io.xfaas.scheduler.sim.PolicySimulator;
import io.xfaas.scheduler.sim.RecordedHistory;
import io.xfaas.scheduler.sim.SimResult;
import io.xfaas.serde.Json;
import io.xfaas.sidecar.FunctionRegistry;
import io.xfaas.sidecar.WorkerSidecar;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.core.execution.JobClient;

/**
 * The time-shifting benchmark, all in this JVM: an embedded broker and a Flink MiniCluster, then
 * two runs of the same workload (the day played {@code days} times, DEFERRABLE deadlines from the
 * mix), each on a fresh region (its own topics) with its own scheduler job ({@code SchedulerJob})
 * and in-process sidecars: with the time-shifting controller off, then on (level-seeking, its cycle
 * the replayed day's length). After each replay it waits for the outstanding outcomes (bounded by
 * {@code drainMs}), stops the run's job and sidecars, and reads DurableQ, RunQ, outcomes, the
 * scheduling metrics, decisions and load reports back from Kafka for {@link TimeshiftAnalysis},
 * which measures the last day. Prints the table and writes {@code timeshift-<date>.md} and {@code
 * .png}. {@link TimeshiftMain} runs it for {@code xfaas replay --bench}.
 */
public final class TimeshiftBench {
  private static final Duration JOB_START = Duration.ofSeconds(120);
  private static final Duration CANCEL = Duration.ofSeconds(60);
  private static final Duration READ = Duration.ofSeconds(120);

  /** The warm-up replay is not measured: a short wait for its outcomes is enough. */
  private static final long WARM_UP_DRAIN_MS = 5_000;

  /** {@code xfaas whatif --validate}'s default bounds on delays: 15 %, or 100 ms where wider. */
  private static final double FIDELITY_TOLERANCE = 0.15;

  private static final long FIDELITY_SLACK_MS = 100;

  static final String OFF = "controller off";
  static final String ON = "controller on";
  static final String RESTARTED = "controller on, restarted";

  /** What one run produced: its figures, and the restart's for a restarted run. */
  private record Run(RunSummary summary, Replayer.Result replay, RestartCheck restart) {}

  /** When the restarted run loses its TaskManager, and when it recovered: epoch ms. */
  private record Restart(long faultAt, long recoveredAt, long restoredCheckpoint) {}

  private final TimeshiftSettings o;
  private final PrintWriter out;

  /** The files the last run wrote. */
  private Path markdownFile;

  private Path chartFile;

  private List<RunSummary> summaries = List.of();

  /** Into each replay, when a third run's scheduler loses its TaskManager; null for no such run. */
  private Duration restartAt;

  private RestartCheck restartCheck;

  /** Whether each measured run is also simulated, as {@code xfaas whatif --validate} would. */
  private boolean fidelity;

  /** Where each simulated run's recorded history is also written as JSON; null for nowhere. */
  private Path historyDir;

  private final Map<String, FidelityCheck> fidelityChecks = new java.util.LinkedHashMap<>();

  /** Each measured run's fidelity check, run once all runs are over. */
  private final List<Runnable> validations = new ArrayList<>();

  public TimeshiftBench(TimeshiftSettings options, PrintWriter out) {
    this.o = options;
    this.out = out;
  }

  public Path markdownFile() {
    return markdownFile;
  }

  public Path chartFile() {
    return chartFile;
  }

  /** The measured runs' figures, controller off then on, once {@link #run()} returned. */
  public List<RunSummary> summaries() {
    return summaries;
  }

  /**
   * Adds a third run, the controller on again, whose scheduler job loses its TaskManager {@code at}
   * into the replay and restarts from its latest checkpoint: {@link #restartCheck()} then says what
   * the controller kept. The MiniCluster's one TaskManager is killed, so once per benchmark.
   */
  public TimeshiftBench withRestartAt(Duration at) {
    this.restartAt = at;
    return this;
  }

  /**
   * The restarted run's check, once {@link #run()} returned; null without {@link #withRestartAt}.
   */
  public RestartCheck restartCheck() {
    return restartCheck;
  }

  /**
   * Simulates each measured run's recorded history with no change, as {@code xfaas whatif
   * --validate} does, and prints the comparison with what happened, per tenant.
   */
  public TimeshiftBench withFidelityCheck() {
    this.fidelity = true;
    return this;
  }

  /**
   * As {@link #withFidelityCheck()}, and writes each run's recorded history to {@code dir} as
   * {@code whatif-history-REGION.json} with the run's configuration ({@code config}, {@code
   * history}), to simulate again without the broker.
   */
  public TimeshiftBench withFidelityCheck(Path dir) {
    this.historyDir = dir;
    return withFidelityCheck();
  }

  /**
   * Each measured run's fidelity check by its label (controller off, on), once {@link #run()}
   * returned; empty without {@link #withFidelityCheck()}.
   */
  public Map<String, FidelityCheck> fidelityChecks() {
    return Map.copyOf(fidelityChecks);
  }

  /** Runs both replays and writes the report; true when both runs completed. */
  public boolean run() throws Exception {
    System.setProperty("java.awt.headless", "true");
    long t0 = System.nanoTime();
    AzureTrace trace = AzureTrace.read(o.traceDir());
    Files.createDirectories(o.scratchDir());
    Path data = Files.createTempDirectory(o.scratchDir(), "timeshift-");
    ShutdownSequence stack = new ShutdownSequence(out);
    List<Run> runs = new ArrayList<>();
    try {
      stack.add("data dir", () -> Directories.deleteRecursively(data));
      say("starting kafka and flink");
      EmbeddedKafka kafka = EmbeddedKafka.builder().logDir(data.resolve("kafka")).build();
      stack.add("kafka broker", kafka::close);
      kafka.start();
      LocalFlink flink = LocalFlink.start(0, data);
      stack.add("flink minicluster", flink::close);
      if (o.warmUpMs() > 0) {
        runOnce("warm-up", "tswarm", warmUp(o.replay()), true, trace, kafka, flink, false, null);
      }
      runs.add(runOnce(OFF, "tsoff", o.replay(), false, trace, kafka, flink, true, null));
      runs.add(runOnce(ON, "tson", o.replay(), true, trace, kafka, flink, true, null));
      if (restartAt != null) {
        Run restarted =
            runOnce(RESTARTED, "tsrestart", o.replay(), true, trace, kafka, flink, true, restartAt);
        restartCheck = restarted.restart();
        runs.add(restarted);
      }
      // Simulated once all runs are over: the simulation's work and garbage stay out of the
      // measured runs, which share this JVM with the scheduler job.
      for (Runnable v : validations) v.run();
    } finally {
      stack.close();
    }
    report(runs, (System.nanoTime() - t0) / 1_000_000_000L);
    return true;
  }

  private Run runOnce(
      String label,
      String region,
      ReplaySettings settings,
      boolean controller,
      AzureTrace trace,
      EmbeddedKafka kafka,
      LocalFlink flink,
      boolean measure,
      Duration restartAfter)
      throws Exception {
    XfaasConfig cfg = config(region, kafka.bootstrapServers(), controller, settings);
    LocalTopics.create(cfg);
    int days = measure ? o.days() : 1;
    ReplayPlan plan =
        ReplayPlan.build(trace, settings).withDeadlineMix(o.deadlineMixMs(), settings.seed());
    if (settings.spike() != null && o.spikeDeadlineMs() != null) {
      plan = plan.withTenantDeadline(settings.spike().tenant(), o.spikeDeadlineMs());
    }
    plan = plan.repeated(days);
    long dayMs = settings.durationMs();
    say(
        "run "
            + label
            + ": "
            + plan.calls().size()
            + " calls over "
            + days
            + " x "
            + dayMs / 1000
            + " s");
    plan.describe(out);
    ShutdownSequence runStack = new ShutdownSequence(out);
    Replayer.Result result;
    long start;
    CompletableFuture<Restart> restart = null;
    try {
      JobClient job = flink.submitScheduler(cfg, JOB_START, () -> false);
      runStack.add("scheduler job " + region, () -> flink.cancel(job, CANCEL));
      FunctionRegistry functions = FunctionRegistry.fromServiceLoader();
      for (int i = 1; i <= o.sidecars(); i++) {
        WorkerSidecar sidecar = new WorkerSidecar(cfg, functions);
        runStack.add("sidecar " + i + " " + region, sidecar::close);
        sidecar.start();
      }
      try (var client = io.xfaas.submit.SubmitterClient.create(cfg)) {
        Replayer replayer = new Replayer(client, region);
        start = System.currentTimeMillis();
        if (restartAfter != null) restart = restartLater(flink, job, start, restartAfter, label);
        long total = plan.calls().size();
        AtomicLong lastShown = new AtomicLong();
        result =
            replayer.play(
                plan,
                sent -> {
                  long now = System.currentTimeMillis();
                  if (now - lastShown.get() >= 10_000 && sent < total) {
                    lastShown.set(now);
                    say(String.format(Locale.ROOT, "  %s: sent %d of %d", label, sent, total));
                  }
                });
      }
      say(
          String.format(
              Locale.ROOT,
              "  %s: replay done (%d acknowledged, worst lag %d ms); draining up to %d s",
              label,
              result.acknowledged(),
              result.maxLagMs(),
              (measure ? o.drainMs() : WARM_UP_DRAIN_MS) / 1000));
      if (restart != null) restart.get(JOB_START.toMillis() * 2, TimeUnit.MILLISECONDS);
      awaitOutcomes(cfg, result.acknowledged(), measure ? o.drainMs() : WARM_UP_DRAIN_MS);
    } finally {
      runStack.close();
    }
    if (!measure) return null;
    RunRecords records = read(cfg);
    TimeshiftAnalysis.Window w =
        new TimeshiftAnalysis.Window(
            start,
            start + days * dayMs,
            o.bucketMs(),
            o.edgeBuckets(),
            o.feasibilityMarginMs(),
            start + (days - 1) * dayMs);
    RunSummary summary =
        TimeshiftAnalysis.analyze(label, records, w, o.sidecars() * o.sidecarThreads());
    long from = start;
    if (fidelity && restartAfter == null) validations.add(() -> validate(cfg, from, label));
    RestartCheck check = null;
    if (restart != null) {
      Restart r = restart.get();
      check =
          RestartCheck.of(
              summary,
              records,
              r.faultAt(),
              r.recoveredAt(),
              r.restoredCheckpoint(),
              o.feasibilityMarginMs());
      say("  " + check.describe());
      say(
          "  load reports around it:"
              + RestartCheck.heldAround(records, r.faultAt(), r.recoveredAt()));
    }
    return new Run(summary, result, check);
  }

  /** Prints the run's history simulated with no change against what happened (whatif). */
  private void validate(XfaasConfig cfg, long start, String label) {
    long t0 = System.nanoTime();
    RecordedHistory h =
        RecordedHistory.read(cfg, start - WARM_UP_DRAIN_MS, System.currentTimeMillis(), READ);
    if (historyDir != null) {
      try {
        Files.createDirectories(historyDir);
        Files.writeString(
            historyDir.resolve("whatif-history-" + cfg.region() + ".json"),
            Json.pretty(Map.of("config", cfg.effective(), "history", h)));
      } catch (java.io.IOException e) {
        say("  " + label + ": history not written: " + e);
      }
    }
    PolicySimulator.Setup setup =
        h.setup(
            SchedulerJob.settings(cfg).funcBuffer(),
            cfg.get(XfaasOptions.SIDECAR_FEEDBACK_INTERVAL).toMillis(),
            o.drainMs(),
            o.bucketMs());
    SimResult simulated = PolicySimulator.run(setup, h.calls());
    FidelityCheck check =
        FidelityCheck.compare(h.actual(), simulated, FIDELITY_TOLERANCE, FIDELITY_SLACK_MS);
    fidelityChecks.put(label, check);
    say(
        String.format(
            Locale.ROOT,
            "  %s: whatif --validate of %d calls (%d ms): %s",
            label,
            h.calls().size(),
            (System.nanoTime() - t0) / 1_000_000,
            check.summary()));
    for (String[] row : check.table()) say("    " + String.join(" | ", row));
  }

  /**
   * Kills the MiniCluster's TaskManager {@code after} into the replay, on a thread of its own while
   * the replay goes on, and waits for the job to run again from its checkpoint.
   */
  private CompletableFuture<Restart> restartLater(
      LocalFlink flink, JobClient job, long start, Duration after, String label) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            long wait = start + after.toMillis() - System.currentTimeMillis();
            // The replay runs on the wall clock: the fault is due at a wall-clock time.
            if (wait > 0) Thread.sleep(wait);
            long faultAt = System.currentTimeMillis();
            say("  " + label + ": killing the TaskManager");
            long checkpoint = flink.killTaskManagerAndRecover(job.getJobID(), JOB_START);
            long recoveredAt = System.currentTimeMillis();
            say(
                String.format(
                    Locale.ROOT,
                    "  %s: running again after %d ms, from checkpoint %d",
                    label,
                    recoveredAt - faultAt,
                    checkpoint));
            return new Restart(faultAt, recoveredAt, checkpoint);
          } catch (Exception e) {
            throw new CompletionException(e);
          }
        },
        task -> {
          Thread t = new Thread(task, "timeshift-restart");
          t.setDaemon(true);
          t.start();
        });
  }

  /** The first {@code warmUpMs} of the base replay (at least one trace minute). */
  private ReplaySettings warmUp(ReplaySettings s) {
    int minutes =
        (int) Math.max(1, Math.min(s.minutes(), Math.ceil(o.warmUpMs() / s.wallMsPerMinute())));
    return s.withoutSpike().withMinutes(minutes, s.seed() + 1);
  }

  /** Waits until every acknowledged call has an outcome, or the drain time is over. */
  private void awaitOutcomes(XfaasConfig cfg, long expected, long drainMs)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + drainMs;
    long seen = 0;
    while (System.currentTimeMillis() < deadline) {
      AtomicLong n = new AtomicLong();
      TopicSnapshot.read(
          cfg.bootstrapServers(),
          cfg.topics().outcomes(),
          "bench-count",
          READ,
          r -> n.incrementAndGet());
      seen = n.get();
      if (seen >= expected) break;
      // Polling a topic's size, not waiting for time to pass: bounded by the drain deadline.
      Thread.sleep(1000);
    }
    say(String.format(Locale.ROOT, "  outcomes: %d of %d", seen, expected));
  }

  private RunRecords read(XfaasConfig cfg) {
    RunRecords r = new RunRecords();
    String bs = cfg.bootstrapServers();
    TopicSnapshot.read(
        bs, cfg.topics().durableq(), "bench-read", READ, c -> r.addDurableQ(c.value()));
    TopicSnapshot.read(bs, cfg.topics().runq(), "bench-read", READ, c -> r.addRunQ(c.value()));
    TopicSnapshot.read(
        bs, cfg.topics().outcomes(), "bench-read", READ, c -> r.addOutcome(c.value()));
    TopicSnapshot.read(
        bs, cfg.topics().metrics(), "bench-read", READ, c -> r.addMetrics(c.value()));
    TopicSnapshot.read(
        bs, cfg.topics().decisions(), "bench-read", READ, c -> r.addDecision(c.value()));
    TopicSnapshot.read(bs, cfg.topics().load(), "bench-read", READ, c -> r.addLoad(c.value()));
    return r;
  }

  /**
   * The run's configuration: the file and -D options, then the benchmark's own (region, broker,
   * sidecar threads, a metrics period that fits a short run, a utilization target of 0.95 for a
   * pool sized for the mean, the controller's cycle as the replayed day's length in one slot per
   * bucket, a deadline margin compressed like the day) unless -D set them; with {@code controller}
   * false the time-shifting controller is off whatever -D says.
   */
  private XfaasConfig config(
      String region, String bootstrapServers, boolean controller, ReplaySettings day) {
    XfaasConfig user = XfaasConfig.load(o.configFile(), o.overrides());
    Map<String, String> c = new HashMap<>();
    c.put(XfaasOptions.SIDECAR_THREADS.key(), Integer.toString(o.sidecarThreads()));
    c.put(XfaasOptions.SCHEDULER_METRICS_INTERVAL.key(), "2000");
    c.put(XfaasOptions.TIMESHIFT_CYCLE.key(), day.durationMs() + "ms");
    // The pool is sized for the day's mean demand (about 75 % of it): the threshold rule's default
    // 0.8 would hold DEFERRABLE work nearly all day and leave it to go only by its deadlines.
    c.put(XfaasOptions.UTILIZATION_TARGET.key(), "0.95");
    // The least deadline margin: 5 minutes of trace time, compressed like the deadlines (the
    // default 5 s would leave a 6 h deadline at x576, 37.5 s, little room), but at least 1 s.
    c.put(
        XfaasOptions.DEFERRAL_MARGIN.key(),
        Math.max(1000, Math.round(300_000 / day.compress())) + "ms");
    c.put(
        XfaasOptions.TIMESHIFT_SLOTS.key(),
        Long.toString(Math.max(1, Math.min(100_000, day.durationMs() / o.bucketMs()))));
    c.putAll(o.overrides());
    if (!controller) c.put(XfaasOptions.TIMESHIFT_CONTROLLER.key(), "off");
    c.put(XfaasOptions.REGION.key(), region);
    c.put(XfaasOptions.BOOTSTRAP_SERVERS.key(), bootstrapServers);
    return user.with(c);
  }

  /** Adds a line of the report's setup, formatted in the root locale. */
  private static void line(List<String> setup, String format, Object... args) {
    setup.add(String.format(Locale.ROOT, format, args));
  }

  private void report(List<Run> runs, long tookSeconds) throws Exception {
    RunSummary off = runs.get(0).summary();
    RunSummary on = runs.get(1).summary();
    summaries = List.of(off, on);
    String date = LocalDate.now(ZoneOffset.UTC).toString();
    String name = "timeshift-" + date + (o.quick() ? "-quick" : "");
    Files.createDirectories(o.outDir());
    chartFile = o.outDir().resolve(name + ".png");
    markdownFile = o.outDir().resolve(name + ".md");
    TimeshiftChart.write(chartFile, List.of(off, on));
    ReplaySettings s = o.replay();
    List<String> setup = new ArrayList<>();
    line(
        setup,
        "trace: %s, minutes %d..%d of the day, compressed x%.0f (%.0f s per run), %.3f of"
            + " calls kept, %s spread, run time %s x %.5f (cap %d ms)",
        o.traceDir().getFileName(),
        s.startMinute(),
        s.startMinute() + s.minutes() - 1,
        s.compress(),
        s.durationMs() / 1000.0,
        s.sample(),
        s.spread().name().toLowerCase(Locale.ROOT),
        s.runTime().name().toLowerCase(Locale.ROOT),
        s.runtimeScale(),
        s.maxRunMs());
    line(
        setup,
        "calls: %.0f%% CRITICAL, %.0f%% DEFERRABLE (deadline %s after submission), the rest"
            + " NORMAL",
        s.criticalShare() * 100,
        s.deferrableShare() * 100,
        deadlines(s));
    line(
        setup,
        "days: the day played %d times back to back (%.0f s each), measured on the last; the"
            + " controller's cycle is the day's length, in %d slots",
        o.days(),
        s.durationMs() / 1000.0,
        Math.max(1, s.durationMs() / o.bucketMs()));
    if (s.spike() != null) {
      line(
          setup,
          "spike: tenant %s, minutes %d..%d, %d calls per trace minute before sampling, %s"
              + " DEFERRABLE, %s",
          s.spike().tenant(),
          s.spike().atMinute(),
          s.spike().atMinute() + s.spike().minutes() - 1,
          s.spike().perMinute(),
          s.spike().deferrableShare() == null
              ? String.format(Locale.ROOT, "%.0f%%", s.deferrableShare() * 100)
              : String.format(Locale.ROOT, "%.0f%%", s.spike().deferrableShare() * 100),
          o.spikeDeadlineMs() == null
              ? "deadlines from the mix"
              : "a batch tenant's: its DEFERRABLE deadline "
                  + traceDuration(o.spikeDeadlineMs())
                  + String.format(
                      Locale.ROOT,
                      " (%.1f s)",
                      Math.max(1, o.spikeDeadlineMs() / s.compress()) / 1000.0));
    }
    line(
        setup,
        "capacity: %d sidecars x %d threads in one JVM with the broker, a MiniCluster and the"
            + " scheduler job; %s; the whole benchmark took %d s",
        o.sidecars(),
        o.sidecarThreads(),
        o.warmUpMs() > 0
            ? "after a " + o.warmUpMs() / 1000 + " s warm-up replay on a throwaway region"
            : "no warm-up replay",
        tookSeconds);
    for (Run r : runs) {
      line(
          setup,
          "%s: %d calls sent, worst replay lag %d ms",
          r.summary().label(),
          r.replay().sent(),
          r.replay().maxLagMs());
      if (r.restart() != null) setup.add(r.restart().describe());
    }
    String md =
        TimeshiftReport.markdown(
            "Time-shifting benchmark, " + date + (o.quick() ? " (quick)" : ""),
            setup,
            off,
            on,
            chartFile.getFileName().toString(),
            o.replay().spike() == null ? "" : o.replay().spike().tenant());
    Files.writeString(markdownFile, md, StandardCharsets.UTF_8);
    Path missesFile = markdownFile.resolveSibling(name + "-misses.csv");
    writeMisses(missesFile, runs);
    out.println();
    out.println(md);
    out.println("wrote " + markdownFile + " and " + chartFile);
    out.flush();
  }

  /** The deadlines, in trace time and as replayed. */
  private String deadlines(ReplaySettings s) {
    List<Long> mix =
        o.deadlineMixMs().isEmpty() ? List.of(s.deferrableDeadlineMs()) : o.deadlineMixMs();
    List<String> parts = new ArrayList<>();
    for (long d : mix) {
      parts.add(
          String.format(
              Locale.ROOT,
              "%s (%.1f s)",
              traceDuration(d),
              Math.max(1, d / s.compress()) / 1000.0));
    }
    return String.join(" / ", parts) + (mix.size() > 1 ? ", equal shares" : "");
  }

  private static String traceDuration(long ms) {
    if (ms % 3_600_000 == 0) return ms / 3_600_000 + " h";
    if (ms % 60_000 == 0) return ms / 60_000 + " min";
    return ms / 1000 + " s";
  }

  /** Every missed deadline, one line each, for looking into where its time went. */
  private static void writeMisses(Path file, List<Run> runs) throws IOException {
    StringBuilder csv =
        new StringBuilder(
            "run,id,tenant,submittedAt,deadline,emulatedMs,dispatchedAt,startedAt,finishedAt,status\n");
    for (Run r : runs) {
      for (TimeshiftAnalysis.Miss m : r.summary().misses()) {
        csv.append(
            String.join(
                ",",
                r.summary().label(),
                m.id(),
                m.tenant(),
                Long.toString(m.submittedAt()),
                Long.toString(m.deadline()),
                Long.toString(m.emulatedMs()),
                String.valueOf(m.dispatchedAt()),
                String.valueOf(m.startedAt()),
                String.valueOf(m.finishedAt()),
                String.valueOf(m.status())));
        csv.append('\n');
      }
    }
    Files.writeString(file, csv, StandardCharsets.UTF_8);
  }

  private void say(String line) {
    out.println("xfaas replay --bench: " + line);
    out.flush();
  }
}
