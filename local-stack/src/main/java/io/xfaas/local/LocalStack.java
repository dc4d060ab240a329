package io.xfaas.local;

import io.xfaas.config.Topics;
import io.xfaas.config.XfaasConfig;
import io.xfaas.config.XfaasOptions;
import io.xfaas.dashboard.DashboardFeed;
import io.xfaas.dashboard.DashboardModel;
import io.xfaas.dashboard.DashboardServer;
import io.xfaas.gtc.GtcJob;
import io.xfaas.kafka.TopicTail;
import io.xfaas.kafka.embedded.EmbeddedKafka;
import io.xfaas.scheduler.SchedulerJob;
import io.xfaas.scheduler.outcomes.TenantOutcomesJob;
import io.xfaas.security.RoleAcls.Role;
import io.xfaas.sidecar.FunctionRegistry;
import io.xfaas.sidecar.WorkerSidecar;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.flink.core.execution.JobClient;

/**
 * What {@code xfaas local} runs, all in this JVM: an embedded Kafka broker, the region's topics, a
 * Flink MiniCluster with its web UI, the scheduler job, worker sidecars, a demo load and the
 * dashboard; prints where everything is and a status line every second; stops it all in reverse
 * order when the JVM is asked to stop (Ctrl-C).
 */
public final class LocalStack {
  private static final Duration JOB_START_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration CANCEL_TIMEOUT = Duration.ofSeconds(30);

  /** How long a stop waits for the start-up step in progress before stopping what is there. */
  private static final Duration STARTUP_GRACE = Duration.ofSeconds(60);

  /**
   * What to run.
   *
   * @param kafkaPort port of the embedded broker
   * @param webPort port of Flink's web UI and REST API
   * @param sidecars worker sidecars per region
   * @param demo whether to play the demo load
   * @param demoRate invocations per second of the demo load, per region
   * @param dataDir where the broker, checkpoints and scratch files live, kept on exit; null for a
   *     fresh folder under {@code workDir}, deleted on exit
   * @param workDir where a fresh data dir goes
   * @param dashboardPort port of the live dashboard (0: none)
   * @param regions several regions on the one broker, with the GTC job; null or empty for the one
   *     configured region
   * @param secure the broker on SASL_SSL with SCRAM users and ACLs, a principal per role, signing
   *     required ({@link SecureLocal})
   */
  public record Settings(
      int kafkaPort,
      int webPort,
      int sidecars,
      boolean demo,
      int demoRate,
      Path dataDir,
      Path workDir,
      int dashboardPort,
      List<String> regions,
      boolean secure) {}

  /** Counted down once, when the JVM is asked to stop. */
  private final CountDownLatch stopping = new CountDownLatch(1);

  /** Counted down when start-up has finished or given up, so a stop never races a start. */
  private final CountDownLatch startupOver = new CountDownLatch(1);

  private final Settings settings;
  private final PrintWriter out;
  private final PrintWriter err;

  public LocalStack(Settings settings, PrintWriter out, PrintWriter err) {
    this.settings = settings;
    this.out = out;
    this.err = err;
  }

