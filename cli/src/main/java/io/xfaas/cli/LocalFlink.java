package io.xfaas.cli;

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
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * A Flink MiniCluster in this JVM, with its REST API and web UI on a fixed port (flink-runtime-web
 * on the classpath makes the REST endpoint serve the UI). Jobs are submitted to it over REST like
 * to any cluster; their classes are on this JVM's classpath, so no jars are shipped.
 */
final class LocalFlink implements AutoCloseable {
  /** Room for the scheduler job and the jobs still to come. */
  private static final int SLOTS = 4;

  private final MiniCluster cluster;
  private final Path checkpoints;
  private final int restPort;

  private LocalFlink(MiniCluster cluster, Path checkpoints, int restPort) {
    this.cluster = cluster;
    this.checkpoints = checkpoints;
    this.restPort = restPort;
  }

  /** Starts a cluster keeping checkpoints and scratch files under {@code dataDir}. */
  static LocalFlink start(int webPort, Path dataDir) throws Exception {
    return start(webPort, dataDir, SLOTS);
  }

  /** The same with {@code slots} task slots: one per job (several regions run several jobs). */
  static LocalFlink start(int webPort, Path dataDir, int slots) throws Exception {
    Path checkpoints = dataDir.resolve("checkpoints");
    Configuration conf = new Configuration();
    conf.set(RestOptions.ADDRESS, "localhost");
    conf.set(RestOptions.BIND_ADDRESS, "localhost");
    conf.set(RestOptions.PORT, webPort);
    conf.set(RestOptions.BIND_PORT, Integer.toString(webPort));
    conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
    // RocksDB working files and spills, so they go when the data dir goes.
    conf.set(CoreOptions.TMP_DIRS, dataDir.resolve("flink-tmp").toString());
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

  URI webUi() {
    return URI.create("http://localhost:" + restPort);
  }

  Path checkpoints() {
    return checkpoints;
  }

  /**
   * Submits the scheduler job through the REST API, as a client of a remote cluster would, and
   * waits until every task runs.
   */
  JobClient submitScheduler(XfaasConfig config, Duration timeout, BooleanSupplier giveUp)
      throws Exception {
    Configuration client = SchedulerJob.jobConfiguration(config);
    client.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.createRemoteEnvironment("localhost", restPort, client);
    JobClient job = SchedulerJob.start(env, config);
    awaitAllTasksRunning(job.getJobID(), timeout, giveUp);
    return job;
  }

  /** Submits the GTC job like {@link #submitScheduler}, and waits until every task runs. */
  JobClient submitGtc(XfaasConfig config, Duration timeout, BooleanSupplier giveUp)
      throws Exception {
    Configuration client = GtcJob.jobConfiguration(config);
    client.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.createRemoteEnvironment("localhost", restPort, client);
    JobClient job = GtcJob.start(env, config);
    awaitAllTasksRunning(job.getJobID(), timeout, giveUp);
    return job;
  }

  /**
   * Waits until the job and each of its tasks is RUNNING, so its sources are reading; or until
   * {@code giveUp} says to stop waiting.
   */
  void awaitAllTasksRunning(JobID id, Duration timeout, BooleanSupplier giveUp) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (giveUp.getAsBoolean()) throw new CancellationException("gave up waiting for " + id);
      JobStatus status = cluster.getJobStatus(id).get(10, TimeUnit.SECONDS);
      if (status.isGloballyTerminalState()) {
        throw new IllegalStateException("job " + id + " ended as " + status + " while starting");
      }
      if (status == JobStatus.RUNNING && allRunning(cluster.getExecutionGraph(id).get())) return;
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("job " + id + " not running after " + timeout);
      }
      Thread.sleep(100);
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
  void cancel(JobClient job, Duration timeout) throws Exception {
    job.cancel().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    cluster.requestJobResult(job.getJobID()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The job's state, e.g. RUNNING or RESTARTING. */
  JobStatus status(JobID id) throws Exception {
    return cluster.getJobStatus(id).get(5, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    cluster.closeAsync().get(60, TimeUnit.SECONDS);
  }
}
