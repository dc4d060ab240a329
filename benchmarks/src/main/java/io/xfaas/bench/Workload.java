package io.xfaas.bench;

import io.xfaas.records.Criticality;
import io.xfaas.records.Invocation;
import io.xfaas.serde.InvocationSerde;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The bench's invocations: no-op {@code echo} calls, invocation {@code i} of tenant {@code i mod
 * tenants}, with a fixed-size payload of random letters. Every bench run writes these same records,
 * so pass-through and scheduler move the same bytes.
 */
public final class Workload {
  private final int tenants;
  private final int padLength;
  private final String runId;

  public Workload(int tenants, int payloadBytes, String runId) {
    this.tenants = tenants;
    this.padLength = Math.max(0, payloadBytes - 10);
    this.runId = runId;
  }

  public Invocation invocation(long i, long submittedAt) {
    return new Invocation(
        runId + "-" + i,
        "tenant-" + (i % tenants),
        "echo",
        Criticality.NORMAL,
        0,
        submittedAt,
        null,
        null,
        1,
        3,
        payload(i),
        Map.of(),
        null,
        Map.of());
  }

  /**
   * Random letters, different for every call: RocksDB compresses its state, and one repeated string
   * would flatter the bytes per buffered invocation.
   */
  private String payload(long i) {
    java.util.SplittableRandom random = new java.util.SplittableRandom(i * 0x9E3779B97F4A7C15L);
    char[] pad = new char[padLength];
    for (int k = 0; k < padLength; k++) pad[k] = (char) ('a' + random.nextInt(26));
    return "{\"pad\":\"" + new String(pad) + "\"}";
  }

  /** Tenants that {@code n} invocations touch. */
  public long tenantsTouched(long n) {
    return Math.min(n, tenants);
  }

  /** Bytes of one record's value, for MB/s. */
  public int recordBytes() {
    return InvocationSerde.write(invocation(0, System.currentTimeMillis())).length;
  }

  /** A producer configured like the submitter's (acks=all, idempotent), named for the bench. */
  public static KafkaProducer<byte[], byte[]> producer(String bootstrap, String clientId) {
    Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /**
   * Writes invocations {@code 0..n-1} to {@code topic}, keyed by id as the submitter does, and
   * waits for every acknowledgement.
   *
   * @return the elapsed nanoseconds
   */
  public long preload(String bootstrap, String topic, long n) {
    long t0 = System.nanoTime();
    long now = System.currentTimeMillis();
    try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap, "bench-loader")) {
      for (long i = 0; i < n; i++) {
        Invocation inv = invocation(i, now);
        producer.send(
            new ProducerRecord<>(
                topic, inv.id().getBytes(StandardCharsets.UTF_8), InvocationSerde.write(inv)));
      }
      producer.flush();
    }
    return System.nanoTime() - t0;
  }
}
