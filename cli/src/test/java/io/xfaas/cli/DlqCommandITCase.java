package io.xfaas.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.xfaas.config.Topics;
import io.xfaas.config.XfaasConfig;
import io.xfaas.config.XfaasOptions;
import io.xfaas.dlq.DlqClient;
import io.xfaas.dlq.RedriveAudit;
import io.xfaas.dlq.RedriveRun;
import io.xfaas.kafka.embedded.EmbeddedKafka;
import io.xfaas.records.DeadLetter;
import io.xfaas.records.ReasonCode;
import io.xfaas.serde.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code xfaas dlq} in-process against a real broker. */
class DlqCommandITCase {
  private static final AtomicInteger REGIONS = new AtomicInteger();

  private static EmbeddedKafka kafka;

  /** A region of this test's own, so the tests do not see each other's topics. */
  private String region;

  private Topics topics;

  @BeforeAll
  static void startKafka() {
    kafka = EmbeddedKafka.builder().build().start();
  }

  @AfterAll
  static void stopKafka() {
    if (kafka != null) kafka.close();
  }

  @BeforeEach
  void freshRegion() {
    region = "dlqit" + REGIONS.incrementAndGet();
    topics = Topics.forRegion(region);
    kafka.createTopics(Map.of(topics.dlq(), 1, topics.durableq(), 2));
  }

  private record Run(int exit, String out, String err) {}

  private Run dlq(String... args) {
    List<String> all = new ArrayList<>();
    all.add("dlq");
    all.addAll(Arrays.asList(args));
    all.addAll(
        List.of("--bootstrap-servers", kafka.bootstrapServers(), "-D", "xfaas.region=" + region));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = XfaasCli.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(all.toArray(String[]::new));
    return new Run(exit, out.toString(), err.toString());
  }

  private DeadLetter letter(ReasonCode reason, String id, String tenant, byte[] original, long at) {
    return DeadLetter.of(
        reason,
        reason + " detail",
        id,
        tenant,
        "echo",
        original,
        topics.durableq(),
        0,
        at,
        1_700_000_000_000L + at,
        region);
  }

