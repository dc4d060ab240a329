package io.xfaas.bench;

import io.xfaas.kafka.Consumers;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Reads every partition of a topic from its start, committed records only (what a downstream
 * consumer would see), counting them.
 */
public final class TopicCounter implements AutoCloseable {
  /** {@code -Dxfaas.bench.trace=true}: print the count once a second while waiting. */
  private static final boolean TRACE = Boolean.getBoolean("xfaas.bench.trace");

  private static final long TRACE_NANOS = 1_000_000_000L;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private long count;

  public TopicCounter(String bootstrap, String topic, String clientId, boolean readCommitted) {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(
        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
        readCommitted ? "read_committed" : "read_uncommitted");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
    props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024);
    props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    consumer = Consumers.fromBeginning(props, topic);
  }

  /**
   * Reads until {@code n} records have been seen or {@code timeout} passes, handing each to {@code
   * each} (may be null).
   *
   * @return the count reached
   */
  public long awaitCount(long n, Duration timeout, Consumer<ConsumerRecord<byte[], byte[]>> each) {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    long nextTrace = start + TRACE_NANOS;
    long traced = count;
    while (count < n && System.nanoTime() < deadline) {
      ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(20));
      if (each != null) records.forEach(each);
      count += records.count();
      if (TRACE && System.nanoTime() >= nextTrace) {
        // A run's shape over time: a steady slowdown and a stall at the tail look alike in a mean.
        System.out.printf(
            "    trace %5.1f s: %,d records, %,d in the last second%n",
            (System.nanoTime() - start) / 1e9, count, count - traced);
        traced = count;
        nextTrace += TRACE_NANOS;
      }
    }
    return count;
  }

  public long count() {
    return count;
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(5));
  }
}
