package io.xfaas.local;

import io.xfaas.config.XfaasConfig;
import io.xfaas.gtc.GtcJob;
import io.xfaas.scheduler.SchedulerJob;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.checkpoint.AbstractCheckpointStats;
import org.apache.flink.runtime.checkpoint.CheckpointStatsHistory;
import org.apache.flink.runtime.checkpoint.CheckpointStatsStatus;
import org.apache.flink.runtime.checkpoint.CompletedCheckpointStats;
import org.apache.flink.runtime.checkpoint.FailedCheckpointStats;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * A Flink MiniCluster in this JVM, with its REST API and web UI on a given port (flink-runtime-web
 * on the classpath makes the REST endpoint serve the UI). Jobs are submitted to it over REST like
 * to any cluster; their classes are on this JVM's classpath, so no jars are shipped. The one
 * local-Flink helper of {@code xfaas local}, the time-shifting benchmark and {@code xfaas bench}.
 */
public final class LocalFlink implements AutoCloseable {
  /** Room for the scheduler job and the jobs still to come. */
  private static final int SLOTS = 4;

  /**
   * Managed memory of the one TaskManager, shared by its slots' RocksDB instances (block cache and
   * memtables). A MiniCluster's own default, 128 MiB for all slots, leaves each RocksDB a 28 MiB
   * cache: the FuncBuffer's state outgrew it after about 750,000 calls in {@code xfaas bench}, and
   * from then on the job ran about ten times slower. 1 GiB for 4 slots is 256 MiB a slot, what
   * {@code flink-conf/config.yaml} gives a slot on a cluster. {@code
   * taskmanager.memory.managed.size} in the extra configuration overrides it.
   */
  static final MemorySize MANAGED_MEMORY = MemorySize.ofMebiBytes(1024);

  /** How often a start-up wait asks the cluster for the job's tasks. */
  private static final long POLL_MS = 20;

  private final MiniCluster cluster;
  private final Path checkpoints;
  private final int restPort;

  /** TaskManagers started so far: the MiniCluster indexes them in start order, dead ones kept. */
  private int taskManagersStarted = 1;

  private LocalFlink(MiniCluster cluster, Path checkpoints, int restPort) {
    this.cluster = cluster;
    this.checkpoints = checkpoints;
    this.restPort = restPort;
  }

  /**
   * Starts a cluster keeping checkpoints and scratch files under {@code dataDir}; {@code webPort} 0
   * takes a free port.
   */
  public static LocalFlink start(int webPort, Path dataDir) throws Exception {
    return start(webPort, dataDir, SLOTS, new Configuration());
  }

  /** The same with {@code slots} task slots: one per job (several regions run several jobs). */
  public static LocalFlink start(int webPort, Path dataDir, int slots) throws Exception {
    return start(webPort, dataDir, slots, new Configuration());
  }