  private static byte[] invocation(String id, String tenant) {
    return ("{\"id\":\"" + id + "\",\"tenant\":\"" + tenant + "\",\"function\":\"echo\"}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private void writeDlq(DeadLetter... letters) throws Exception {
    Map<String, Object> props =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ProducerConfig.ACKS_CONFIG,
            "all");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (DeadLetter d : letters) {
        byte[] key = d.id() == null ? null : d.id().getBytes(StandardCharsets.UTF_8);
        producer
            .send(new ProducerRecord<>(topics.dlq(), key, Json.write(d)))
            .get(30, TimeUnit.SECONDS);
      }
    }
  }

  /** Every committed record of {@code topic}, read from the beginning to its current end. */
  private List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
    Map<String, Object> props =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed",
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false);
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
                return end.entrySet().stream()
                    .allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
              });
    }
    return records;
  }

  private static String key(ConsumerRecord<byte[], byte[]> r) {
    return r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
  }

  private static String value(ConsumerRecord<byte[], byte[]> r) {
    return new String(r.value(), StandardCharsets.UTF_8);
  }

  private RedriveAudit audit() {
    XfaasConfig config =
        XfaasConfig.of(
            Map.of(
                XfaasOptions.REGION.key(),
                region,
                XfaasOptions.BOOTSTRAP_SERVERS.key(),
                kafka.bootstrapServers()));
    try (DlqClient client = DlqClient.create(config)) {
      return client.readAudit();
    }
  }

  @Test
  void listCountsByReasonAndRedriveRunsTheChosenOriginalsOnce() throws Exception {
    writeDlq(
        letter(ReasonCode.UNKNOWN_TENANT, "a", "ads", invocation("a", "ads"), 10),
        letter(
            ReasonCode.MALFORMED_JSON,
            null,
            null,
            "{not json".getBytes(StandardCharsets.UTF_8),
            11),
        letter(ReasonCode.UNKNOWN_TENANT, "b", "feed", invocation("b", "feed"), 12),
        letter(ReasonCode.UNKNOWN_FUNCTION, "c", "ads", invocation("c", "ads"), 13),
        letter(ReasonCode.UNKNOWN_TENANT, "d", "ads", invocation("d", "ads"), 14));

    Run list = dlq("list");
    assertThat(list.exit()).as(list.err()).isZero();
    assertThat(list.out())
        .contains("5 dead letters on " + topics.dlq())
        .containsPattern("UNKNOWN_TENANT\\s+3")
        .containsPattern("MALFORMED_JSON\\s+1")
        .containsPattern("UNKNOWN_FUNCTION\\s+1")
        .contains("{not json")
        .contains(topics.durableq() + "/0/13");

    Run byTenant = dlq("list", "--tenant", "ads", "--reason", "UNKNOWN_TENANT");
    assertThat(byTenant.exit()).as(byTenant.err()).isZero();
    assertThat(byTenant.out())
        .contains("3 dead letters on " + topics.dlq() + " (tenant=ads)")
        .contains("2 matching reason=UNKNOWN_TENANT tenant=ads");

    // A dry run says what it would do and writes nothing.
    Run dry = dlq("redrive", "--reason", "UNKNOWN_TENANT", "--dry-run");
    assertThat(dry.exit()).as(dry.err()).isZero();
    assertThat(dry.out()).contains("dry run: would redrive 3 dead letters");
    assertThat(readAll(topics.durableq())).isEmpty();
    assertThat(audit().runs()).isEmpty();

    Run first = dlq("redrive", "--reason", "UNKNOWN_TENANT");
    assertThat(first.exit()).as(first.err()).isZero();
    assertThat(first.out()).contains("redrove 3 dead letters").contains("skipped 0");
    List<ConsumerRecord<byte[], byte[]>> durableq = readAll(topics.durableq());
    assertThat(durableq)
        .extracting(DlqCommandITCase::key, DlqCommandITCase::value)
        .containsExactlyInAnyOrder(
            tuple("a", new String(invocation("a", "ads"), StandardCharsets.UTF_8)),
            tuple("b", new String(invocation("b", "feed"), StandardCharsets.UTF_8)),
            tuple("d", new String(invocation("d", "ads"), StandardCharsets.UTF_8)));

    // The same redrive again: nothing more reaches DurableQ.
    Run second = dlq("redrive", "--reason", "UNKNOWN_TENANT");
    assertThat(second.exit()).as(second.err()).isZero();
    assertThat(second.out()).contains("redrove 0 dead letters").contains("skipped 3");
    assertThat(readAll(topics.durableq())).hasSize(3);

    String me = System.getProperty("user.name");
    RedriveAudit audit = audit();
    assertThat(audit.runs())
        .extracting(RedriveRun::who, RedriveRun::redriven, RedriveRun::skipped)
        .containsExactly(tuple(me, 3, 0), tuple(me, 0, 3));
    assertThat(audit.runs().get(0).filters().reason()).isEqualTo("UNKNOWN_TENANT");
    assertThat(audit.entries()).hasSize(3);
    assertThat(audit.entries().values())
        .allSatisfy(
            e -> {
              assertThat(e.who()).isEqualTo(me);
              assertThat(e.dlqTopic()).isEqualTo(topics.dlq());
              assertThat(e.reason()).isEqualTo("UNKNOWN_TENANT");
              assertThat(e.runId()).isEqualTo(audit.runs().get(0).runId());
            });
    assertThat(audit.entries().values())
        .extracting(e -> e.id())
        .containsExactlyInAnyOrder("a", "b", "d");

    Run history = dlq("audit");
    assertThat(history.exit()).as(history.err()).isZero();
    assertThat(history.out().lines()).hasSize(3); // header and two runs
    assertThat(history.out()).contains(me).contains("reason=UNKNOWN_TENANT");
    assertThat(dlq("redrive", "--history").out()).isEqualTo(history.out());

    // list marks what was redriven.
    assertThat(dlq("list", "--id", "a").out())
        .containsPattern("UNKNOWN_TENANT\\s+a\\s+ads.*\\byes\\b");

    // A dry run after the fact: nothing left to redrive for that reason.
    assertThat(dlq("redrive", "--reason", "UNKNOWN_TENANT", "--dry-run").out())
        .contains("would redrive 0 dead letters")
        .contains("3 already redriven");
    assertThat(audit().runs()).hasSize(2);
  }

  @Test
  void binaryOriginalsAreDecodedAndLettersWithoutIdGoUnkeyed() throws Exception {
    byte[] binary = {(byte) 0xff, 0, (byte) 0xfe, 'x'};
    writeDlq(
        letter(ReasonCode.MALFORMED_JSON, null, null, binary, 1),
        letter(ReasonCode.MALFORMED_JSON, null, null, "{oops".getBytes(StandardCharsets.UTF_8), 2),
        letter(ReasonCode.UNKNOWN_TENANT, "z", "ads", invocation("z", "ads"), 3));

    Run run = dlq("redrive", "--reason", "MALFORMED_JSON");
    assertThat(run.exit()).as(run.err()).isZero();
    List<ConsumerRecord<byte[], byte[]>> durableq = readAll(topics.durableq());
    assertThat(durableq).hasSize(2).allSatisfy(r -> assertThat(r.key()).isNull());
    assertThat(durableq)
        .extracting(ConsumerRecord::value)
        .containsExactlyInAnyOrder(binary, "{oops".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void redriveWithoutAFilterNeedsAll() {
    Run run = dlq("redrive");
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("--all");
    Run bad = dlq("list", "--reason", "NOPE");
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).contains("unknown reason 'NOPE'");
  }
}
