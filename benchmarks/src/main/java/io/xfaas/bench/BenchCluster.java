package io.xfaas.bench;

import io.xfaas.config.XfaasConfig;
import io.xfaas.config.XfaasOptions;
import io.xfaas.kafka.embedded.EmbeddedKafka;
import io.xfaas.scheduler.SchedulerJob;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.checkpoint.CompletedCheckpointStats;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * One embedded KRaft broker and one Flink MiniCluster in this JVM, shared by every run of a bench
 * so that the figures compare. Each run gets a fresh region (its own topics, consumer groups and
 * transactional ids) and deletes its topics afterwards to keep the disk small.
 */
public final class BenchCluster implements AutoCloseable {
  private static final Duration JOB_START_TIMEOUT = Duration.ofSeconds(120);
  private static final int SLOTS = 4;

  private final EmbeddedKafka kafka;
  private final MiniCluster flink;
  private final Admin admin;
  private final Path checkpoints;
  private final int restPort;
  private final int partitions;
  private int regions;

  private BenchCluster(
      EmbeddedKafka kafka, MiniCluster flink, Path checkpoints, int restPort, int partitions) {
    this.kafka = kafka;
    this.flink = flink;
    this.checkpoints = checkpoints;
    this.restPort = restPort;
    this.partitions = partitions;
    this.admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
  }

  /** Starts both under {@code workDir} (broker logs, checkpoints, RocksDB working files). */
  public static BenchCluster start(Path dir, int partitions) throws Exception {
    Path workDir = dir.toAbsolutePath();
    EmbeddedKafka kafka =
        EmbeddedKafka.builder()
            .logDir(workDir.resolve("kafka"))
            // Deleted topics go at once, not after a minute: runs delete theirs.
            .brokerProperty("file.delete.delay.ms", "1000")
            .build()
            .start();
    Path checkpoints = workDir.resolve("checkpoints");
    Configuration conf = new Configuration();
    conf.set(RestOptions.ADDRESS, "localhost");
    conf.set(RestOptions.BIND_ADDRESS, "localhost");
    conf.set(RestOptions.BIND_PORT, "0");
    conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
    conf.set(CoreOptions.TMP_DIRS, workDir.resolve("flink-tmp").toString());
    // Job submission uploads the job graph; the default place follows java.io.tmpdir, which may
    // be relative, and the REST server wants an absolute one.
    conf.set(
        org.apache.flink.configuration.WebOptions.UPLOAD_DIR,
        workDir.resolve("uploads").toString());
    conf.set(PipelineOptions.GENERIC_TYPES, false);
    MiniCluster flink =
        new MiniCluster(
            new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(SLOTS)
                .build());
    try {
      flink.start();
    } catch (Exception e) {
      flink.close();
      kafka.close();
      throw e;
    }
    int port = flink.getRestAddress().get(30, TimeUnit.SECONDS).getPort();
    return new BenchCluster(kafka, flink, checkpoints, port, partitions);
  }

  public String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  public int partitions() {
    return partitions;
  }

  public MiniCluster flink() {
    return flink;
  }

  /** A fresh region named {@code prefix-n} with its topics created; overrides win. */
  public XfaasConfig region(String prefix, Map<String, String> overrides) {
    String region = prefix + "-" + (++regions) + "-" + Long.toHexString(System.nanoTime() & 0xffff);
    Map<String, String> c = new HashMap<>();
    c.put(XfaasOptions.REGION.key(), region);
    c.put(XfaasOptions.BOOTSTRAP_SERVERS.key(), kafka.bootstrapServers());
    c.put(XfaasOptions.TOPIC_CONFIG.key(), "xfaas." + region + ".config");
    c.put(XfaasOptions.TOPIC_PARTITIONS.key(), String.valueOf(partitions));
    c.putAll(overrides);
    XfaasConfig config = XfaasConfig.of(c);
    kafka.createTopics(config.topics().partitions(partitions));
    kafka.createTopic(config.topics().config(), 1, Map.of("cleanup.policy", "compact"));
    return config;
  }

