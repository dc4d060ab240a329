package io.xfaas.testing;

import static org.awaitility.Awaitility.await;

import io.xfaas.kafka.Consumers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The one way tests read a topic: from its beginning, committed records only ({@code
 * read_committed}), every partition, no consumer group. Polled again and again it follows the topic
 * ({@link #poll}, {@link #followUntil}, {@link #catchUp}); {@link #readAll} reads it once to the
 * end it has now.
 */
public final class TopicReader implements AutoCloseable {
  private static final Duration POLL = Duration.ofMillis(100);
  private static final Duration READ_ALL_TIMEOUT = Duration.ofSeconds(30);

  private final String topic;
  private final KafkaConsumer<byte[], byte[]> consumer;

  public TopicReader(String bootstrapServers, String topic) {
    this(bootstrapServers, Map.of(), topic);
  }

  /**
   * A reader that authenticates with {@code clientProperties} (security.protocol, sasl.*, ssl.*).
   */
  public TopicReader(String bootstrapServers, Map<String, ?> clientProperties, String topic) {
    this.topic = topic;
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    consumer = Consumers.fromBeginning(props, topic);
  }

  /** Every committed record of {@code topic}, from its beginning to the end it has now. */
  public static List<ConsumerRecord<byte[], byte[]>> readAll(
      String bootstrapServers, String topic) {
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (TopicReader reader = new TopicReader(bootstrapServers, topic)) {
      reader.catchUp(out::add, READ_ALL_TIMEOUT);
    }
    return out;
  }

  /** One poll's worth of records. */
  public void poll(Consumer<ConsumerRecord<byte[], byte[]>> each) {
    consumer.poll(POLL).forEach(each);
  }

  /**
   * Follows the topic, handing every record to {@code each}, until {@code done} holds (asked after
   * every poll).
   *
   * @throws org.awaitility.core.ConditionTimeoutException naming {@code what} when it does not hold
   *     within {@code atMost}
   */
  public void followUntil(
      String what,
      Duration atMost,
      Consumer<ConsumerRecord<byte[], byte[]>> each,
      BooleanSupplier done) {
    await(what)
        .atMost(atMost)
        .until(
            () -> {
              poll(each);
              return done.getAsBoolean();
            });
  }

  /** Whether this reader stands at the last stable offset of every partition. */
  public boolean atEnd() {
    return consumer.endOffsets(consumer.assignment()).entrySet().stream()
        .allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
  }

  /** Hands every record up to the current end of the topic to {@code each}. */
  public void catchUp(Consumer<ConsumerRecord<byte[], byte[]>> each) {
    catchUp(each, READ_ALL_TIMEOUT);
  }

  /**
   * Hands every record up to the current end of the topic to {@code each}.
   *
   * @throws IllegalStateException when the end is not reached within {@code atMost} (an open
   *     transaction holds the last stable offset back)
   */
  public void catchUp(Consumer<ConsumerRecord<byte[], byte[]>> each, Duration atMost) {
    Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment());
    long deadline = System.nanoTime() + atMost.toNanos();
    while (ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException(
            "could not read " + topic + " to its end in " + atMost.toSeconds() + " s");
      }
      poll(each);
    }
  }

  @Override
  public void close() {
    consumer.close();
  }
}
