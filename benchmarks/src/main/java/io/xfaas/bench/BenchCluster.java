package io.xfaas.bench;

import io.xfaas.config.XfaasConfig;
import io.xfaas.config.XfaasOptions;
import io.xfaas.kafka.embedded.EmbeddedKafka;
import io.xfaas.local.LocalFlink;
import io.xfaas.scheduler.SchedulerJob;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.checkpoint.CompletedCheckpointStats;
import org.apache.flink.runtime.minicluster.MiniCluster;
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
  private static final Duration CANCEL_TIMEOUT = Duration.ofSeconds(60);
  private static final int SLOTS = 4;

  private final EmbeddedKafka kafka;
  private final LocalFlink flink;
  private final Admin admin;
  private final int partitions;
  private int regions;

  private BenchCluster(EmbeddedKafka kafka, LocalFlink flink, int partitions) {
    this.kafka = kafka;
    this.flink = flink;
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
    Configuration conf = new Configuration();
    conf.set(PipelineOptions.GENERIC_TYPES, false);
    LocalFlink flink;
    try {
      flink = LocalFlink.start(0, workDir, SLOTS, conf);
    } catch (Exception e) {
      kafka.close();
      throw e;
    }
    return new BenchCluster(kafka, flink, partitions);
  }

  public String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  public int partitions() {
    return partitions;
  }

  public MiniCluster flink() {
    return flink.cluster();
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
    return flink.submit(
        SchedulerJob.jobConfiguration(config),
        define,
        "bench-" + config.region(),
        JOB_START_TIMEOUT,
        () -> false);
  }

  public void cancel(JobClient job) {
    try {
      flink.cancel(job, CANCEL_TIMEOUT);
    } catch (Exception e) {
      throw new IllegalStateException("could not cancel " + job.getJobID(), e);
    }
  }

  /** Triggers a checkpoint and returns its statistics once it has completed. */
  public CompletedCheckpointStats checkpoint(JobID id) throws Exception {
    return flink.checkpoint(id);
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
