package io.xfaas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.security.InvocationSignature;
import io.xfaas.security.InvocationSigner;
import io.xfaas.security.SignatureVerifier;
import io.xfaas.security.SigningKeySource;
import io.xfaas.security.SigningKeys;
import io.xfaas.serde.InvocationLimits;
import io.xfaas.serde.InvocationSerde;
import io.xfaas.serde.ParseResult;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.tools.LineMessageReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code xfaas keys}: a master secret, a tenant's key from it, and lines that Kafka's own console
 * producer reader turns into records whose signature the scheduler accepts.
 */
class KeysCommandTest {
  @TempDir Path dir;

  @Test
  void keysMadeHereSignCallsTheSchedulerAccepts() throws Exception {
    CliRun fresh = CliRun.of("keys", "new", "--key-id", "k7");
    assertThat(fresh.exit()).isZero();
    assertThat(fresh.out().strip()).matches("key\\.k7=[0-9a-f]{64}");
    Path signingKeys = dir.resolve("signing.keys");
    Files.writeString(signingKeys, fresh.out());

    CliRun tenant =
        CliRun.of("keys", "tenant", "--signing-keys", signingKeys.toString(), "--tenant", "acme");
    assertThat(tenant.exit()).isZero();
    assertThat(tenant.out().strip()).matches("acme=k7\\\\?:[0-9a-f]{64}");
    assertThat(tenant.out()).doesNotContain(fresh.out().strip().substring("key.k7=".length()));
    Path tenantKeys = dir.resolve("acme.keys");
    Files.writeString(tenantKeys, tenant.out());

    long now = System.currentTimeMillis();
    Path calls = dir.resolve("calls.jsonl");
    Files.write(
        calls,
        List.of(
            "{\"id\":\"c-1\",\"tenant\":\"acme\",\"function\":\"echo\",\"submittedAt\":"
                + now
                + ",\"payload\":{\"n\": 1, \"s\":\"\u00e9\"}}",
            "{\"kind\":\"cancel\",\"id\":\"c-0\",\"tenant\":\"acme\"}",
            "{\"id\":\"c-2\",\"tenant\":\"acme\",\"function\":\"echo\"}",
            "{\"id\":\"c-3\",\"tenant\":\"other\",\"function\":\"echo\",\"submittedAt\":1}"));
    CliRun signed =
        CliRun.of(
            "keys", "sign", "--tenant-keys", tenantKeys.toString(), "--file", calls.toString());
    assertThat(signed.exit()).isEqualTo(1);
    assertThat(signed.err().lines())
        .containsExactly(
            "line 3: no submittedAt: the signature covers it, so it must be sent",
            "line 4: no key for its tenant in " + tenantKeys);

    // What kafka-console-producer --property parse.headers=true makes of the lines.
    var reader = new LineMessageReader();
    reader.configure(Map.of("topic", "xfaas.local.durableq", "parse.headers", "true"));
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    reader
        .readRecords(new ByteArrayInputStream(signed.out().getBytes(StandardCharsets.UTF_8)))
        .forEachRemaining(records::add);
    assertThat(records).hasSize(2);

    var verifier = new SignatureVerifier(SigningKeySource.of(SigningKeys.load(signingKeys)));
    var serde = new InvocationSerde(InvocationLimits.DEFAULTS);
    var invocation = ((ParseResult.Accepted) serde.parse(records.get(0).value(), now)).invocation();
    assertThat(
            verifier.verifyInvocation(
                header(records.get(0), InvocationSignature.KEY_ID_HEADER),
                header(records.get(0), InvocationSignature.SIGNATURE_HEADER),
                invocation,
                now))
        .isNull();
    assertThat(
            verifier.verifyCancel(
                header(records.get(1), InvocationSignature.KEY_ID_HEADER),
                header(records.get(1), InvocationSignature.SIGNATURE_HEADER),
                "acme",
                "c-0",
                now))
        .isNull();
    assertThat(InvocationSigner.load(tenantKeys).sign(invocation).hex())
        .isEqualTo(header(records.get(0), InvocationSignature.SIGNATURE_HEADER));
  }

  private static String header(ProducerRecord<byte[], byte[]> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
