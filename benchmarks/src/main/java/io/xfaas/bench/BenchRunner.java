package io.xfaas.bench;

import io.xfaas.config.XfaasConfig;
import io.xfaas.config.XfaasOptions;
import io.xfaas.kafka.Delivery;
import io.xfaas.scheduler.SchedulerJob;
import io.xfaas.serde.Json;
import io.xfaas.sidecar.FunctionRegistry;
import io.xfaas.sidecar.WorkerSidecar;
import io.xfaas.submit.SubmitterClient;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.checkpoint.CompletedCheckpointStats;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Runs {@code xfaas bench}: one embedded broker and one MiniCluster in this JVM, and on them, in
 * turn, Kafka's own clients, the pass-through baseline, the scheduler alone at each tenant count,
 * end to end through in-process sidecars, paced latency runs and the state-size probe.
 *
 * <p>Throughput runs pre-load DurableQ, start the job, and time from "every task running" until the
 * last record is visible to a read_committed reader of RunQ (or outcomes, end to end). Outcomes
 * (and RunQ, when it is written exactly once) become visible at checkpoints, so a run's end is late
 * by up to one checkpoint interval; runs are sized from the rate seen so far to take about {@code
 * --duration} each, which keeps that error to a few percent.
 */
public final class BenchRunner {
  /** The bench's first guess of a rate, before anything is measured. */
  private static final double FIRST_GUESS_RATE = 50_000;

  private static final int LATENCY_TENANTS = 10_000;

  /** The tenant count measured again on the heap state backend, as a second figure. */
  private static final int HEAP_TENANTS = 10_000;

  private final BenchSettings s;
  private final PrintStream log;
  private final CpuMeter cpu = new CpuMeter();
  private BenchCluster cluster;
  private Profiler profiler;
  private final long t0 = System.nanoTime();

  private BenchRunner(BenchSettings settings, PrintStream log) {
    this.s = settings;
    this.log = log;
  }

  /** Runs every measurement and writes the report to {@code settings.out()}. */
  public static BenchReport run(BenchSettings settings, Path workDir, PrintStream log)
      throws Exception {
    return new BenchRunner(settings, log).runAll(workDir);
  }

