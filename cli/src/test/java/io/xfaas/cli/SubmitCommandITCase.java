package io.xfaas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.config.Topics;
import io.xfaas.config.XfaasConfig;
import io.xfaas.records.Criticality;
import io.xfaas.records.Invocation;
import io.xfaas.security.InvocationSignature;
import io.xfaas.security.InvocationSigner;
import io.xfaas.security.SignatureVerifier;
import io.xfaas.security.SigningKeySource;
import io.xfaas.security.SigningKeys;
import io.xfaas.serde.InvocationSerde;
import io.xfaas.serde.ParseResult;
import io.xfaas.testing.EmbeddedKafkaExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code xfaas submit} in-process against a real broker. */
class SubmitCommandITCase {
  @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  private static final String REGION = "submit-it";
  private static final Topics TOPICS = Topics.forRegion(REGION);
  private static final int PARTITIONS = 4;

  @TempDir Path dir;

  @BeforeAll
  static void createTopics() {
    KAFKA.createTopics(Map.of(TOPICS.durableq(), PARTITIONS));
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
    CliRun run =
        CliRun.of(
            "submit",
            "--file",
            file.toString(),
            "--bootstrap-servers",
            KAFKA.bootstrapServers(),
            "-D",
            "xfaas.region=" + REGION);

    assertThat(run.exit()).isEqualTo(1);
    List<String> printed = run.out().lines().toList();
    assertThat(printed).hasSize(4);
    assertThat(printed.get(0)).isEqualTo("inv-1");
    String assigned = printed.get(1);
    assertThat(UUID.fromString(assigned)).isNotNull();
    assertThat(printed.get(2)).isEqualTo("inv-3");
    assertThat(printed.get(3)).isEqualTo("submitted 3, invalid 1");
    assertThat(run.err()).startsWith("line 4: UNKNOWN_CRITICALITY");

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

  @Test
  void withTenantKeysEachCallIsSignedWithItsTenantsKey() throws Exception {
    Topics topics = Topics.forRegion("submit-signed");
    KAFKA.createTopics(Map.of(topics.durableq(), 1));
    byte[] master = new byte[32];
    new java.security.SecureRandom().nextBytes(master);
    var keys = SigningKeys.of(new SigningKeys.Key("k1", master, null));
    Path tenantKeys = dir.resolve("acme.keys");
    Files.writeString(
        tenantKeys,
        InvocationSigner.keyLine("acme", "k1", InvocationSignature.tenantKey(master, "acme"))
            + "\n");
    Path file = dir.resolve("signed.jsonl");
    Files.write(
        file,
        List.of(
            "{\"id\":\"s-1\",\"tenant\":\"acme\",\"function\":\"echo\",\"payload\":{\"x\": 1}}",
            "{\"tenant\":\"acme\",\"function\":\"echo\"}"));
    CliRun run =
        CliRun.of(
            "submit",
            "--file",
            file.toString(),
            "--tenant-keys",
            tenantKeys.toString(),
            "--bootstrap-servers",
            KAFKA.bootstrapServers(),
            "-D",
            "xfaas.region=submit-signed");
    assertThat(run.exit()).isZero();

    InvocationSerde serde = new InvocationSerde(XfaasConfig.defaults().invocationLimits());
    var verifier = new SignatureVerifier(SigningKeySource.of(keys));
    List<ConsumerRecord<byte[], byte[]>> records = KAFKA.readAll(topics.durableq());
    assertThat(records).hasSize(2);
    for (ConsumerRecord<byte[], byte[]> r : records) {
      long now = System.currentTimeMillis();
      Invocation inv = ((ParseResult.Accepted) serde.parse(r.value(), now)).invocation();
      String keyId = header(r, InvocationSignature.KEY_ID_HEADER);
      String signature = header(r, InvocationSignature.SIGNATURE_HEADER);
      assertThat(keyId).isEqualTo("k1");
      assertThat(verifier.verifyInvocation(keyId, signature, inv, now)).as(inv.id()).isNull();
    }
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    return new String(
        r.headers().lastHeader(name).value(), java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Every committed DurableQ record; checks that they are exactly {@code n}. */
  private static List<Invocation> readDurableQ(int n) throws Exception {
    InvocationSerde serde = new InvocationSerde(XfaasConfig.defaults().invocationLimits());
    List<Invocation> read = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : KAFKA.readAll(TOPICS.durableq())) {
      ParseResult parsed = serde.parse(r.value(), System.currentTimeMillis());
      assertThat(parsed).isInstanceOf(ParseResult.Accepted.class);
      read.add(((ParseResult.Accepted) parsed).invocation());
    }
    assertThat(read).hasSizeGreaterThanOrEqualTo(n);
    // Everything was sent before the command returned: what is there now is all there is.
    assertThat(KAFKA.endOffsetSum(TOPICS.durableq())).isEqualTo(n);
    return read;
  }

  private static Invocation byId(List<Invocation> invocations, String id) {
    return invocations.stream().filter(i -> i.id().equals(id)).findFirst().orElseThrow();
  }
}
