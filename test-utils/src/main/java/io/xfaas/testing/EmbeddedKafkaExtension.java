package io.xfaas.testing;

import static org.awaitility.Awaitility.await;

import io.xfaas.config.XfaasConfig;
import io.xfaas.config.XfaasOptions;
import io.xfaas.kafka.embedded.EmbeddedBrokers;
import io.xfaas.kafka.embedded.EmbeddedKafka;
import io.xfaas.kafka.embedded.EmbeddedKafkaCluster;
import io.xfaas.records.TenantSettings;
import io.xfaas.serde.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real in-process KRaft broker for a test class, on a free port, stopped after the class:
 *
 * <pre>{@code
 * @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();
 * ...
 * XfaasConfig config = KAFKA.newRegion("it", Map.of()); // fresh topics for this test
 * }</pre>
 *
 * <p>Tests share the broker and keep apart by region: {@link #newRegion} names a region (and its
 * config topic) no other test uses and creates its topics. The producer and readers here are the
 * ones the tests used to write each for themselves.
 */
public final class EmbeddedKafkaExtension
    implements BeforeAllCallback, AfterAllCallback, AutoCloseable {
  /** Partitions of a region's partitioned topics unless a test says otherwise. */
  public static final int REGION_PARTITIONS = 4;

  private static final AtomicLong REGIONS = new AtomicLong();

  private final EmbeddedKafka.Builder builder;
  private final EmbeddedKafkaCluster.Builder clusterBuilder;
  private EmbeddedBrokers broker;
  private Admin admin;

  public EmbeddedKafkaExtension() {
    this(EmbeddedKafka.builder());
  }

  /** A broker built by {@code builder} (broker properties, feature levels). */
  public EmbeddedKafkaExtension(EmbeddedKafka.Builder builder) {
    this.builder = builder;
    this.clusterBuilder = null;
  }

  private EmbeddedKafkaExtension(EmbeddedKafkaCluster.Builder clusterBuilder) {
    this.builder = null;
    this.clusterBuilder = clusterBuilder;
  }

  /**
   * A cluster of broker processes ({@link EmbeddedKafkaCluster}: replication factor 3 and {@code
   * min.insync.replicas=2} from three brokers on) instead of one in-process broker.
   */
  public static EmbeddedKafkaExtension cluster(EmbeddedKafkaCluster.Builder clusterBuilder) {
    return new EmbeddedKafkaExtension(clusterBuilder);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  /** Starts the broker: for a program outside JUnit, such as a benchmark's {@code main}. */
  public EmbeddedKafkaExtension start() {
    broker = builder != null ? builder.build().start() : clusterBuilder.build().start();
    admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
    return this;
  }

  @Override
  public void close() {
    if (admin != null) admin.close();
    if (broker != null) broker.close();
    admin = null;
    broker = null;
  }

  /** The broker itself: to restart it, or to create topics with configs of their own. */
  public EmbeddedKafka broker() {
    if (broker instanceof EmbeddedKafka k) return k;
    throw new IllegalStateException(
        broker == null ? "the broker runs only inside the tests" : "a cluster, not one broker");
  }

  /** The cluster of broker processes, for an extension made by {@link #cluster}. */
  public EmbeddedKafkaCluster cluster() {
    if (broker instanceof EmbeddedKafkaCluster c) return c;
    throw new IllegalStateException(
        broker == null ? "the brokers run only inside the tests" : "one broker, not a cluster");
  }

  private EmbeddedBrokers brokers() {
    if (broker == null) throw new IllegalStateException("the broker runs only inside the tests");
    return broker;
  }

  public String bootstrapServers() {
    return brokers().bootstrapServers();
  }

  /** An admin client on the broker, closed with it. */
  public Admin admin() {
    brokers();
    return admin;
  }

  /**
   * A fresh region named after {@code prefix}, with a config topic of its own, on this broker; its
   * topics are created ({@link #REGION_PARTITIONS} partitions) and the scheduler checkpoints every
   * 500 ms. {@code overrides} win.
   */
  public XfaasConfig newRegion(String prefix, Map<String, String> overrides) {
    return newRegion(prefix, REGION_PARTITIONS, overrides);
  }

  /** {@link #newRegion(String, Map)} with {@code partitions} per partitioned topic. */
  public XfaasConfig newRegion(String prefix, int partitions, Map<String, String> overrides) {
    String n = uniqueSuffix();
    Map<String, String> c = new HashMap<>();
    c.put(XfaasOptions.REGION.key(), prefix + n);
    c.put(XfaasOptions.BOOTSTRAP_SERVERS.key(), bootstrapServers());
    c.put(XfaasOptions.TOPIC_CONFIG.key(), "config" + n);
    c.put(XfaasOptions.SCHEDULER_CHECKPOINT_INTERVAL.key(), "500");
    c.putAll(overrides);
    XfaasConfig config = XfaasConfig.of(c);
    createRegionTopics(config, partitions);
    return config;
  }

  /** The configuration of clients of {@code region} on this broker; creates nothing. */
  public XfaasConfig config(String region) {
    return XfaasConfig.of(
        Map.of(
            XfaasOptions.REGION.key(),
            region,
            XfaasOptions.BOOTSTRAP_SERVERS.key(),
            bootstrapServers()));
  }

  /** A suffix no other region, topic or group on this broker has: for names a test makes up. */
  public static String uniqueSuffix() {
    return Long.toString(System.nanoTime()) + REGIONS.incrementAndGet();
  }

  /**
   * Creates a region's topics: the partitioned ones with {@code partitions}, the single-partition
   * ones, and the compacted ones (config, GTC decisions, DLQ redrive) with compaction.
   */
  public void createRegionTopics(XfaasConfig config, int partitions) {
    createTopics(config.topics().partitions(partitions));
    config.topics().compacted().forEach(this::createCompactedTopic);
  }

  /** Creates the topics that do not exist yet and waits until every partition is served. */
  public void createTopics(Map<String, Integer> partitionsByTopic) {
    brokers().createTopics(partitionsByTopic);
    awaitServed(partitionsByTopic);
  }

  /** Creates a compacted topic unless it exists. */
  public void createCompactedTopic(String name, int partitions) {
    brokers().createTopic(name, partitions, Map.of("cleanup.policy", "compact"));
    awaitServed(Map.of(name, partitions));
  }

  /**
   * Waits until the broker answers for every partition as its leader. A first write that races the
   * metadata of a new partition can leave an idempotent producer stuck on a sequence error until
   * its delivery timeout; a list-offsets request is answered only by a leader that is ready.
   */
  private void awaitServed(Map<String, Integer> topics) {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    topics.forEach(
        (topic, n) -> {
          for (int p = 0; p < n; p++) latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        });
    await("the new partitions to be served")
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> admin.listOffsets(latest).all().get().size() == latest.size());
  }

  /**
   * A producer of test input, written once: every record acknowledged by the broker, plain ordered
   * retries and no idempotence sequence to get stuck on.
   */
  public KafkaProducer<byte[], byte[]> producer() {
    return producer(Map.of());
  }

  /** {@link #producer()} with {@code overrides}, e.g. a transactional id. */
  public KafkaProducer<byte[], byte[]> producer(Map<String, Object> overrides) {
    Map<String, Object> conf = new HashMap<>();
    conf.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    conf.put(ProducerConfig.ACKS_CONFIG, "all");
    conf.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    conf.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
    conf.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
    conf.putAll(overrides);
    return new KafkaProducer<>(conf, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** A transactional producer (idempotent, as transactions require); the caller inits it. */
  public KafkaProducer<byte[], byte[]> transactionalProducer(String transactionalId) {
    return producer(
        Map.of(
            ProducerConfig.TRANSACTIONAL_ID_CONFIG,
            transactionalId,
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            true,
            ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION,
            5));
  }

  /** The sum of the topic's end offsets: what was ever written to it, transaction markers too. */
  public long endOffsetSum(String topic) throws Exception {
    return endOffsets(topic).values().stream().mapToLong(Long::longValue).sum();
  }

  /** The end offset of every partition of the topics. */
  public Map<TopicPartition, Long> endOffsets(String... topics) throws Exception {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (String topic : topics) {
      admin
          .describeTopics(List.of(topic))
          .allTopicNames()
          .get()
          .get(topic)
          .partitions()
          .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
    }
    Map<TopicPartition, Long> out = new HashMap<>();
    admin.listOffsets(latest).all().get().forEach((tp, info) -> out.put(tp, info.offset()));
    return out;
  }

  /** Writes {@code value} under {@code key} and waits for the broker's acknowledgement. */
  public void send(String topic, String key, byte[] value) throws Exception {
    try (KafkaProducer<byte[], byte[]> p = producer()) {
      p.send(
              new ProducerRecord<>(
                  topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value))
          .get();
    }
  }

  /** Writes tenant settings to the region's config topic, in order, on its one partition. */
  public void writeSettings(XfaasConfig config, List<TenantSettings> tenants) throws Exception {
    try (KafkaProducer<byte[], byte[]> p = producer()) {
      for (TenantSettings t : tenants) {
        p.send(
                new ProducerRecord<>(
                    config.topics().config(),
                    TenantSettings.configKey(t.tenant()).getBytes(StandardCharsets.UTF_8),
                    Json.write(t)))
            .get();
      }
    }
  }

  /** A reader that follows {@code topic} from its beginning; the caller closes it. */
  public TopicReader follow(String topic) {
    return new TopicReader(bootstrapServers(), topic);
  }

  /** Every committed record of {@code topic}, from its beginning to the end it has now. */
  public List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
    return TopicReader.readAll(bootstrapServers(), topic);
  }

  /**
   * Whether consumer group {@code group} has committed the end of every partition of the topics.
   */
  public boolean groupAtEnd(String group, String... topics) throws Exception {
    Map<TopicPartition, Long> ends = endOffsets(topics);
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    for (var e : ends.entrySet()) {
      OffsetAndMetadata c = committed.get(e.getKey());
      long at = c == null ? 0 : c.offset();
      if (at < e.getValue()) return false;
    }
    return true;
  }

  /** Waits until {@link #groupAtEnd} holds. */
  public void awaitGroupAtEnd(Duration atMost, String group, String... topics) {
    await("group " + group + " to have read " + String.join(", ", topics) + " to the end")
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(() -> groupAtEnd(group, topics));
  }
}