  /**
   * Starts everything, then prints the status line until the JVM is asked to stop.
   *
   * @param configuration the configuration (resolved here, so a bad one fails the start-up)
   * @param externalKafka whether the configuration names a broker to use instead of starting one
   * @param configFile the properties file the configuration comes from, for the first line; or null
   * @return the exit code: 1 when start-up failed, else 130 once stopped
   */
  public int run(Supplier<XfaasConfig> configuration, boolean externalKafka, Path configFile)
      throws Exception {
    ShutdownSequence stack = new ShutdownSequence(out);
    boolean terminal = System.console() != null;
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> stop(stack, out, terminal), "xfaas-local-shutdown"));
    StatusCounts counts = new StatusCounts();
    JobHealth health;
    try {
      health = start(stack, counts, out, configuration, externalKafka, configFile);
    } catch (Exception e) {
      if (stopping.getCount() == 0) return 130; // Ctrl-C while starting: the hook stops it all
      err.println("xfaas local: failed to start: " + describe(e));
      err.flush();
      stack.close();
      return 1;
    } finally {
      startupOver.countDown();
    }
    printStatusUntilStopped(counts, health, out, terminal);
    return 130;
  }

  /** What the status line says about the scheduler job: null while it runs, else its state. */
  @FunctionalInterface
  private interface JobHealth {
    String problem();
  }

  private JobHealth start(
      ShutdownSequence stack,
      StatusCounts counts,
      PrintWriter out,
      Supplier<XfaasConfig> configuration,
      boolean external,
      Path configFile)
      throws Exception {
    XfaasConfig config = configuration.get();
    Path data = dataDir(stack);
    out.printf(
        "xfaas local: starting %s%s%n",
        manyRegions()
            ? "regions " + String.join(",", settings.regions())
            : "region " + config.region(),
        configFile == null ? "" : " with " + configFile);
    out.flush();

    SecureLocal security = null;
    if (settings.secure()) {
      if (external)
        throw new IllegalArgumentException(
            "--secure runs its own broker, not " + config.bootstrapServers());
      if (manyRegions()) {
        throw new IllegalArgumentException("--secure does not run with --regions yet");
      }
      security = SecureLocal.prepare(data.resolve("secure"));
    }
    String kafkaWhere;
    if (external) {
      kafkaWhere = config.bootstrapServers() + " (external)";
    } else {
      EmbeddedKafka kafka =
          EmbeddedKafka.builder()
              .port(settings.kafkaPort())
              .logDir(data.resolve("kafka"))
              .security(security == null ? null : security.broker())
              .build();
      stack.add("kafka broker", kafka::close);
      step(out, "kafka", kafka::start);
      config = config.with(Map.of(XfaasOptions.BOOTSTRAP_SERVERS.key(), kafka.bootstrapServers()));
      kafkaWhere =
          kafka.bootstrapServers()
              + (security == null ? "" : " (SASL_SSL, SCRAM-SHA-512, ACLs)")
              + " (embedded, data in "
              + data.resolve("kafka")
              + ")";
    }
    XfaasConfig cfg = config;
    if (manyRegions()) {
      return startRegions(stack, counts, out, cfg, kafkaWhere, data);
    }
    SecureLocal sec = security;
    if (sec != null) {
      step(
          out,
          "principals and ACLs",
          () -> {
            sec.grant(cfg);
            return null;
          });
    }
    XfaasConfig admin = sec == null ? cfg : sec.asAdmin(cfg);
    step(
        out,
        "topics",
        () -> {
          LocalTopics.create(admin);
          return cfg.topics();
        });

    LocalFlink flink = step(out, "flink", () -> LocalFlink.start(settings.webPort(), data));
    stack.add("flink minicluster", flink::close);
    XfaasConfig schedulerCfg = sec == null ? cfg : sec.as(Role.SCHEDULER, sec.base(cfg));
    JobClient job =
        step(
            out,
            "scheduler job",
            () ->
                flink.submitScheduler(
                    schedulerCfg, JOB_START_TIMEOUT, () -> stopping.getCount() == 0));
    stack.add("scheduler job", () -> flink.cancel(job, CANCEL_TIMEOUT));
    JobClient tenantOutcomes = null;
    if (sec != null) {
      JobClient j =
          step(
              out,
              "tenant outcomes job",
              () ->
                  flink.submit(
                      TenantOutcomesJob.jobConfiguration(schedulerCfg),
                      env -> TenantOutcomesJob.define(env, schedulerCfg),
                      TenantOutcomesJob.jobName(schedulerCfg),
                      JOB_START_TIMEOUT,
                      () -> stopping.getCount() == 0));
      stack.add("tenant outcomes job", () -> flink.cancel(j, CANCEL_TIMEOUT));
      tenantOutcomes = j;
    }

    FunctionRegistry functions = FunctionRegistry.fromServiceLoader();
    XfaasConfig sidecarCfg = sec == null ? cfg : sec.as(Role.SIDECAR, sec.base(cfg));
    for (int i = 1; i <= settings.sidecars(); i++) {
      WorkerSidecar sidecar = new WorkerSidecar(sidecarCfg, functions);
      stack.add("sidecar " + i, sidecar::close);
      step(out, "sidecar " + i, sidecar::start);
    }
    if (settings.demo()) {
      Map<String, XfaasConfig> tenants = new LinkedHashMap<>();
      if (sec != null) {
        step(
            out,
            "demo tenants' principals",
            () -> {
              for (String t : DemoMix.TENANTS) tenants.put(t, sec.tenant(t, cfg));
              return null;
            });
      }
      DemoLoad demo = new DemoLoad(cfg, tenants);
      stack.add("demo load", demo::close);
      step(out, "demo load", () -> demo.start(settings.demoRate()));
    }
    TopicTail monitor = StatusMonitor.follow(admin, counts);
    stack.add("status monitor", monitor::close);
    step(out, "status monitor", monitor::start);
    String dashboardWhere =
        startDashboard(stack, sec == null ? cfg : sec.as(Role.ANALYST, cfg), out);

    printWhere(out, cfg, kafkaWhere, flink, job, functions, data, dashboardWhere, sec);
    JobClient second = tenantOutcomes;
    return () -> {
      String problem = flink.problem(job.getJobID(), "scheduler job");
      if (problem == null && second != null) {
        problem = flink.problem(second.getJobID(), "tenant outcomes job");
      }
      return problem;
    };
  }

  /**
   * {@code --regions}: every region of the list on the one broker and MiniCluster, each with its
   * own topics, scheduler job, sidecars and demo load, and the GTC job over all of them. The demo
   * submitters route by the GTC's decisions. The status line counts all regions together.
   */
  private JobHealth startRegions(
      ShutdownSequence stack,
      StatusCounts counts,
      PrintWriter out,
      XfaasConfig base,
      String kafkaWhere,
      Path data)
      throws Exception {
    List<XfaasConfig> configs = new ArrayList<>();
    for (String r : new LinkedHashSet<>(settings.regions())) {
      configs.add(
          base.with(
              Map.of(
                  XfaasOptions.REGION.key(), r, XfaasOptions.GTC_ROUTING_ENABLED.key(), "true")));
    }
    for (XfaasConfig c : configs) {
      step(
          out,
          "topics of " + c.region(),
          () -> {
            LocalTopics.create(c);
            return c.topics();
          });
    }
    LocalFlink flink =
        step(out, "flink", () -> LocalFlink.start(settings.webPort(), data, configs.size() + 1));
    stack.add("flink minicluster", flink::close);
    Map<String, JobClient> jobs = new LinkedHashMap<>();
    for (XfaasConfig c : configs) {
      JobClient job =
          step(
              out,
              "scheduler job of " + c.region(),
              () -> flink.submitScheduler(c, JOB_START_TIMEOUT, () -> stopping.getCount() == 0));
      stack.add("scheduler job of " + c.region(), () -> flink.cancel(job, CANCEL_TIMEOUT));
      jobs.put(SchedulerJob.jobName(c), job);
    }
    JobClient gtc =
        step(
            out,
            "gtc job",
            () ->
                flink.submitGtc(configs.get(0), JOB_START_TIMEOUT, () -> stopping.getCount() == 0));
    stack.add("gtc job", () -> flink.cancel(gtc, CANCEL_TIMEOUT));
    jobs.put(GtcJob.JOB_NAME, gtc);

    FunctionRegistry functions = FunctionRegistry.fromServiceLoader();
    for (XfaasConfig c : configs) {
      for (int i = 1; i <= settings.sidecars(); i++) {
        WorkerSidecar sidecar = new WorkerSidecar(c, functions);
        String name = "sidecar " + i + " of " + c.region();
        stack.add(name, sidecar::close);
        step(out, name, sidecar::start);
      }
    }
    for (XfaasConfig c : configs) {
      if (settings.demo()) {
        DemoLoad demo = new DemoLoad(c);
        stack.add("demo load of " + c.region(), demo::close);
        step(out, "demo load of " + c.region(), () -> demo.start(settings.demoRate()));
      }
      TopicTail monitor = StatusMonitor.follow(c, counts);
      stack.add("status monitor of " + c.region(), monitor::close);
      step(out, "status monitor of " + c.region(), monitor::start);
    }
    String dashboardWhere = startDashboard(stack, configs.get(0), out);

    out.println();
    out.println("  kafka       " + kafkaWhere);
    for (XfaasConfig c : configs) {
      out.println(
          "  region      "
              + c.region()
              + ": submit to "
              + c.topics().durableq()
              + ", outcomes in "
              + c.topics().outcomes());
    }
    out.println(
        "  gtc         "
            + configs.get(0).topics().load()
            + " -> "
            + GtcJob.JOB_NAME
            + " -> "
            + configs.get(0).topics().gtcDecisions()
            + " (compacted; submitters follow it)");
    out.println("  flink ui    " + flink.webUi() + " (" + jobs.size() + " jobs)");
    out.println("  dashboard   " + dashboardWhere + " (region " + configs.get(0).region() + ")");
    out.println(
        "  sidecars    " + settings.sidecars() + " per region, functions " + functions.names());
    out.println(
        "  demo        "
            + (settings.demo() ? "~" + settings.demoRate() + " invocations/s per region" : "off"));
    out.println(
        "  data dir    "
            + data
            + (settings.dataDir() == null ? " (deleted on exit)" : " (kept on exit)"));
    out.println();
    out.printf(
        Locale.ROOT,
        "xfaas local is ready with %d regions (%.1f s since start). Ctrl-C stops it.%n",
        configs.size(),
        ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0);
    out.flush();
    return () -> {
      for (Map.Entry<String, JobClient> j : jobs.entrySet()) {
        String problem = flink.problem(j.getValue().getJobID(), j.getKey());
        if (problem != null) return problem;
      }
      return null;
    };
  }

  private void printWhere(
      PrintWriter out,
      XfaasConfig config,
      String kafkaWhere,
      LocalFlink flink,
      JobClient job,
      FunctionRegistry functions,
      Path data,
      String dashboardWhere,
      SecureLocal sec) {
    Topics t = config.topics();
    int partitions = config.getInt(XfaasOptions.TOPIC_PARTITIONS);
    out.println();
    out.println("  kafka       " + kafkaWhere);
    out.println("  topics      " + t.durableq() + "  (submit here; " + partitions + " partitions)");
    out.println("              " + t.runq() + "  " + t.outcomes() + "  " + t.dlq());
    out.println("              " + t.feedback() + "  " + t.load());
    out.println("              " + t.config() + "  " + t.gtcDecisions() + "  (compacted)");
    out.println("  flink ui    " + flink.webUi());
    out.println("  dashboard   " + dashboardWhere);
    out.println(
        "  scheduler   " + SchedulerJob.jobName(config) + " (job " + job.getJobID() + ", RUNNING)");
    out.println("  sidecars    " + settings.sidecars() + ", functions " + functions.names());
    out.println(
        "  demo        "
            + (settings.demo()
                ? "~" + settings.demoRate() + " invocations/s over tenants " + DemoMix.TENANTS
                : "off"));
    out.println(
        "  data dir    "
            + data
            + (settings.dataDir() == null ? " (deleted on exit)" : " (kept on exit)"));
    if (sec != null) printSecurity(out, sec);
    out.println();
    out.printf(
        Locale.ROOT,
        "xfaas local is ready (%.1f s since start). Ctrl-C stops it.%n",
        ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0);
    out.flush();
  }

  private static void printSecurity(PrintWriter out, SecureLocal sec) {
    out.println("  security    SASL_SSL with SCRAM users and ACLs; invocations must be signed");
    out.println("              credentials in " + sec.dir() + " (owner-only)");
    out.println(
        "              operator: ./xfaas --config "
            + sec.dir().resolve("operator.xfaas.properties")
            + " tenants set NAME  (makes NAME's principal)");
    out.println(
        "              a tenant: ./xfaas --config "
            + sec.tenantsDir().resolve("tenant-NAME.xfaas.properties")
            + " submit ...");
    out.println(
        "              analyst:  ./xfaas --config "
            + sec.dir().resolve("analyst.xfaas.properties")
            + " sql ...");
  }

  /**
   * The live dashboard, fed from the metrics and outcomes topics; where it is, for the "where
   * everything is" block. A port already taken leaves the stack running without it.
   */
  private String startDashboard(ShutdownSequence stack, XfaasConfig cfg, PrintWriter out)
      throws Exception {
    if (settings.dashboardPort() == 0) return "off (--dashboard-port 0)";
    DashboardModel model = new DashboardModel();
    DashboardServer server;
    try {
      server = new DashboardServer(settings.dashboardPort(), model);
    } catch (BindException e) {
      return "off: port "
          + settings.dashboardPort()
          + " is taken (--dashboard-port PORT picks another)";
    }
    stack.add("dashboard", server::close);
    TopicTail feed = DashboardFeed.follow(cfg, model);
    stack.add("dashboard feed", feed::close);
    step(out, "dashboard feed", feed::start);
    step(out, "dashboard", server::start);
    return server.url() + " (metrics and outcomes, live)";
  }

  /** Whether {@code --regions} named the regions to run. */
  private boolean manyRegions() {
    return settings.regions() != null && !settings.regions().isEmpty();
  }

  private Path dataDir(ShutdownSequence stack) throws Exception {
    if (settings.dataDir() != null) {
      Files.createDirectories(settings.dataDir());
      return settings.dataDir().toAbsolutePath();
    }
    Files.createDirectories(settings.workDir());
    Path fresh = Files.createTempDirectory(settings.workDir(), "local-");
    stack.add("data dir", () -> Directories.deleteRecursively(fresh));
    return fresh;
  }

  private void printStatusUntilStopped(
      StatusCounts counts, JobHealth health, PrintWriter out, boolean terminal)
      throws InterruptedException {
    StatusSnapshot before = counts.snapshot(System.currentTimeMillis());
    int width = 0;
    while (!stopping.await(1, TimeUnit.SECONDS)) {
      StatusSnapshot now = counts.snapshot(System.currentTimeMillis());
      String problem = health.problem();
      String line = StatusLine.format(now, before) + (problem == null ? "" : " | " + problem);
      before = now;
      synchronized (out) {
        if (stopping.getCount() == 0) break;
        if (terminal) {
          // Redraw in place; pad over what a longer previous line left behind.
          out.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
          width = line.length();
        } else {
          out.println(line);
        }
        out.flush();
      }
    }
  }

  /**
   * Runs in the shutdown hook (Ctrl-C, SIGTERM): lets the start-up step in progress finish, then
   * stops everything in reverse order of starting.
   */
  private void stop(ShutdownSequence stack, PrintWriter out, boolean terminal) {
    synchronized (out) {
      stopping.countDown();
      if (stack.isClosed()) return;
      if (terminal) out.println();
      out.println("xfaas local: stopping");
      out.flush();
    }
    try {
      startupOver.await(STARTUP_GRACE.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    stack.close();
    out.println("xfaas local: stopped");
    out.flush();
  }

  /** Runs one start-up step, printing its name and how long it took; none once stopping. */
  private <T> T step(PrintWriter out, String name, StartStep<T> step) throws Exception {
    if (stopping.getCount() == 0) throw new IllegalStateException("stopping: not starting " + name);
    out.printf("  starting %s...", name);
    out.flush();
    long t0 = System.nanoTime();
    T result = step.run();
    out.printf(Locale.ROOT, " ok (%.1f s)%n", (System.nanoTime() - t0) / 1e9);
    out.flush();
    return result;
  }

  @FunctionalInterface
  private interface StartStep<T> {
    T run() throws Exception;
  }

  private static String describe(Throwable e) {
    StringBuilder s = new StringBuilder(e.toString());
    for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      s.append("\n  caused by ").append(c);
    }
    return s.toString();
  }
}