  private BenchReport runAll(Path workDir) throws Exception {
    Instant started = Instant.now();
    String machine = MachineInfo.describe();
    log.printf("xfaas bench: %s%n%s%n", s.quick() ? "quick" : "full", machine);
    Files.createDirectories(workDir);
    try (BenchCluster c = BenchCluster.start(workDir, s.partitions())) {
      cluster = c;
      if (s.profile()) profiler = new Profiler(s.out().resolveSibling("PROFILE-data.md"));
      List<Throughput> kafka = kafkaClients();
      Throughput pass = throughput("Flink pass-through DurableQ→RunQ", Kind.PASS_THROUGH, 10_000);
      List<Throughput> floor = new ArrayList<>();
      List<Throughput> scheduler = new ArrayList<>();
      for (int t : s.tenantCounts()) {
        // The floor right before the scheduler at each count: the host's load moves both alike.
        floor.add(
            throughput(String.format("%s, %,d tenants", BenchReport.FLOOR_NAME, t), Kind.FLOOR, t));
        scheduler.add(
            throughput(String.format("Scheduler alone, %,d tenants", t), Kind.SCHEDULER, t));
      }
      List<Throughput> heap = new ArrayList<>();
      if (s.tenantCounts().contains(HEAP_TENANTS)) {
        heap.add(
            throughput(
                String.format("%s, %,d tenants, heap state", BenchReport.FLOOR_NAME, HEAP_TENANTS),
                Kind.FLOOR_HEAP,
                HEAP_TENANTS));
        heap.add(
            throughput(
                String.format("Scheduler alone, %,d tenants, heap state", HEAP_TENANTS),
                Kind.SCHEDULER_HEAP,
                HEAP_TENANTS));
      }
      Throughput e2e =
          throughput(
              String.format("End to end, echo, %d sidecar(s)", s.sidecars()),
              Kind.END_TO_END,
              10_000);
      // The same path with RunQ in Kafka transactions: what the at-least-once default saves.
      Throughput e2eExactlyOnce =
          throughput(
              String.format("End to end, echo, %d sidecar(s), RunQ exactly-once", s.sidecars()),
              Kind.END_TO_END_EXACTLY_ONCE,
              10_000);
      // The scheduler-alone latency runs load the tenants whose maximum they are a share of: with
      // --tenants 10, 10 tenants (at 10,000 they offered half the 10-tenant maximum, more than
      // the job takes at 10,000, and left a backlog that the end-to-end runs after them paid).
      Throughput schedulerRef = latencyReference(scheduler);
      List<Latency> latencies = new ArrayList<>();
      if (!s.quick()) {
        // Quick mode skips these: the end-to-end runs time dispatch too.
        for (double load : new double[] {0.5, 0.9}) {
          latencies.addAll(
              latency(
                  false,
                  load,
                  schedulerRef.medianRate(),
                  Delivery.AT_LEAST_ONCE,
                  schedulerRef.tenants()));
        }
      }
      for (double load : new double[] {0.5, 0.9}) {
        latencies.addAll(latency(true, load, e2e.medianRate()));
      }
      latencies.addAll(
          latency(true, 0.5, e2eExactlyOnce.medianRate(), Delivery.EXACTLY_ONCE, LATENCY_TENANTS));
      Throughput sidecar =
          throughput("One sidecar alone, echo (RunQ → results)", Kind.SIDECAR, 10_000);
      StateSize state = stateSize();
      BenchReport report =
          new BenchReport(
              started,
              Duration.between(started, Instant.now()),
              machine,
              MachineInfo.loadAverage(),
              s,
              new Workload(1, s.payloadBytes(), "x").recordBytes(),
              kafka,
              pass,
              floor,
              scheduler,
              heap,
              e2e,
              e2eExactlyOnce,
              sidecar,
              latencies,
              state);
      report.write(s.out());
      if (profiler != null) profiler.write(report);
      log.println(report.markdown());
      log.printf("written to %s%n", s.out().toAbsolutePath());
      return report;
    } finally {
      cluster = null;
    }
  }

  /** A progress line, stamped with the seconds since the bench started. */
  private void say(String format, Object... args) {
    log.printf("[%4ds]" + format, prepend((System.nanoTime() - t0) / 1_000_000_000L, args));
  }

