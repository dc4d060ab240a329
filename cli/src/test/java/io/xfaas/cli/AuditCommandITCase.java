package io.xfaas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.config.Topics;
import io.xfaas.config.XfaasConfig;
import io.xfaas.records.Criticality;
import io.xfaas.records.DeadLetter;
import io.xfaas.records.Outcome;
import io.xfaas.records.OutcomeStatus;
import io.xfaas.records.ReasonCode;
import io.xfaas.serde.InvocationSerde;
import io.xfaas.serde.Json;
import io.xfaas.submit.InvocationBuilder;
import io.xfaas.testing.EmbeddedKafkaExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/** {@code xfaas audit} in-process against a real broker, on topics written by hand. */
class AuditCommandITCase {
  @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  private String region;
  private Topics topics;

  @BeforeEach
  void freshRegion() {
    XfaasConfig config = KAFKA.newRegion("auditit", 3, Map.of());
    region = config.region();
    topics = config.topics();
  }

  private CliRun audit(String... args) {
    List<String> all = new ArrayList<>(List.of("audit"));
    all.addAll(Arrays.asList(args));
    all.addAll(
        List.of("--bootstrap-servers", KAFKA.bootstrapServers(), "-D", "xfaas.region=" + region));
    return CliRun.of(all);
  }

  @Test
  void aCleanRunPassesAndALostOrTwiceAnsweredCallFails() throws Exception {
    try (var p = producer(null)) {
      for (int i = 0; i < 20; i++) {
        submit(p, "good-" + i);
        p.send(
            record(topics.outcomes(), "good-" + i, outcome("good-" + i, OutcomeStatus.SUCCEEDED)));
        p.send(
            record(topics.results(), "good-" + i, outcome("good-" + i, OutcomeStatus.SUCCEEDED)));
      }
      p.send(record(topics.results(), "good-0", outcome("good-0", OutcomeStatus.SUCCEEDED)));
      p.send(
          record(
              topics.durableq(),
              null,
              "{\"id\":\"bad-1\",\"tenant\":".getBytes(StandardCharsets.UTF_8)));
      p.send(
          record(
              topics.durableq(),
              "c",
              "{\"kind\":\"cancel\",\"id\":\"good-1\",\"tenant\":\"ten\"}"
                  .getBytes(StandardCharsets.UTF_8)));
      p.flush();
    }
    CliRun clean = audit("--id-prefix", "good-");
    assertThat(clean.exit()).as(clean.out() + clean.err()).isZero();
    assertThat(clean.out())
        .containsPattern("accepted\\s+20")
        .containsPattern("SUCCEEDED\\s+20")
        .containsPattern("lost\\s+0")
        .containsPattern("duplicate executions\\s+1")
        .containsPattern("cancels\\s+1")
        .contains("OK");

    try (var p = producer(null)) {
      submit(p, "more-lost");
      submit(p, "more-twice");
      p.send(
          record(topics.outcomes(), "more-twice", outcome("more-twice", OutcomeStatus.SUCCEEDED)));
      p.send(record(topics.outcomes(), "more-twice", outcome("more-twice", OutcomeStatus.FAILED)));
      p.flush();
    }
    // An outcome in an aborted transaction was never written: read_committed does not see it.
    try (var tx = producer("audit-it-" + region)) {
      tx.initTransactions();
      tx.beginTransaction();
      tx.send(
          record(topics.outcomes(), "more-lost", outcome("more-lost", OutcomeStatus.SUCCEEDED)));
      tx.flush();
      tx.abortTransaction();
    }
    CliRun all = audit("--json");
    assertThat(all.exit()).as(all.out() + all.err()).isEqualTo(AuditCommand.FINDINGS);
    var json = Json.MAPPER.readTree(all.out());
    assertThat(json.get("accepted").asLong()).isEqualTo(22);
    assertThat(json.get("lost").asLong()).isEqualTo(1);
    assertThat(json.get("lostSample").get(0).asText()).isEqualTo("more-lost");
    assertThat(json.get("duplicateOutcomes").asLong()).isEqualTo(1);
    assertThat(json.get("invalid").asLong()).isEqualTo(1);
    assertThat(json.get("invalidWithoutDeadLetter").asLong()).isEqualTo(1);

    // The earlier run alone is still clean: its audit is not spoiled by the one after it.
    assertThat(audit("--run", "good-", "--from", "1h").exit()).isZero();
    assertThat(audit("--tenant", "nobody").out()).containsPattern("accepted\\s+0");
  }

  @Test
  void badInputIsMatchedToItsDeadLetters() throws Exception {
    try (var p = producer(null)) {
      var meta =
          p.send(
                  record(
                      topics.durableq(),
                      null,
                      "{\"id\":\"x-1\",\"function\":\"echo\"}".getBytes(StandardCharsets.UTF_8)))
              .get();
      p.send(record(topics.outcomes(), "x-1", outcome("x-1", OutcomeStatus.REJECTED)));
      DeadLetter d =
          new DeadLetter(
              ReasonCode.MISSING_FIELD,
              "tenant is required",
              "x-1",
              null,
              "echo",
              "{}",
              null,
              topics.durableq(),
              meta.partition(),
              meta.offset(),
              System.currentTimeMillis(),
              region);
      p.send(record(topics.dlq(), "x-1", Json.write(d)));
      p.flush();
    }
    CliRun run = audit();
    assertThat(run.exit()).as(run.out()).isZero();
    assertThat(run.out())
        .containsPattern("MISSING_FIELD\\s+1")
        .containsPattern("without dead letter\\s+0")
        .containsPattern("without outcome\\s+0")
        .containsPattern("REJECTED\\s+1");
  }

  @Test
  void anUnreachableBrokerIsReportedAsSuch() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = XfaasCli.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute("audit", "--bootstrap-servers", "localhost:1", "--timeout", "2s");
    assertThat(exit).isEqualTo(AuditCommand.UNREADABLE);
  }

  @Test
  void badArgumentsAreUsageErrors() {
    assertThat(audit("--from", "yesterday").exit()).isEqualTo(2);
  }

  private void submit(KafkaProducer<byte[], byte[]> p, String id) {
    var inv =
        InvocationBuilder.call("ten", "echo")
            .id(id)
            .submittedAt(System.currentTimeMillis())
            .maxAttempts(3)
            .build();
    p.send(record(topics.durableq(), id, InvocationSerde.write(inv)));
  }

  private static byte[] outcome(String id, OutcomeStatus status) {
    long now = System.currentTimeMillis();
    return Json.write(
        new Outcome(
            id,
            "ten",
            "echo",
            Criticality.NORMAL,
            status,
            status == OutcomeStatus.SUCCEEDED ? null : ReasonCode.FUNCTION_ERROR,
            null,
            status == OutcomeStatus.REJECTED ? 0 : 1,
            now,
            null,
            null,
            now,
            "r",
            null));
  }

  private static ProducerRecord<byte[], byte[]> record(String topic, String key, byte[] value) {
    return new ProducerRecord<>(
        topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value);
  }

  private static KafkaProducer<byte[], byte[]> producer(String transactionalId) {
    return transactionalId == null
        ? KAFKA.producer()
        : KAFKA.transactionalProducer(transactionalId);
  }
}
