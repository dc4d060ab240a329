package io.xfaas.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.xfaas.local.FlinkRest;
import io.xfaas.local.StandaloneCluster;
import io.xfaas.local.StandaloneCluster.Role;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code xfaas cluster}: a Flink standalone session cluster on this machine (start, shutdown) and
 * the jobs on any Flink 2.x cluster through its REST API (submit, savepoint, stop, resume, status).
 */
@Command(
    name = "cluster",
    description = {
      "A Flink session cluster and the xfaas jobs on it.",
      "start/shutdown run a JobManager and a TaskManager on this machine (pid files and logs in"
          + " .xfaas/cluster/); submit, savepoint, stop, resume and status talk to any Flink 2.x"
          + " cluster over REST (--rest)."
    },
    subcommands = {
      ClusterCommand.Start.class,
      ClusterCommand.Submit.class,
      ClusterCommand.Savepoint.class,
      ClusterCommand.Stop.class,
      ClusterCommand.Resume.class,
      ClusterCommand.Status.class,
      ClusterCommand.Shutdown.class
    })
final class ClusterCommand implements Runnable {
  static final String DEFAULT_REST = "http://localhost:8081";
  static final String SCHEDULER_MAIN = "io.xfaas.scheduler.SchedulerJob";
  static final String GTC_MAIN = "io.xfaas.gtc.GtcJob";

  /** The jobs xfaas deploys: where each one's shaded jar, main class and properties are. */
  enum Job {
    scheduler("jobs/scheduler-job/target", "xfaas-scheduler-job", SCHEDULER_MAIN),
    gtc("jobs/gtc-job/target", "xfaas-gtc-job", GTC_MAIN);

    final String targetDir;
    final String artifact;
    final String mainClass;

    Job(String targetDir, String artifact, String mainClass) {
      this.targetDir = targetDir;
      this.artifact = artifact;
      this.mainClass = mainClass;
    }

    /** flink-conf/scheduler-job.properties, flink-conf/gtc-job.properties. */
    String properties() {
      return "flink-conf/" + name() + "-job.properties";
    }
  }

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Where the local cluster's files are. */
  static final class LocalOptions {
    @Option(
        names = "--work-dir",
        paramLabel = "DIR",
        description = "Pid files, logs and data of the local cluster (default: .xfaas/cluster).")
    Path workDir;

    @Option(
        names = "--conf-dir",
        paramLabel = "DIR",
        description = "Flink configuration: config.yaml (default: flink-conf).")
    Path confDir;

    @Option(
        names = "--lib",
        paramLabel = "DIR",
        description = "Flink's jars, resolved by Maven (default: cli/target/lib).")
    Path lib;

    @Option(
        names = "-D",
        paramLabel = "KEY=VALUE",
        description =
            "A Flink option on top of config.yaml, e.g. -D taskmanager.numberOfTaskSlots=2.")
    Map<String, String> flink = new LinkedHashMap<>();

    StandaloneCluster cluster() {
      return new StandaloneCluster(
          confDir != null ? confDir : XfaasHome.resolve("flink-conf"),
          workDir != null ? workDir : XfaasHome.resolve(".xfaas/cluster"),
          lib != null ? lib : XfaasHome.resolve("cli/target/lib"),
          flink);
    }
  }

  /** The REST address of a cluster and how long to wait for it. */
  static final class RestOption {
    @Option(
        names = "--rest",
        paramLabel = "URL",
        description = "The cluster's REST address (default: " + DEFAULT_REST + ").")
    URI rest = URI.create(DEFAULT_REST);

    @Option(
        names = "--timeout",
        paramLabel = "SECONDS",
        defaultValue = "120",
        description = "How long to wait for the cluster (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    FlinkRest client() {
      return new FlinkRest(rest);
    }

    Duration timeout() {
      return Duration.ofSeconds(timeoutSeconds);
    }
  }

  /** What a job submission sends: the jar, its main class and its arguments. */
  static final class JobOptions {
    @Option(
        names = "--job",
        paramLabel = "JOB",
        description =
            "Which job: scheduler (one per region) or gtc (one for all regions); it picks the"
                + " default jar, main class and properties (default: scheduler).")
    Job job = Job.scheduler;

    @Option(
        names = "--jar",
        paramLabel = "FILE",
        description =
            "The job's shaded jar (default: jobs/<job>-job/target/xfaas-<job>-job-*-job.jar).")
    Path jar;

    @Option(
        names = "--entry-class",
        paramLabel = "CLASS",
        description = "The job's main class (default: " + SCHEDULER_MAIN + " or " + GTC_MAIN + ").")
    String entryClass;