  /** The same with {@code extra} on top of the cluster's configuration. */
  public static LocalFlink start(int webPort, Path dataDir, int slots, Configuration extra)
      throws Exception {
    Path dir = dataDir.toAbsolutePath();
    Path checkpoints = dir.resolve("checkpoints");
    Configuration conf = new Configuration();
    conf.set(RestOptions.ADDRESS, "localhost");
    conf.set(RestOptions.BIND_ADDRESS, "localhost");
    conf.set(RestOptions.PORT, webPort);
    conf.set(RestOptions.BIND_PORT, Integer.toString(webPort));
    conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
    // RocksDB working files and spills, so they go when the data dir goes.
    conf.set(CoreOptions.TMP_DIRS, dir.resolve("flink-tmp").toString());
    // Job submission uploads the job graph; the default place follows java.io.tmpdir, which may
    // be relative, and the REST server wants an absolute one.
    conf.set(WebOptions.UPLOAD_DIR, dir.resolve("uploads").toString());
    conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MANAGED_MEMORY);
    conf.addAll(extra);
    MiniCluster cluster =
        new MiniCluster(
            new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(Math.max(SLOTS, slots))
                .build());
    try {
      cluster.start();
    } catch (Exception e) {
      cluster.close();
      throw e;
    }
    int port = cluster.getRestAddress().get(30, TimeUnit.SECONDS).getPort();
    return new LocalFlink(cluster, checkpoints, port);
  }

  public URI webUi() {
    return URI.create("http://localhost:" + restPort);
  }

  public Path checkpoints() {
    return checkpoints;
  }

  /** The cluster itself, for what this class does not wrap. */
  public MiniCluster cluster() {
    return cluster;
  }

  /**
   * Submits the scheduler job through the REST API, as a client of a remote cluster would, and
   * waits until every task runs.
   */
  public JobClient submitScheduler(XfaasConfig config, Duration timeout, BooleanSupplier giveUp)
      throws Exception {
    return submit(
        SchedulerJob.jobConfiguration(config),
        env -> SchedulerJob.define(env, config),
        SchedulerJob.jobName(config),
        timeout,
        giveUp);
  }

  /** Submits the GTC job like {@link #submitScheduler}, and waits until every task runs. */
  public JobClient submitGtc(XfaasConfig config, Duration timeout, BooleanSupplier giveUp)
      throws Exception {
    return submit(
        GtcJob.jobConfiguration(config),
        env -> GtcJob.define(env, config),
        GtcJob.JOB_NAME,
        timeout,
        giveUp);
  }

  /**
   * Submits the job {@code define} builds, with the client configuration {@code jobConf} (its
   * checkpoints go to this cluster's folder), over the REST API, and waits until every task runs.
   */
  public JobClient submit(
      Configuration jobConf,
      Consumer<StreamExecutionEnvironment> define,
      String name,
      Duration timeout,
      BooleanSupplier giveUp)
      throws Exception {
    Configuration client = new Configuration(jobConf);
    client.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.createRemoteEnvironment("localhost", restPort, client);
    define.accept(env);
    JobClient job = env.executeAsync(name);
    awaitAllTasksRunning(job.getJobID(), timeout, giveUp);
    return job;
  }

  /**
   * Waits until the job and each of its tasks is RUNNING, so its sources are reading; or until
   * {@code giveUp} says to stop waiting.
   */
  public void awaitAllTasksRunning(JobID id, Duration timeout, BooleanSupplier giveUp)
      throws Exception {
    awaitRunning(id, timeout, giveUp, graph -> true);
  }

  /**
   * Waits until the job and each of its tasks is RUNNING and {@code also} holds of its execution
   * graph; returns that graph.
   */
  private AccessExecutionGraph awaitRunning(
      JobID id, Duration timeout, BooleanSupplier giveUp, Predicate<AccessExecutionGraph> also)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (giveUp.getAsBoolean()) throw new CancellationException("gave up waiting for " + id);
      JobStatus status = cluster.getJobStatus(id).get(10, TimeUnit.SECONDS);
      if (status.isGloballyTerminalState()) {
        throw new IllegalStateException("job " + id + " ended as " + status + " while starting");
      }
      if (status == JobStatus.RUNNING) {
        // The whole graph only once the job runs: it is a copy, and polls come every POLL_MS.
        AccessExecutionGraph graph = cluster.getExecutionGraph(id).get(10, TimeUnit.SECONDS);
        if (allRunning(graph) && also.test(graph)) return graph;
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("job " + id + " not running after " + timeout);
      }
      Thread.sleep(POLL_MS);
    }
  }

  private static boolean allRunning(AccessExecutionGraph graph) {
    for (AccessExecutionVertex v : graph.getAllExecutionVertices()) {
      if (v.getExecutionState() != ExecutionState.RUNNING) return false;
    }
    return true;
  }

  /**
   * Cancels a job and waits until it is gone, so that the cluster then closes at once instead of
   * waiting on tasks that are still winding down.
   */
  public void cancel(JobClient job, Duration timeout) throws Exception {
    job.cancel().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    cluster.requestJobResult(job.getJobID()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The job's state, e.g. RUNNING or RESTARTING. */
  public JobStatus status(JobID id) throws Exception {
    return cluster.getJobStatus(id).get(5, TimeUnit.SECONDS);
  }

  /**
   * What the status line says about a job, or null while it runs and checkpoints: that it is not
   * running, or that its latest checkpoints failed (a job whose checkpoints fail commits no
   * exactly-once output; past xfaas.checkpoints.tolerable-failures it restarts).
   */
  public String problem(JobID id, String name) {
    try {
      JobStatus status = status(id);
      if (status != JobStatus.RUNNING) return name + " " + status;
      CheckpointStatsHistory history =
          cluster
              .getExecutionGraph(id)
              .get(5, TimeUnit.SECONDS)
              .getCheckpointStatsSnapshot()
              .getHistory();
      int failed = 0;
      for (AbstractCheckpointStats c : history.getCheckpoints()) {
        if (c.getStatus() == CheckpointStatsStatus.COMPLETED) break;
        if (c.getStatus() == CheckpointStatsStatus.FAILED) failed++;
      }
      FailedCheckpointStats latest = history.getLatestFailedCheckpoint();
      return checkpointProblem(name, failed, latest == null ? null : latest.getFailureMessage());
    } catch (Exception e) {
      return name + " status unknown: " + e;
    }
  }

  /** The status line's words for {@code failedInARow} failed checkpoints; null for none. */
  static String checkpointProblem(String name, int failedInARow, String latestMessage) {
    if (failedInARow == 0) return null;
    String reason = latestMessage == null ? "no reason given" : latestMessage.strip();
    if (reason.length() > 120) reason = reason.substring(0, 117) + "...";
    return name
        + ": "
        + failedInARow
        + (failedInARow == 1 ? " checkpoint" : " checkpoints")
        + " failed since the last completed one ("
        + reason
        + ")";
  }

  /**
   * Kills the running TaskManager and starts a new one, as a machine's loss would: the job restarts
   * from its latest completed checkpoint. Returns that checkpoint's id (-1 if Flink restored none)
   * once every task of the job runs again in a new attempt.
   */
  public long killTaskManagerAndRecover(JobID id, Duration timeout) throws Exception {
    int attemptsBefore = attempts(cluster.getExecutionGraph(id).get(30, TimeUnit.SECONDS));
    cluster.terminateTaskManager(taskManagersStarted - 1).get(60, TimeUnit.SECONDS);
    cluster.startTaskManager();
    taskManagersStarted++;
    AccessExecutionGraph graph =
        awaitRunning(id, timeout, () -> false, g -> attempts(g) > attemptsBefore);
    var restored = graph.getCheckpointStatsSnapshot().getLatestRestoredCheckpoint();
    return restored == null ? -1 : restored.getCheckpointId();
  }

  /** The sum of the tasks' attempt numbers: it grows when the job restarts. */
  private static int attempts(AccessExecutionGraph graph) {
    int sum = 0;
    for (AccessExecutionVertex v : graph.getAllExecutionVertices()) {
      sum += v.getCurrentExecutionAttempt().getAttemptNumber();
    }
    return sum;
  }

  /** Triggers a checkpoint and returns its statistics once it has completed. */
  public CompletedCheckpointStats checkpoint(JobID id) throws Exception {
    cluster.triggerCheckpoint(id).get(5, TimeUnit.MINUTES);
    return cluster
        .getExecutionGraph(id)
        .get(30, TimeUnit.SECONDS)
        .getCheckpointStatsSnapshot()
        .getHistory()
        .getLatestCompletedCheckpoint();
  }

  @Override
  public void close() throws Exception {
    cluster.closeAsync().get(60, TimeUnit.SECONDS);
  }
}
