package io.xfaas.sidecar;

import io.xfaas.config.Topics;
import io.xfaas.config.XfaasConfig;
import io.xfaas.config.XfaasOptions;
import io.xfaas.records.Criticality;
import io.xfaas.records.Invocation;
import io.xfaas.serde.InvocationSerde;
import io.xfaas.testing.EmbeddedKafkaExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.function.ToIntFunction;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * The topics, group and configuration of one sidecar test on the shared broker (a fresh prefix per
 * fixture), and the reads and writes the sidecar integration tests share.
 */
record SidecarFixture(EmbeddedKafkaExtension kafka, XfaasConfig config) {
  /** A fresh prefix: topics (RunQ, DurableQ and results with {@code partitions}), group, config. */
  static SidecarFixture create(EmbeddedKafkaExtension kafka, int partitions) {
    String prefix = "it-" + UUID.randomUUID().toString().substring(0, 8);
    Map<String, String> c = new HashMap<>();
    c.put("xfaas.region", "it");
    c.put("xfaas.kafka.bootstrap-servers", kafka.bootstrapServers());
    for (String t : List.of("durableq", "runq", "results", "dlq", "feedback")) {
      c.put("xfaas.topics." + t, prefix + "." + t);
    }
    c.put("xfaas.sidecar.group-id", prefix + ".workers");
    SidecarFixture f = new SidecarFixture(kafka, XfaasConfig.of(c));
    Topics t = f.topics();
    kafka.createTopics(
        Map.of(
            t.runq(), partitions,
            t.durableq(), partitions,
            t.results(), partitions,
            t.dlq(), 1,
            t.feedback(), 1));
    return f;
  }

  static Invocation invocation(String id, String function, String payload) {
    long now = System.currentTimeMillis();
    return new Invocation(
        id,
        "tenant-1",
        function,
        Criticality.NORMAL,
        0,
        now - 100,
        null,
        null,
        1,
        3,
        payload,
        Map.of(),
        now,
        Map.of());
  }

  XfaasConfig config(Map<String, String> overrides) {
    return config.with(overrides);
  }

  Topics topics() {
    return config.topics();
  }

  String group() {
    return config.get(XfaasOptions.SIDECAR_GROUP_ID);
  }

  /** Writes calls to RunQ, keyed by function; {@code partition} chooses each call's partition. */
  void writeRunQ(List<Invocation> calls, ToIntFunction<Invocation> partition) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
      List<Future<RecordMetadata>> acks = new ArrayList<>();
      for (Invocation inv : calls) {
        acks.add(
            producer.send(
                new ProducerRecord<>(
                    topics().runq(),
                    partition.applyAsInt(inv),
                    inv.function().getBytes(StandardCharsets.UTF_8),
                    InvocationSerde.write(inv))));
      }
      for (Future<RecordMetadata> ack : acks) ack.get();
    }
  }

  /** Waits until the group's committed offsets are RunQ's end offsets on every partition. */
  void awaitGroupAtEndOfRunQ(Duration atMost) {
    kafka.awaitGroupAtEnd(atMost, group(), topics().runq());
  }

  /** Every committed record of a topic, read from the beginning to its current end. */
  List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
    return kafka.readAll(topic);
  }
}
