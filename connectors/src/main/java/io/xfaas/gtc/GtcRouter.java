package io.xfaas.gtc;

import io.xfaas.config.XfaasConfig;
import io.xfaas.config.XfaasOptions;
import io.xfaas.records.GtcDecision;
import io.xfaas.serde.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a submitter sends new work: follows the GTC decisions topic on a background thread and
 * answers {@link #destinationTopic} from the latest decision for its own region, without ever
 * waiting on Kafka. With no decision known (yet, or ever), with a tombstone, or with a decision
 * that is not a valid row, everything stays local. Thread-safe.
 */
public final class GtcRouter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GtcRouter.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final long RETRY_MS = 1_000;

  private final XfaasConfig config;
  private final String region;
  private final Map<String, String> durableqs = new ConcurrentHashMap<>();
  private volatile RoutingTable table;
  private volatile KafkaConsumer<byte[], byte[]> consumer;
  private volatile boolean closed;
  private final CountDownLatch caughtUp = new CountDownLatch(1);
  private final CountDownLatch closing = new CountDownLatch(1);
  private Thread thread;

  /** A router that routes locally until {@link #apply} gives it a decision; no consumer. */
  public GtcRouter(XfaasConfig config) {
    this.config = config;
    this.region = config.region();
    this.table = RoutingTable.local(region);
  }

  /** A router following the decisions topic of {@code config} on a daemon thread. */
  public static GtcRouter start(XfaasConfig config) {
    GtcRouter r = new GtcRouter(config);
    r.thread = new Thread(r::follow, "xfaas-gtc-router-" + config.region());
    r.thread.setDaemon(true);
    r.thread.start();
    return r;
  }

  /** The DurableQ topic the invocation {@code id} goes to. Never blocks. */
  public String destinationTopic(String id) {
    return durableq(table.route(id));
  }

  /** The destination region of {@code id}. Never blocks. */
  public String route(String id) {
    return table.route(id);
  }

  /** The table in use now. */
  public RoutingTable table() {
    return table;
  }

  /**
   * Waits until the consumer has read the decisions topic to its end once (or the timeout passed);
   * for tools and tests that want the current matrix from the first call. Submitting never waits.
   */
  public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
    return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Takes a decision (or a tombstone: {@code decision == null}) read under key {@code key}. Only
   * decisions for this router's region count, and the last one read wins: a region's decisions
   * share a key, hence a partition, so they arrive in order. (Versions are not compared: a GTC job
   * started afresh counts them from 1 again.)
   */
  public void apply(String key, GtcDecision decision) {
    if (!region.equals(key)) return;
    if (decision == null) {
      table = RoutingTable.local(region);
      return;
    }
    if (!region.equals(decision.sourceRegion())) return;
    RoutingTable next = RoutingTable.of(region, decision.shares(), decision.version());
    if (next.isLocalOnly() && !isLocalOnly(decision)) {
      LOG.warn(
          "GTC decision v{} for {} is not a valid row: {}",
          decision.version(),
          region,
          decision.shares());
    }
    table = next;
  }

  private boolean isLocalOnly(GtcDecision d) {
    Double local = d.shares().get(region);
    return local != null && Math.abs(local - 1.0) < RoutingTable.SUM_TOLERANCE;
  }

  private String durableq(String destination) {
    return durableqs.computeIfAbsent(
        destination,
        r ->
            r.equals(region)
                ? config.topics().durableq()
                : config.with(Map.of(XfaasOptions.REGION.key(), r)).topics().durableq());
  }

  /** The consumer loop: from the start of the compacted topic, then every new decision. */
  private void follow() {
    String topic = config.topics().gtcDecisions();
    while (!closed) {
      try (KafkaConsumer<byte[], byte[]> c = newConsumer()) {
        consumer = c;
        if (closed) return;
        List<PartitionInfo> parts = c.partitionsFor(topic, Duration.ofSeconds(10));
        if (parts == null || parts.isEmpty()) {
          // No decisions topic (yet): local routing is right; look again later.
          caughtUp.countDown();
          sleepQuietly(RETRY_MS);
          continue;
        }
        List<TopicPartition> tps =
            parts.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        c.assign(tps);
        c.seekToBeginning(tps);
        Map<TopicPartition, Long> ends = c.endOffsets(tps);
        while (!closed) {
          for (ConsumerRecord<byte[], byte[]> r : c.poll(POLL)) {
            String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
            try {
              apply(
                  key,
                  r.value() == null ? null : Json.MAPPER.readValue(r.value(), GtcDecision.class));
            } catch (Exception e) {
              LOG.warn(
                  "unreadable GTC decision at {}/{}: {}", r.partition(), r.offset(), e.toString());
            }
          }
          if (caughtUp.getCount() > 0 && reached(c, ends)) caughtUp.countDown();
        }
      } catch (WakeupException e) {
        return; // close()
      } catch (RuntimeException e) {
        if (closed) return;
        // The last table stays in force while Kafka is away: routing never waits on GTC.
        LOG.warn("following {} failed; retrying: {}", topic, e.toString());
        sleepQuietly(RETRY_MS);
      } finally {
        consumer = null;
      }
    }
  }

  private static boolean reached(KafkaConsumer<?, ?> c, Map<TopicPartition, Long> ends) {
    for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
      if (c.position(e.getKey()) < e.getValue()) return false;
    }
    return true;
  }

  private KafkaConsumer<byte[], byte[]> newConsumer() {
    Map<String, Object> p = new HashMap<>();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    p.putAll(config.kafkaClientProperties());
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "xfaas-gtc-router-" + UUID.randomUUID());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** A retry back-off on the router's own thread (never a submitter's); close() cuts it short. */
  private void sleepQuietly(long ms) {
    try {
      closing.await(ms, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
    }
  }

  /** Stops following; the consumer is woken, not interrupted, so it closes cleanly. */
  @Override
  public void close() {
    closed = true;
    closing.countDown();
    KafkaConsumer<byte[], byte[]> c = consumer;
    if (c != null) c.wakeup();
    if (thread != null) {
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