  private static Object[] prepend(Object first, Object[] rest) {
    Object[] all = new Object[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }

  enum Kind {
    PASS_THROUGH,
    FLOOR,
    SCHEDULER,
    FLOOR_HEAP,
    SCHEDULER_HEAP,
    END_TO_END,
    END_TO_END_EXACTLY_ONCE,
    SIDECAR;

    boolean endToEnd() {
      return this == END_TO_END || this == END_TO_END_EXACTLY_ONCE;
    }

    boolean heap() {
      return this == FLOOR_HEAP || this == SCHEDULER_HEAP;
    }

    boolean floor() {
      return this == FLOOR || this == FLOOR_HEAP;
    }
  }

  private double lastRate = FIRST_GUESS_RATE;

  /** Records of the first warm-up run: a few seconds of each kind, to measure its rate. */
  private static final long WARM_UP_RECORDS = 100_000;

  /** Most warm-up runs of a kind (each is sized from the last rate, which may undershoot). */
  private static final int MAX_WARM_UP_RUNS = 3;

  /**
   * Records for the warm-up run that follows {@code doneNanos} of warm-up at {@code rate}: enough
   * to fill {@code duration}, at least the first run's size, at most {@code cap} (a measured
   * run's).
   */
  static long warmUpRecords(double rate, Duration duration, long doneNanos, long cap) {
    double left = Math.max(0, duration.toNanos() - doneNanos) / 1e9;
    return Math.max(WARM_UP_RECORDS, Math.min(cap, (long) (rate * left)));
  }

  private final java.util.EnumSet<Kind> warmed = java.util.EnumSet.noneOf(Kind.class);

  private long sized(long atLeast) {
    long n = (long) (lastRate * s.duration().toMillis() / 1000.0);
    return Math.max(1000, Math.min(s.maxInvocations(), Math.max(n, atLeast)));
  }

  private Throughput throughput(String name, Kind kind, int tenants) throws Exception {
    if (!s.quick() && warmed.add(kind)) {
      // Warm-up, not counted: the first job of a kind in this JVM pays for loading and compiling
      // its code (the JIT took 48 s of CPU in a fresh JVM's first 90 s of scheduler runs; in an
      // end-to-end run after 100,000 records of warm-up, C2 still took 40 % of a core for the next
      // 18 s). So it runs for as long as a measured run: a first short run measures the rate, the
      // next ones are sized from it until the warm-up has lasted --duration. Its rate sizes the
      // first measured run.
      long warmNanos = 0;
      for (int i = 0; i < MAX_WARM_UP_RUNS && warmNanos < s.duration().toNanos(); i++) {
        long n =
            i == 0
                ? WARM_UP_RECORDS
                : warmUpRecords(lastRate, s.duration(), warmNanos, s.maxInvocations());
        Throughput.Run warm = throughputRun(kind, tenants, n, false);
        warmNanos += warm.nanos();
        lastRate = warm.rate();
        say("  %s warm-up %d: %,.0f records/s%n", name, i + 1, warm.rate());
      }
    }
    List<Throughput.Run> runs = new ArrayList<>();
    for (int r = 0; r < s.runs(); r++) {
      // Sized by time, not by tenants: with more tenants than records, each record is a tenant
      // of its own (the table says how many were touched).
      long n = sized(0);
      boolean profile =
          profiler != null && r == 0 && (kind == Kind.SCHEDULER || kind == Kind.END_TO_END);
      Throughput.Run run = throughputRun(kind, tenants, n, profile);
      runs.add(run);
      say(
          "  %s run %d: %,d records in %.1f s = %,.0f records/s%s%n",
          name,
          r + 1,
          run.records(),
          run.nanos() / 1e9,
          run.rate(),
          run.complete() ? "" : " (timed out)");
      lastRate = run.rate();
    }
    return new Throughput(name, kind == Kind.PASS_THROUGH ? 0 : tenants, runs);
  }

  private Throughput.Run throughputRun(Kind kind, int tenants, long n, boolean profile)
      throws Exception {
    Delivery runq =
        kind == Kind.END_TO_END_EXACTLY_ONCE ? Delivery.EXACTLY_ONCE : Delivery.AT_LEAST_ONCE;
    XfaasConfig config =
        cluster.region(
            kind.name().toLowerCase().replace('_', '-').replace("exactly-once", "eo"),
            schedulerOverrides(true, runq));
    Workload w = new Workload(tenants, s.payloadBytes(), config.region());
    if (kind == Kind.SIDECAR) return sidecarRun(config, w, n);
    w.preload(cluster.bootstrapServers(), config.topics().durableq(), n);
    List<WorkerSidecar> sidecars = kind.endToEnd() ? startSidecars(config) : List.of();
    String counted = kind.endToEnd() ? config.topics().outcomes() : config.topics().runq();
    // A run that outlasts this still measures: records visible by then over the time taken.
    Duration limit = Duration.ofMillis(Math.max(30_000, 3 * s.duration().toMillis()));
    try (TopicCounter counter =
        new TopicCounter(cluster.bootstrapServers(), counted, "bench-reader", true)) {
      JobClient job =
          cluster.submit(
              config,
              env -> {
                if (kind == Kind.PASS_THROUGH) PassThroughJob.define(env, config);
                else if (kind.floor()) KeyedStateFloorJob.define(env, config);
                else SchedulerJob.define(env, config);
                if (kind.heap()) env.configure(HEAP_STATE);
              });
      try {
        String label = kind.name().toLowerCase().replace('_', '-') + "-" + tenants;
        if (profile) profiler.start(label);
        CpuMeter.Snapshot c0 = cpu.snapshot();
        long t0 = System.nanoTime();
        long got = counter.awaitCount(n, limit, null);
        long nanos = System.nanoTime() - t0;
        CpuMeter.Snapshot c1 = cpu.snapshot();
        if (profile) profiler.stop(label, CpuMeter.byThread(c0, c1));
        if (Boolean.getBoolean("xfaas.bench.threads")) printThreads(c0, c1);
        return new Throughput.Run(
            got, nanos, w.tenantsTouched(got), CpuMeter.between(c0, c1), got >= n);
      } finally {
        cluster.cancel(job);
      }
    } finally {
      closeAll(sidecars);
      cluster.dropRegion(config);
    }
  }

  /**
   * One sidecar alone, no scheduler: RunQ pre-loaded with {@code n} no-op calls, timed from the
   * sidecar's start until the last result is visible to a read_committed reader. The sidecar is
   * warm: the end-to-end runs before it compiled its code in this JVM.
   */
  private Throughput.Run sidecarRun(XfaasConfig config, Workload w, long n) throws Exception {
    w.preload(cluster.bootstrapServers(), config.topics().runq(), n);
    Duration limit = Duration.ofMillis(Math.max(30_000, 3 * s.duration().toMillis()));
    try (TopicCounter counter =
        new TopicCounter(
            cluster.bootstrapServers(), config.topics().results(), "bench-reader", true)) {
      CpuMeter.Snapshot c0 = cpu.snapshot();
      long t0 = System.nanoTime();
      try (WorkerSidecar sidecar =
          new WorkerSidecar(config, FunctionRegistry.fromServiceLoader()).start()) {
        long got = counter.awaitCount(n, limit, null);
        long nanos = System.nanoTime() - t0;
        CpuMeter.Snapshot c1 = cpu.snapshot();
        if (Boolean.getBoolean("xfaas.bench.threads")) printThreads(c0, c1);
        return new Throughput.Run(
            got, nanos, w.tenantsTouched(got), CpuMeter.between(c0, c1), got >= n);
      }
    } finally {
      cluster.dropRegion(config);
    }
  }

  private static final org.apache.flink.configuration.Configuration HEAP_STATE =
      new org.apache.flink.configuration.Configuration()
          .set(org.apache.flink.configuration.StateBackendOptions.STATE_BACKEND, "hashmap");

  private void printThreads(CpuMeter.Snapshot c0, CpuMeter.Snapshot c1) {
    CpuMeter.byThread(c0, c1).entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(40)
        .forEach(
            e ->
                log.printf(
                    "    %8.0f ms  %-14s %s%n",
                    e.getValue() / 1e6, Component.of(e.getKey()), e.getKey()));
  }

  /** Quotas out of the way (or binding, for the state probe): the scheduler's own speed shows. */
  private Map<String, String> schedulerOverrides(boolean unbounded) {
    return schedulerOverrides(unbounded, Delivery.AT_LEAST_ONCE);
  }

  private Map<String, String> schedulerOverrides(boolean unbounded, Delivery runq) {
    Map<String, String> m = new HashMap<>();
    m.put(
        XfaasOptions.SCHEDULER_RUNQ_DELIVERY.key(),
        runq.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
    String big = "1000000000";
    m.put(XfaasOptions.SCHEDULER_CAPACITY.key(), "1000000000000");
    m.put(XfaasOptions.TENANTS_DEFAULT_RATE.key(), unbounded ? big : "0.001");
    m.put(XfaasOptions.TENANTS_DEFAULT_BURST.key(), unbounded ? big : "1");
    m.put(XfaasOptions.TENANTS_DEFAULT_CONCURRENCY.key(), unbounded ? big : "1");
    m.put(XfaasOptions.TENANTS_DEFAULT_BUFFER.key(), big);
    // The bench calls one function: spread over every RunQ partition so that all sidecars run it
    // (by default a function sits on one partition, so one sidecar would do all the work).
    m.put(XfaasOptions.SCHEDULER_RUNQ_FUNCTION_SPREAD.key(), "1000");
    // A no-op function needs no large pool; these match the sidecar overhead benchmark.
    m.put(XfaasOptions.SIDECAR_THREADS.key(), "16");
    m.put(XfaasOptions.SIDECAR_WINDOW_INITIAL.key(), "32");
    // --set: the options a run is measuring, over the bench's own.
    m.putAll(s.overrides());
    return m;
  }

  private List<WorkerSidecar> startSidecars(XfaasConfig config) throws Exception {
    List<WorkerSidecar> out = new ArrayList<>();
    for (int i = 0; i < s.sidecars(); i++) {
      out.add(new WorkerSidecar(config, FunctionRegistry.fromServiceLoader()).start());
    }
    // Ready means the group has settled: every sidecar owns partitions, or the run would time
    // the rebalance.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (out.stream().anyMatch(sc -> sc.assignment().isEmpty())) {
      if (System.nanoTime() > deadline)
        throw new IllegalStateException("sidecars got no partitions");
      Thread.sleep(50);
    }
    return out;
  }

  private static void closeAll(List<WorkerSidecar> sidecars) {
    for (WorkerSidecar sc : sidecars) sc.close();
  }

  // ---- Kafka's own clients ----

  /**
   * A plain producer loop (the submitter's settings: acks=all, idempotent, linger 5 ms) writing the
   * workload's records for a third of {@code --duration}, then a plain consumer loop reading them
   * back: the broker's ceiling on this machine.
   */
  private List<Throughput> kafkaClients() throws Exception {
    List<Throughput.Run> produced = new ArrayList<>();
    List<Throughput.Run> consumed = new ArrayList<>();
    for (int r = 0; r < s.runs(); r++) {
      XfaasConfig config = cluster.region("kafka", Map.of());
      Workload w = new Workload(10_000, s.payloadBytes(), config.region());
      String topic = config.topics().durableq();
      long budget = Math.max(1000, s.duration().toMillis() / 3) * 1_000_000L;
      try {
        CpuMeter.Snapshot c0 = cpu.snapshot();
        long t0 = System.nanoTime();
        long now = System.currentTimeMillis();
        long sent = 0;
        try (KafkaProducer<byte[], byte[]> p =
            Workload.producer(cluster.bootstrapServers(), "bench-producer")) {
          while (System.nanoTime() - t0 < budget) {
            for (int i = 0; i < 1000; i++, sent++) {
              var inv = w.invocation(sent, now);
              p.send(
                  new ProducerRecord<>(
                      topic,
                      inv.id().getBytes(StandardCharsets.UTF_8),
                      io.xfaas.serde.InvocationSerde.write(inv)));
            }
          }
          p.flush();
        }
        long pn = System.nanoTime() - t0;
        CpuMeter.Snapshot c1 = cpu.snapshot();
        produced.add(new Throughput.Run(sent, pn, 0, CpuMeter.between(c0, c1), true));
        try (TopicCounter counter =
            new TopicCounter(cluster.bootstrapServers(), topic, "bench-consumer", true)) {
          long t1 = System.nanoTime();
          long got = counter.awaitCount(sent, Duration.ofMinutes(2), null);
          long cn = System.nanoTime() - t1;
          CpuMeter.Snapshot c2 = cpu.snapshot();
          consumed.add(new Throughput.Run(got, cn, 0, CpuMeter.between(c1, c2), got >= sent));
        }
        say(
            "  Kafka run %d: produce %,.0f records/s, consume %,.0f records/s%n",
            r + 1, produced.get(r).rate(), consumed.get(r).rate());
      } finally {
        cluster.dropRegion(config);
      }
    }
    return List.of(
        new Throughput("Kafka producer (plain loop, acks=all, idempotent)", 0, produced),
        new Throughput("Kafka consumer (plain loop, read_committed)", 0, consumed));
  }

  // ---- latency ----

  /**
   * Submits at {@code load} times {@code maxRate} through a {@link SubmitterClient} for {@code
   * --latency-duration}, while readers take the time each invocation becomes visible (read
   * committed) on RunQ and, end to end, on outcomes. Visible is what a sidecar or a caller sees: it
   * includes the wait for the checkpoint that commits the record.
   */
  /**
   * The scheduler-alone row whose maximum the latency runs take a share of, with its tenants: the
   * 10,000-tenant row, else the first one measured.
   */
  static Throughput latencyReference(List<Throughput> scheduler) {
    return scheduler.stream()
        .filter(x -> x.tenants() == LATENCY_TENANTS)
        .findFirst()
        .orElse(scheduler.get(0));
  }

  private List<Latency> latency(boolean endToEnd, double load, double maxRate) throws Exception {
    return latency(endToEnd, load, maxRate, Delivery.AT_LEAST_ONCE, LATENCY_TENANTS);
  }

  private List<Latency> latency(
      boolean endToEnd, double load, double maxRate, Delivery runq, int tenants) throws Exception {
    double rate = Math.max(10, load * maxRate);
    XfaasConfig config =
        cluster.region(
            (endToEnd ? "lat-e2e" : "lat-sched") + (runq == Delivery.EXACTLY_ONCE ? "-eo" : ""),
            schedulerOverrides(true, runq));
    Workload w = new Workload(tenants, s.payloadBytes(), config.region());
    List<WorkerSidecar> sidecars = endToEnd ? startSidecars(config) : List.of();
    long total = (long) (rate * s.latencyDuration().toMillis() / 1000.0);
    LatencyReader dispatch = new LatencyReader(config.topics().runq(), "runq", total, false);
    LatencyReader outcome =
        endToEnd ? new LatencyReader(config.topics().outcomes(), "outcomes", total, true) : null;
    JobClient job = cluster.submit(config, env -> SchedulerJob.define(env, config));
    long warmUntil;
    try {
      dispatch.start();
      if (outcome != null) outcome.start();
      try (SubmitterClient client =
          SubmitterClient.create(
              config,
              Map.of(
                  org.apache.kafka.clients.producer.ProducerConfig.CLIENT_ID_CONFIG,
                  "bench-submitter"))) {
        long t0 = System.nanoTime();
        warmUntil = System.currentTimeMillis() + s.latencyDuration().toMillis() / 5;
        for (long i = 0; i < total; i++) {
          long due = t0 + (long) (i * 1e9 / rate);
          long wait;
          while ((wait = due - System.nanoTime()) > 0)
            LockSupport.parkNanos(Math.min(wait, 200_000));
          client.submit(w.invocation(i, System.currentTimeMillis()));
        }
        client.flush();
      }
      Duration limit = Duration.ofSeconds(120);
      dispatch.join(limit);
      if (outcome != null) outcome.join(limit);
    } finally {
      dispatch.stop();
      if (outcome != null) outcome.stop();
      cluster.cancel(job);
      closeAll(sidecars);
      cluster.dropRegion(config);
    }
    String pct = String.format("%.0f %%", load * 100);
    List<Latency> out = new ArrayList<>();
    String where =
        (endToEnd ? "end to end" : "scheduler alone")
            + (runq == Delivery.EXACTLY_ONCE ? ", RunQ exactly-once" : "");
    out.add(dispatch.result("submit→dispatch (" + where + ")", load, rate, warmUntil));
    if (outcome != null) {
      String path =
          "submit→outcome" + (runq == Delivery.EXACTLY_ONCE ? " (RunQ exactly-once)" : "");
      out.add(outcome.result(path, load, rate, warmUntil));
    }
    for (Latency l : out) {
      say(
          "  %s at %s (%,.0f/s): p50 %d ms, p99 %d ms (%d samples)%n",
          l.path(), pct, rate, l.p50Ms(), l.p99Ms(), l.samples());
    }
    return out;
  }

  /** Reads a topic on its own thread, noting receipt time minus submittedAt for each record. */
  private final class LatencyReader {
    private final String topic;
    private final boolean outcomes;
    private final long expected;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final long[] submitted;
    private final long[] latency;
    private int n;
    private final Thread thread;

    LatencyReader(String topic, String name, long expected, boolean outcomes) {
      this.topic = topic;
      this.outcomes = outcomes;
      this.expected = expected;
      this.submitted = new long[(int) expected];
      this.latency = new long[(int) expected];
      this.thread = new Thread(this::loop, "bench-reader-" + name);
      thread.setDaemon(true);
    }

    void start() {
      thread.start();
    }

    private void loop() {
      try (TopicCounter c =
          new TopicCounter(cluster.bootstrapServers(), topic, thread.getName(), true)) {
        while (!stop.get() && c.count() < expected) {
          c.awaitCount(
              Math.min(expected, c.count() + 1),
              Duration.ofMillis(100),
              r -> {
                long seen = System.currentTimeMillis();
                long at =
                    outcomes ? Json.readOutcome(r.value()).submittedAt() : submittedAt(r.value());
                if (n < submitted.length) {
                  submitted[n] = at;
                  latency[n] = seen - at;
                  n++;
                }
              });
        }
      }
    }

    void join(Duration timeout) throws InterruptedException {
      thread.join(timeout.toMillis());
    }

    void stop() throws InterruptedException {
      stop.set(true);
      thread.join(10_000);
    }

    Latency result(String path, double load, double rate, long warmUntil) {
      List<Long> kept = new ArrayList<>();
      for (int i = 0; i < n; i++) if (submitted[i] >= warmUntil) kept.add(latency[i]);
      long[] v = kept.stream().mapToLong(Long::longValue).toArray();
      return new Latency(
          path, load, rate, Stats.percentile(v, 50), Stats.percentile(v, 99), v.length);
    }
  }

  private static long submittedAt(byte[] json) {
    try {
      return Json.MAPPER.readTree(json).get("submittedAt").asLong();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  // ---- state size ----

  /**
   * Quotas binding (one call in flight per tenant, no refill to speak of, no sidecars), so all but
   * one invocation per tenant stay buffered. Checkpoint the empty job, load it, wait until the job
   * has consumed every record (its group's committed offsets reach the end of DurableQ), checkpoint
   * again: the growth of the full state size over the buffered invocations.
   */
  private StateSize stateSize() throws Exception {
    XfaasConfig config = cluster.region("state", schedulerOverrides(false));
    long n = s.stateInvocations();
    int tenants = s.stateTenants();
    Workload w = new Workload(tenants, s.payloadBytes(), config.region());
    JobClient job = cluster.submit(config, env -> SchedulerJob.define(env, config));
    try {
      CompletedCheckpointStats empty = cluster.checkpoint(job.getJobID());
      w.preload(cluster.bootstrapServers(), config.topics().durableq(), n);
      String group = config.get(XfaasOptions.SCHEDULER_GROUP_ID);
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
      while (true) {
        long[] p = cluster.groupProgress(group, config.topics().durableq());
        if (p[1] >= p[0]) break;
        if (System.nanoTime() > deadline)
          throw new IllegalStateException("state probe: job is stuck at " + p[1] + "/" + p[0]);
        Thread.sleep(200);
      }
      CompletedCheckpointStats full = cluster.checkpoint(job.getJobID());
      StateSize size =
          new StateSize(
              n, tenants, n - w.tenantsTouched(n), full.getStateSize(), empty.getStateSize());
      say(
          "  state: %,d bytes for %,d buffered = %,.0f bytes each%n",
          size.fullStateBytes() - size.emptyStateBytes(), size.buffered(), size.bytesPerBuffered());
      return size;
    } finally {
      cluster.cancel(job);
      cluster.dropRegion(config);
    }
  }
}
