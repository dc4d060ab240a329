package io.xfaas.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xfaas.records.Criticality;
import io.xfaas.records.Invocation;
import io.xfaas.serde.InvocationSerde;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema.KafkaSinkContext;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

/** Where RunQ puts a function's calls: one partition, or a spread of consecutive ones. */
class RunQSerializerTest {
  private static final int PARTITIONS = 8;

  private static final KafkaSinkContext EIGHT_PARTITIONS =
      new KafkaSinkContext() {
        @Override
        public int getParallelInstanceId() {
          return 0;
        }

        @Override
        public int getNumberOfParallelInstances() {
          return 1;
        }

        @Override
        public int[] getPartitionsForTopic(String topic) {
          return new int[] {0, 1, 2, 3, 4, 5, 6, 7};
        }
      };

  private static Invocation call(String id, String function) {
    return new Invocation(
        id, "t", function, Criticality.NORMAL, 0, 5, null, null, 1, 3, null, null, 6L, null);
  }

  private static Set<Integer> partitionsOf(String function, int spread) {
    RunQSerializer s = new RunQSerializer("runq", spread);
    Set<Integer> used = new TreeSet<>();
    for (int i = 0; i < 1000; i++) {
      ProducerRecord<byte[], byte[]> r =
          s.serialize(call("id-" + i, function), EIGHT_PARTITIONS, 1L);
      assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(function);
      assertThat(r.value()).isEqualTo(InvocationSerde.write(call("id-" + i, function)));
      used.add(r.partition());
    }
    return used;
  }

  @Test
  void withNoSpreadKafkasPartitionerPlacesTheFunction() {
    ProducerRecord<byte[], byte[]> r =
        new RunQSerializer("runq", 1).serialize(call("a", "echo"), EIGHT_PARTITIONS, 1L);
    assertThat(r.partition()).isNull();
    assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("echo");
  }

  @Test
  void aSpreadFunctionUsesThatManyConsecutivePartitionsFromItsOwn() {
    int first = Utils.toPositive(Utils.murmur2("echo".getBytes(StandardCharsets.UTF_8))) % 8;
    Set<Integer> expected = new TreeSet<>();
    for (int k = 0; k < 4; k++) expected.add((first + k) % PARTITIONS);
    assertThat(partitionsOf("echo", 4)).isEqualTo(expected);
    assertThat(partitionsOf("echo", 8)).hasSize(8);
    assertThat(partitionsOf("echo", 100)).hasSize(8); // never more than the topic has
  }

  @Test
  void aCallsPartitionDependsOnlyOnItsFunctionAndId() {
    RunQSerializer s = new RunQSerializer("runq", 4);
    assertThat(s.serialize(call("x", "f"), EIGHT_PARTITIONS, 1L).partition())
        .isEqualTo(s.serialize(call("x", "f"), EIGHT_PARTITIONS, 2L).partition());
  }

  @Test
  void aSpreadBelowOneIsRefused() {
    assertThatThrownBy(() -> new RunQSerializer("runq", 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