    @Option(
        names = "--job-config",
        paramLabel = "FILE",
        description =
            "The job's properties, sent as -Dkey=value arguments (default:"
                + " flink-conf/<job>-job.properties).")
    Path jobConfig;

    @Option(
        names = "--remote-config",
        paramLabel = "PATH",
        description = "Also pass --config PATH: a properties file on the cluster's machines.")
    String remoteConfig;

    @Option(
        names = "--set",
        paramLabel = "KEY=VALUE",
        description = "A job option on top of the job's properties, e.g. --set xfaas.region=eu1.")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Option(
        names = "--no-wait",
        description = "Return once submitted, without waiting for every task to run.")
    boolean noWait;

    String entryClass() {
      return entryClass != null ? entryClass : job.mainClass;
    }

    Path jar() throws IOException {
      if (jar != null) return jar;
      Path dir = XfaasHome.resolve(job.targetDir);
      String pattern = Pattern.quote(job.artifact) + "-.*-job\\.jar";
      if (Files.isDirectory(dir)) {
        try (Stream<Path> files = Files.list(dir)) {
          var found = files.filter(p -> p.getFileName().toString().matches(pattern)).findFirst();
          if (found.isPresent()) return found.get();
        }
      }
      throw new IOException("no job jar in " + dir + ": build first (mvn -B -DskipTests package)");
    }

    /** The job's main arguments: the properties file's entries, then the --set overrides. */
    List<String> programArgs() throws IOException {
      Map<String, String> all = new TreeMap<>();
      Path file = jobConfig != null ? jobConfig : XfaasHome.resolve(job.properties());
      if (jobConfig != null || Files.isRegularFile(file)) {
        Properties props = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
          props.load(r);
        }
        props.stringPropertyNames().forEach(k -> all.put(k, props.getProperty(k)));
      }
      all.putAll(overrides);
      List<String> args = new ArrayList<>();
      if (remoteConfig != null) {
        args.add("--config");
        args.add(remoteConfig);
      }
      all.forEach((k, v) -> args.add("-D" + k + "=" + v));
      return args;
    }