  /** Deletes the region's topics; best effort. */
  public void dropRegion(XfaasConfig config) {
    try {
      java.util.Set<String> topics =
          new java.util.HashSet<>(config.topics().partitions(partitions).keySet());
      topics.remove(config.topics().load()); // global, shared by every region
      topics.add(config.topics().config());
      admin.deleteTopics(topics).all().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      // Leftover topics only cost disk.
    }
  }

  /**
   * Records in {@code topic} (sum of end offsets, committed or not) and of them what {@code group}
   * has committed as consumed.
   */
  public long[] groupProgress(String group, String topic) throws Exception {
    var desc = admin.describeTopics(java.util.List.of(topic)).allTopicNames().get().get(topic);
    Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> specs =
        new HashMap<>();
    desc.partitions()
        .forEach(
            p ->
                specs.put(
                    new org.apache.kafka.common.TopicPartition(topic, p.partition()),
                    org.apache.kafka.clients.admin.OffsetSpec.latest()));
    long end = 0;
    for (var e : admin.listOffsets(specs).all().get().values()) end += e.offset();
    long done = 0;
    var committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    for (var e : committed.entrySet()) {
      if (e.getKey().topic().equals(topic) && e.getValue() != null) done += e.getValue().offset();
    }
    return new long[] {end, done};
  }

  /**
   * Submits a job over the REST API (as {@code xfaas local} does) with the scheduler's Flink
   * configuration (exactly-once checkpoints, RocksDB, no generic types) and waits until every task
   * runs.
   */
  public JobClient submit(XfaasConfig config, Consumer<StreamExecutionEnvironment> define)
      throws Exception {
    Configuration client = SchedulerJob.jobConfiguration(config);
    client.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.createRemoteEnvironment("localhost", restPort, client);
    define.accept(env);
    JobClient job = env.executeAsync("bench-" + config.region());
    awaitAllTasksRunning(job.getJobID());
    return job;
  }

  public void cancel(JobClient job) {
    try {
      job.cancel().get(60, TimeUnit.SECONDS);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!flink.getJobStatus(job.getJobID()).get().isGloballyTerminalState()
          && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
    } catch (Exception e) {
      throw new IllegalStateException("could not cancel " + job.getJobID(), e);
    }
  }

  /** Triggers a checkpoint and returns its statistics once it has completed. */
  public CompletedCheckpointStats checkpoint(JobID id) throws Exception {
    flink.triggerCheckpoint(id).get(5, TimeUnit.MINUTES);
    return flink
        .getExecutionGraph(id)
        .get(30, TimeUnit.SECONDS)
        .getCheckpointStatsSnapshot()
        .getHistory()
        .getLatestCompletedCheckpoint();
  }

  private void awaitAllTasksRunning(JobID id) throws Exception {
    long deadline = System.nanoTime() + JOB_START_TIMEOUT.toNanos();
    while (true) {
      JobStatus status = flink.getJobStatus(id).get(10, TimeUnit.SECONDS);
      if (status.isGloballyTerminalState()) {
        throw new IllegalStateException("job " + id + " ended as " + status + " while starting");
      }
      if (status == JobStatus.RUNNING && allRunning(flink.getExecutionGraph(id).get())) return;
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("job " + id + " not running after " + JOB_START_TIMEOUT);
      }
      Thread.sleep(20);
    }
  }

  private static boolean allRunning(AccessExecutionGraph graph) {
    for (AccessExecutionVertex v : graph.getAllExecutionVertices()) {
      if (v.getExecutionState() != ExecutionState.RUNNING) return false;
    }
    return true;
  }

  @Override
  public void close() throws Exception {
    try {
      admin.close();
      flink.close();
    } finally {
      kafka.close();
    }
  }
}
