package io.xfaas.testing;

import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResource;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.util.TestStreamEnvironment;
import org.apache.flink.util.FileUtils;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Flink MiniCluster for a test class (or, with {@link #perTest()}, a fresh one per test), set as
 * the context of {@code StreamExecutionEnvironment.getExecutionEnvironment()}, with the project's
 * test configuration in one place ({@link #testConfiguration}):
 *
 * <pre>{@code
 * @RegisterExtension static final FlinkClusterExtension FLINK = FlinkClusterExtension.slots(2);
 * }</pre>
 *
 * <p>A test method may take the {@link MiniCluster} as a parameter (as with Flink's own extension,
 * {@code @InjectMiniCluster} is allowed). {@link #settle} waits for two more completed checkpoints
 * of a job, so that a late duplicate is visible before a test says "exactly once".
 */
public final class FlinkClusterExtension
    implements BeforeAllCallback,
        BeforeEachCallback,
        AfterEachCallback,
        AfterAllCallback,
        ParameterResolver {
  private static final Logger LOG = LoggerFactory.getLogger(FlinkClusterExtension.class);

  private final int slotsPerTaskManager;
  private int taskManagers = 1;
  private Integer parallelism;
  private boolean perTest;
  private final List<Consumer<Configuration>> tweaks = new ArrayList<>();

  private MiniClusterResource resource;
  private Path checkpoints;
  private JobRest rest;

  private FlinkClusterExtension(int slotsPerTaskManager) {
    this.slotsPerTaskManager = slotsPerTaskManager;
  }

  /** One TaskManager with {@code slots} slots; jobs run at that parallelism unless told. */
  public static FlinkClusterExtension slots(int slots) {
    return new FlinkClusterExtension(slots);
  }

  public FlinkClusterExtension taskManagers(int n) {
    this.taskManagers = n;
    return this;
  }

  /** Default parallelism of the jobs the tests start; all slots when not set. */
  public FlinkClusterExtension parallelism(int p) {
    this.parallelism = p;
    return this;
  }

  /** A fresh MiniCluster for every test, so that one test's failures do not spill over. */
  public FlinkClusterExtension perTest() {
    this.perTest = true;
    return this;
  }

  /** Changes the configuration on top of {@link #testConfiguration}. */
  public FlinkClusterExtension configure(Consumer<Configuration> tweak) {
    tweaks.add(tweak);
    return this;
  }

  /**
   * What every test cluster runs with: no silent Kryo fallback, a restart strategy (so that a
   * failure shows as a restart the test can count, not a failed job), a fast metrics fetcher for
   * the REST API, and checkpoints and savepoints in {@code checkpoints}. The jobs choose their
   * state backend themselves (RocksDB for the scheduler, heap for the GTC job).
   */
  public static Configuration testConfiguration(Path checkpoints) {
    Configuration c = new Configuration();
    c.set(PipelineOptions.GENERIC_TYPES, false);
    c.set(MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL, Duration.ofMillis(500));
    c.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 20);
    c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(500));
    c.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.resolve("cp").toUri().toString());
    c.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, checkpoints.resolve("sp").toUri().toString());
    return c;
  }

  /**
   * What a client of this cluster reads from its config.yaml: where checkpoints and savepoints go
   * (the jobs refuse to start when they cannot see durable checkpoint storage).
   */
  static Configuration clientConfiguration(Configuration cluster) {
    Configuration c = new Configuration();
    for (var option :
        List.of(
            CheckpointingOptions.CHECKPOINTS_DIRECTORY,
            CheckpointingOptions.SAVEPOINT_DIRECTORY,
            CheckpointingOptions.CHECKPOINT_STORAGE)) {
      cluster.getOptional(option).ifPresent(v -> c.set(option, v));
    }
    return c;
  }

  /**
   * The context environment, on this cluster, with no silent Kryo fallback: for a test that builds
   * a workflow on it itself (a job's own {@code define} configures its environment).
   */
  public StreamExecutionEnvironment environment() {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    Configuration conf = new Configuration();
    conf.set(PipelineOptions.GENERIC_TYPES, false);
    env.configure(conf);
    return env;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    if (!perTest) start();
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    if (perTest) start();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (perTest) {
      stop();
    } else if (resource != null) {
      // What one test started does not hold the next one's slots.
      resource.cancelAllJobs();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (!perTest) stop();
  }

  private void start() throws Exception {
    checkpoints = Files.createTempDirectory("xfaas-flink-");
    Configuration conf = testConfiguration(checkpoints);
    tweaks.forEach(t -> t.accept(conf));
    resource =
        new MiniClusterResource(
            new MiniClusterResourceConfiguration.Builder()
                .setNumberTaskManagers(taskManagers)
                .setNumberSlotsPerTaskManager(slotsPerTaskManager)
                .setConfiguration(conf)
                .build());
    resource.before();
    ClusterContextEnvironment.setAsContext(
        resource.getMiniCluster(),
        parallelism != null ? parallelism : taskManagers * slotsPerTaskManager,
        clientConfiguration(conf));
    rest = new JobRest(resource.getMiniCluster());
  }

  private void stop() {
    TestStreamEnvironment.unsetAsContext();
    if (resource != null) resource.after();
    resource = null;
    rest = null;
    if (checkpoints != null) FileUtils.deleteDirectoryQuietly(checkpoints.toFile());
    checkpoints = null;
  }

  public MiniCluster miniCluster() {
    if (resource == null) throw new IllegalStateException("the MiniCluster runs only in tests");
    return resource.getMiniCluster();
  }

  /** The cluster's REST API: restarts, failures and checkpoints of a job. */
  public JobRest rest() {
    miniCluster();
    return rest;
  }

  /** Where this cluster keeps checkpoints and savepoints; deleted when the cluster stops. */
  public Path checkpointDir() {
    miniCluster();
    return checkpoints;
  }

  /** Waits until every job is RUNNING. */
  public static void awaitRunning(JobClient... jobs) {
    await("the jobs to run")
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              for (JobClient j : jobs) {
                if (j.getJobStatus().get() != JobStatus.RUNNING) return false;
              }
              return true;
            });
  }

  /**
   * Waits until each job has completed two more checkpoints than it had at the call (see {@link
   * JobRest#settle}), so that a late duplicate would be visible before a test says "exactly once".
   */
  public void settle(JobClient... jobs) throws Exception {
    JobID[] ids = new JobID[jobs.length];
    for (int i = 0; i < jobs.length; i++) ids[i] = jobs[i].getJobID();
    rest().settle(ids);
  }

  /** The job's numRestarts metric; waits until the REST endpoint's fetcher has it. */
  public long numRestarts(JobClient job) {
    return await("numRestarts of " + job.getJobID())
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> rest().numRestarts(job.getJobID()), Objects::nonNull);
  }

  /** Cancels and waits until the job is gone, so that no task still talks to the broker. */
  public static void cancel(JobClient job) {
    try {
      if (job.getJobStatus().get().isGloballyTerminalState()) return;
      job.cancel().get(30, TimeUnit.SECONDS);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> job.getJobStatus().get().isGloballyTerminalState());
    } catch (Exception e) {
      LOG.warn("cancelling {} failed", job.getJobID(), e);
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == MiniCluster.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return miniCluster();
  }
}
