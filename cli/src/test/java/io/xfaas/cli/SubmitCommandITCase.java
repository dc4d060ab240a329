package io.xfaas.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.xfaas.config.Topics;
import io.xfaas.config.XfaasConfig;
import io.xfaas.kafka.embedded.EmbeddedKafka;
import io.xfaas.records.Criticality;
import io.xfaas.records.Invocation;
import io.xfaas.serde.InvocationSerde;
import io.xfaas.serde.ParseResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code xfaas submit} in-process against a real broker. */
class SubmitCommandITCase {
  private static final String REGION = "submit-it";
  private static final Topics TOPICS = Topics.forRegion(REGION);
  private static final int PARTITIONS = 4;

  private static EmbeddedKafka kafka;

  @TempDir Path dir;

  @BeforeAll
  static void startKafka() {
    kafka = EmbeddedKafka.builder().build().start();
    kafka.createTopics(Map.of(TOPICS.durableq(), PARTITIONS));
  }

  @AfterAll
  static void stopKafka() {
    if (kafka != null) kafka.close();
  }

  @Test
  void sendsTheValidLinesPrintsTheirIdsAndReportsTheInvalidOne() throws Exception {
    long deadline = System.currentTimeMillis() + 3_600_000;
    Path file = dir.resolve("calls.jsonl");
    Files.write(
        file,
        List.of(
            "{\"id\":\"inv-1\",\"tenant\":\"acme\",\"function\":\"echo\",\"payload\":{\"x\":1}}",
            "",
            "{\"tenant\":\"acme\",\"function\":\"sleep\",\"payload\":{\"ms\":20}}",
            "{\"id\":\"inv-bad\",\"tenant\":\"globex\",\"function\":\"echo\","
                + "\"criticality\":\"URGENT\"}",
            "{\"id\":\"inv-3\",\"tenant\":\"globex\",\"function\":\"echo\","
                + "\"criticality\":\"DEFERRABLE\",\"deadline\":"
                + deadline
                + ",\"trace\":\"t-1\"}"));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = XfaasCli.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));

    int exit =
        cli.execute(
            "submit",
            "--file",
            file.toString(),
            "--bootstrap-servers",
            kafka.bootstrapServers(),
            "-D",
            "xfaas.region=" + REGION);

    assertThat(exit).isEqualTo(1);
    List<String> printed = out.toString().lines().toList();
    assertThat(printed).hasSize(4);
    assertThat(printed.get(0)).isEqualTo("inv-1");
    String assigned = printed.get(1);
    assertThat(UUID.fromString(assigned)).isNotNull();
    assertThat(printed.get(2)).isEqualTo("inv-3");
    assertThat(printed.get(3)).isEqualTo("submitted 3, invalid 1");
    assertThat(err.toString()).startsWith("line 4: UNKNOWN_CRITICALITY");

    List<Invocation> sent = readDurableQ(3);
    assertThat(sent)
        .extracting(Invocation::id)
        .containsExactlyInAnyOrder("inv-1", assigned, "inv-3");
    assertThat(sent)
        .allSatisfy(
            inv -> {
              assertThat(inv.submittedAt()).isPositive();
              assertThat(inv.attempt()).isEqualTo(1);
              assertThat(inv.maxAttempts()).isEqualTo(3);
            });
    Invocation first = byId(sent, "inv-1");
    assertThat(first.criticality()).isEqualTo(Criticality.NORMAL);
    assertThat(first.payload()).isEqualTo("{\"x\":1}");
    Invocation third = byId(sent, "inv-3");
    assertThat(third.criticality()).isEqualTo(Criticality.DEFERRABLE);
    assertThat(third.deadline()).isEqualTo(deadline);
    assertThat(third.extra()).containsKey("trace");
  }

  /** Waits for exactly {@code n} committed DurableQ records, and checks no more arrive. */
  private static List<Invocation> readDurableQ(int n) {
    InvocationSerde serde = new InvocationSerde(XfaasConfig.defaults().invocationLimits());
    List<Invocation> read = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed"),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (int p = 0; p < PARTITIONS; p++) partitions.add(new TopicPartition(TOPICS.durableq(), p));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                  ParseResult parsed = serde.parse(r.value(), System.currentTimeMillis());
                  assertThat(parsed).isInstanceOf(ParseResult.Accepted.class);
                  read.add(((ParseResult.Accepted) parsed).invocation());
                }
                return read.size() >= n;
              });
      // Everything was sent before the command returned: what is there now is all there is.
      assertThat(consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum())
          .isEqualTo(n);
    }
    return read;
  }

  private static Invocation byId(List<Invocation> invocations, String id) {
    return invocations.stream().filter(i -> i.id().equals(id)).findFirst().orElseThrow();
  }
}