    /** Uploads the jar, runs it (from a savepoint, if given) and waits until it runs. */
    String submit(RestOption rest, String savepoint, boolean allowNonRestored, PrintWriter err)
        throws Exception {
      FlinkRest client = rest.client();
      Path jarFile = jar();
      String jarId = client.uploadJar(jarFile);
      String jobId = client.runJar(jarId, entryClass(), programArgs(), savepoint, allowNonRestored);
      err.println(
          "submitted "
              + jarFile.getFileName()
              + " as job "
              + jobId
              + (savepoint != null ? " from " + savepoint : ""));
      if (!noWait) client.awaitRunning(jobId, rest.timeout());
      return jobId;
    }
  }

  /** The job a command acts on: the one named on the command line, or the only running one. */
  static final class RunningJob {
    @Parameters(
        arity = "0..1",
        paramLabel = "JOB_ID",
        description = "The job (default: the only running one).")
    String jobId;

    String id(FlinkRest client) throws IOException, InterruptedException {
      if (jobId != null) return jobId;
      List<FlinkRest.Job> running =
          client.jobs().stream().filter(j -> "RUNNING".equals(j.state())).toList();
      if (running.size() == 1) return running.get(0).id();
      throw new IllegalStateException(
          running.isEmpty()
              ? "no running job on " + client.base()
              : running.size()
                  + " running jobs on "
                  + client.base()
                  + ": name one "
                  + running.stream().map(FlinkRest.Job::id).toList());
    }
  }

  abstract static class Base implements Callable<Integer> {
    @Spec CommandSpec spec;

    PrintWriter out() {
      return spec.commandLine().getOut();
    }

    PrintWriter err() {
      return spec.commandLine().getErr();
    }

    @Override
    public Integer call() throws Exception {
      try {
        return execute();
      } catch (IOException | TimeoutException | IllegalStateException e) {
        err().println("xfaas cluster " + spec.name() + ": " + e.getMessage());
        return 1;
      }
    }

    abstract int execute() throws Exception;
  }

  /** Submit and resume: the job's jar and options, and a savepoint to start from. */
  abstract static class Submission extends Base {
    @Mixin RestOption rest;
    @Mixin JobOptions job;

    @Option(
        names = "--allow-non-restored-state",
        description = "Skip savepoint state no operator claims.")
    boolean allowNonRestored;

    /** The savepoint to start from, or null. */
    abstract String savepoint();

    @Override
    int execute() throws Exception {
      out().println(job.submit(rest, savepoint(), allowNonRestored, err()));
      return 0;
    }
  }

  /** Savepoint and stop: a running job and where its savepoint goes; prints where it went. */
  abstract static class SavepointTaking extends Base {
    @Mixin RunningJob job;
    @Mixin RestOption rest;

    @Option(
        names = "--target-dir",
        paramLabel = "DIR",
        description = "Where (default: the cluster's execution.checkpointing.savepoint-dir).")
    String targetDir;

    /** Takes the savepoint of the running job {@code id}; returns its path. */
    abstract String takeSavepoint(FlinkRest client, String id) throws Exception;

    @Override
    final int execute() throws Exception {
      FlinkRest client = rest.client();
      out().println(takeSavepoint(client, job.id(client)));
      return 0;
    }
  }

  @Command(
      name = "start",
      description = {
        "Starts a Flink standalone session cluster on this machine: a JobManager and a"
            + " TaskManager in the background, from the Maven-resolved jars (cli/target/lib).",
        "Checkpoints and savepoints go to <work-dir>/data/, logs to <work-dir>/log/."
      })
  static final class Start extends Base {
    @Mixin LocalOptions local;

    @Option(
        names = "--rest-port",
        paramLabel = "PORT",
        description = "REST and web UI port (default: config.yaml's rest.port).")
    Integer restPort;

    @Option(
        names = "--rpc-port",
        paramLabel = "PORT",
        description = "JobManager RPC port (default: config.yaml's jobmanager.rpc.port).")
    Integer rpcPort;

    @Option(
        names = "--timeout",
        paramLabel = "SECONDS",
        defaultValue = "90",
        description =
            "How long to wait for the TaskManagers to register (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(
        names = "--taskmanagers",
        paramLabel = "N",
        defaultValue = "1",
        description =
            "How many TaskManager processes (default: ${DEFAULT-VALUE}); the second and later ones"
                + " have pid files taskmanager-N.pid.")
    int taskManagers;

    @Override
    int execute() throws Exception {
      if (restPort != null) local.flink.put("rest.port", restPort.toString());
      if (rpcPort != null) local.flink.put("jobmanager.rpc.port", rpcPort.toString());
      StandaloneCluster cluster = local.cluster();
      Configuration conf = cluster.configuration();
      URI rest =
          URI.create(
              "http://"
                  + conf.get(RestOptions.ADDRESS, "localhost")
                  + ":"
                  + conf.get(RestOptions.PORT));
      FlinkRest client = new FlinkRest(rest);
      if (client.reachable()) {
        throw new IllegalStateException("a cluster already answers on " + rest);
      }
      try {
        cluster.start(Role.JOBMANAGER);
        for (int n = 1; n <= taskManagers; n++) cluster.instance(n).start(Role.TASKMANAGER);
        awaitTaskManagers(cluster, client, taskManagers, Duration.ofSeconds(timeoutSeconds));
      } catch (Exception e) {
        err().println("xfaas cluster start: " + e.getMessage());
        err().print(cluster.tail(Role.JOBMANAGER, 20));
        err().print(cluster.tail(Role.TASKMANAGER, 20));
        for (int n = 1; n <= taskManagers; n++) {
          cluster.instance(n).stop(Role.TASKMANAGER, Duration.ofSeconds(10));
        }
        cluster.stop(Role.JOBMANAGER, Duration.ofSeconds(10));
        return 1;
      }
      out().println("Flink session cluster running: web UI and REST on " + rest);
      out().println("  logs: " + cluster.workDir().resolve("log"));
      out().println("  data: " + cluster.workDir().resolve("data"));
      out().println("  next: ./xfaas cluster submit; ./xfaas cluster shutdown to stop it");
      return 0;
    }

    private static void awaitTaskManagers(
        StandaloneCluster cluster, FlinkRest client, int taskManagers, Duration timeout)
        throws Exception {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        if (cluster.running(Role.JOBMANAGER).isEmpty()) throw new IOException("jobmanager exited");
        for (int n = 1; n <= taskManagers; n++) {
          StandaloneCluster tm = cluster.instance(n);
          if (tm.running(Role.TASKMANAGER).isEmpty()) {
            throw new IOException(tm.name(Role.TASKMANAGER) + " exited");
          }
        }
        try {
          JsonNode overview = client.overview();
          if (overview.path("taskmanagers").asInt() >= taskManagers
              && overview.path("slots-total").asInt() > 0) {
            return;
          }
        } catch (IOException notYet) {
          // the JobManager's REST endpoint is still starting
        }
        if (System.nanoTime() > deadline) {
          throw new TimeoutException(
              "fewer than " + taskManagers + " TaskManagers registered after " + timeout);
        }
        Thread.sleep(250);
      }
    }
  }

  @Command(
      name = "submit",
      description = {
        "Uploads a job's shaded jar over REST and runs it; prints the job id. --job scheduler"
            + " (the default) or --job gtc.",
        "The job's options come from flink-conf/<job>-job.properties (sent as -D arguments,"
            + " so the cluster needs no file) and --set."
      })
  static final class Submit extends Submission {
    @Option(
        names = "--from-savepoint",
        paramLabel = "PATH",
        description = "Start from this savepoint.")
    String savepoint;

    @Override
    String savepoint() {
      return savepoint;
    }
  }

  @Command(
      name = "resume",
      description =
          "Submits the job again from a savepoint (what stop printed); prints the job id.")
  static final class Resume extends Submission {
    @Parameters(paramLabel = "SAVEPOINT", description = "The savepoint's path.")
    String savepoint;

    @Override
    String savepoint() {
      return savepoint;
    }
  }

  @Command(
      name = "savepoint",
      description = "Takes a savepoint of a running job (default: the only one); prints its path.")
  static final class Savepoint extends SavepointTaking {
    @Override
    String takeSavepoint(FlinkRest client, String id) throws Exception {
      return client.savepoint(id, targetDir, rest.timeout());
    }
  }

  @Command(
      name = "stop",
      description = {
        "Stops a job with a savepoint (default: the only running job); prints the savepoint's"
            + " path for resume. Its last Kafka transactions commit before it finishes."
      })
  static final class Stop extends SavepointTaking {
    @Option(
        names = "--drain",
        description = "Emit end-of-input first (flushes timers; for a job not to be resumed).")
    boolean drain;

    @Override
    String takeSavepoint(FlinkRest client, String id) throws Exception {
      String location = client.stopWithSavepoint(id, targetDir, drain, rest.timeout());
      client.awaitTerminal(id, rest.timeout());
      return location;
    }
  }

  @Command(
      name = "status",
      description = "The cluster's TaskManagers and slots and its jobs; and the local processes.")
  static final class Status extends Base {
    @Mixin RestOption rest;
    @Mixin LocalOptions local;

    @Override
    int execute() throws Exception {
      for (LocalProcess p : processes(local.cluster(), List.of(Role.values()))) {
        out()
            .println(
                "local "
                    + p.name()
                    + ": "
                    + p.running().map(h -> "running, pid " + h.pid()).orElse("not running"));
      }
      FlinkRest client = rest.client();
      JsonNode overview;
      try {
        overview = client.overview();
      } catch (IOException e) {
        out().println("cluster " + client.base() + ": not reachable");
        return 1;
      }
      out()
          .printf(
              "cluster %s: Flink %s, %d taskmanager(s), %d/%d slots free%n",
              client.base(),
              overview.path("flink-version").asText("?"),
              overview.path("taskmanagers").asInt(),
              overview.path("slots-available").asInt(),
              overview.path("slots-total").asInt());
      for (FlinkRest.Job j : client.jobs()) {
        // A running job whose checkpoints fail commits nothing: say so beside its state.
        String checkpoints =
            "RUNNING".equals(j.state())
                ? FlinkRest.checkpointSummary(client.checkpoints(j.id()))
                : null;
        out()
            .printf(
                "job %s %-10s %s%s%n",
                j.id(), j.state(), j.name(), checkpoints == null ? "" : " (" + checkpoints + ")");
      }
      return 0;
    }
  }

  @Command(
      name = "shutdown",
      description = "Stops the local cluster's TaskManager and JobManager (started by start).")
  static final class Shutdown extends Base {
    @Mixin LocalOptions local;

    @Override
    int execute() throws Exception {
      StandaloneCluster cluster = local.cluster();
      boolean any = false;
      for (LocalProcess p : processes(cluster, List.of(Role.TASKMANAGER, Role.JOBMANAGER))) {
        boolean was = p.stop(Duration.ofSeconds(30));
        if (was) out().println("stopped " + p.name());
        any |= was;
      }
      if (!any) out().println("no local cluster was running (" + cluster.workDir() + ")");
      return 0;
    }
  }

  /** One process of the local cluster: the instance whose pid file it has, in a role. */
  record LocalProcess(StandaloneCluster instance, Role role) {
    String name() {
      return instance.name(role);
    }

    Optional<ProcessHandle> running() {
      return instance.running(role);
    }

    boolean stop(Duration grace) throws IOException {
      return instance.stop(role, grace);
    }
  }

  /**
   * The local processes of {@code roles}, role by role: the first of a role and every further one
   * with a pid file ({@code ROLE-N.pid}).
   */
  static List<LocalProcess> processes(StandaloneCluster cluster, List<Role> roles) {
    List<LocalProcess> all = new ArrayList<>();
    for (Role role : roles) {
      all.add(new LocalProcess(cluster, role));
      for (int n = 2; Files.exists(cluster.instance(n).pidFile(role)); n++) {
        all.add(new LocalProcess(cluster.instance(n), role));
      }
    }
    return all;
  }
}
