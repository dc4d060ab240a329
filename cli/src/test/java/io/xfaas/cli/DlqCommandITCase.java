package io.xfaas.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.xfaas.config.Topics;
import io.xfaas.config.XfaasConfig;
import io.xfaas.dlq.DlqClient;
import io.xfaas.dlq.RedriveAudit;
import io.xfaas.dlq.RedriveRun;
import io.xfaas.records.DeadLetter;
import io.xfaas.records.ReasonCode;
import io.xfaas.serde.Json;
import io.xfaas.testing.EmbeddedKafkaExtension;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code xfaas dlq} in-process against a real broker. */
class DlqCommandITCase {
  @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  private static final AtomicInteger REGIONS = new AtomicInteger();

  /** A region of this test's own, so the tests do not see each other's topics. */
  private String region;

  private Topics topics;

  @BeforeEach
  void freshRegion() {
    region = "dlqit" + REGIONS.incrementAndGet();
    topics = Topics.forRegion(region);
    KAFKA.createTopics(Map.of(topics.dlq(), 1, topics.durableq(), 2));
  }

  private CliRun dlq(String... args) {
    List<String> all = new ArrayList<>();
    all.add("dlq");
    all.addAll(Arrays.asList(args));
    all.addAll(
        List.of("--bootstrap-servers", KAFKA.bootstrapServers(), "-D", "xfaas.region=" + region));
    return CliRun.of(all);
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
    try (KafkaProducer<byte[], byte[]> producer = KAFKA.producer()) {
      for (DeadLetter d : letters) {
        byte[] key = d.id() == null ? null : d.id().getBytes(StandardCharsets.UTF_8);
        producer
            .send(new ProducerRecord<>(topics.dlq(), key, Json.write(d)))
            .get(30, TimeUnit.SECONDS);
      }
    }
  }

  private static String key(ConsumerRecord<byte[], byte[]> r) {
    return r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
  }

  private static String value(ConsumerRecord<byte[], byte[]> r) {
    return new String(r.value(), StandardCharsets.UTF_8);
  }

  private RedriveAudit audit() {
    XfaasConfig config = KAFKA.config(region);
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

    CliRun list = dlq("list");
    assertThat(list.exit()).as(list.err()).isZero();
    assertThat(list.out())
        .contains("5 dead letters on " + topics.dlq())
        .containsPattern("UNKNOWN_TENANT\\s+3")
        .containsPattern("MALFORMED_JSON\\s+1")
        .containsPattern("UNKNOWN_FUNCTION\\s+1")
        .contains("{not json")
        .contains(topics.durableq() + "/0/13");

    CliRun byTenant = dlq("list", "--tenant", "ads", "--reason", "UNKNOWN_TENANT");
    assertThat(byTenant.exit()).as(byTenant.err()).isZero();
    assertThat(byTenant.out())
        .contains("3 dead letters on " + topics.dlq() + " (tenant=ads)")
        .contains("2 matching reason=UNKNOWN_TENANT tenant=ads");

    // A dry run says what it would do and writes nothing.
    CliRun dry = dlq("redrive", "--reason", "UNKNOWN_TENANT", "--dry-run");
    assertThat(dry.exit()).as(dry.err()).isZero();
    assertThat(dry.out()).contains("dry run: would redrive 3 dead letters");
    assertThat(KAFKA.readAll(topics.durableq())).isEmpty();
    assertThat(audit().runs()).isEmpty();

    CliRun first = dlq("redrive", "--reason", "UNKNOWN_TENANT");
    assertThat(first.exit()).as(first.err()).isZero();
    assertThat(first.out()).contains("redrove 3 dead letters").contains("skipped 0");
    List<ConsumerRecord<byte[], byte[]>> durableq = KAFKA.readAll(topics.durableq());
    assertThat(durableq)
        .extracting(DlqCommandITCase::key, DlqCommandITCase::value)
        .containsExactlyInAnyOrder(
            tuple("a", new String(invocation("a", "ads"), StandardCharsets.UTF_8)),
            tuple("b", new String(invocation("b", "feed"), StandardCharsets.UTF_8)),
            tuple("d", new String(invocation("d", "ads"), StandardCharsets.UTF_8)));

    // The same redrive again: nothing more reaches DurableQ.
    CliRun second = dlq("redrive", "--reason", "UNKNOWN_TENANT");
    assertThat(second.exit()).as(second.err()).isZero();
    assertThat(second.out()).contains("redrove 0 dead letters").contains("skipped 3");
    assertThat(KAFKA.readAll(topics.durableq())).hasSize(3);

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

    CliRun history = dlq("audit");
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

    CliRun run = dlq("redrive", "--reason", "MALFORMED_JSON");
    assertThat(run.exit()).as(run.err()).isZero();
    List<ConsumerRecord<byte[], byte[]>> durableq = KAFKA.readAll(topics.durableq());
    assertThat(durableq).hasSize(2).allSatisfy(r -> assertThat(r.key()).isNull());
    assertThat(durableq)
        .extracting(ConsumerRecord::value)
        .containsExactlyInAnyOrder(binary, "{oops".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void redriveWithoutAFilterNeedsAll() {
    CliRun run = dlq("redrive");
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("--all");
    CliRun bad = dlq("list", "--reason", "NOPE");
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).contains("unknown reason 'NOPE'");
  }
}
