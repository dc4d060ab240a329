package io.xfaas.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.config.Topics;
import io.xfaas.records.Criticality;
import io.xfaas.records.DeadLetter;
import io.xfaas.records.Invocation;
import io.xfaas.records.Outcome;
import io.xfaas.records.ReasonCode;
import io.xfaas.security.InvocationSignature;
import io.xfaas.security.InvocationSigner;
import io.xfaas.security.SignatureVerifier;
import io.xfaas.security.SigningKeySource;
import io.xfaas.security.SigningKeys;
import io.xfaas.serde.InvocationLimits;
import io.xfaas.serde.InvocationSerde;
import io.xfaas.serde.Json;
import io.xfaas.serde.ParseResult;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class OutputRecordsTest {
  private static final Topics TOPICS = Topics.forRegion("eu");
  private static final Invocation INV =
      new Invocation(
          "id-1",
          "acme",
          "echo",
          Criticality.NORMAL,
          0,
          1_000,
          null,
          null,
          1,
          3,
          "{\"a\":1}",
          Map.of(),
          2_000L,
          Map.of("future", "true"));
  private final OutputRecords output = new OutputRecords(TOPICS);

  @Test
  void successIsOneOutcomeKeyedById() {
    Outcome o = Outcome.succeeded(INV, 3_000, 4_000, "eu", "{\"b\":[1,2]}");

    List<ProducerRecord<byte[], byte[]>> out = output.of(new Decision.Succeeded(o));

    assertThat(out).hasSize(1);
    assertThat(out.get(0).topic()).isEqualTo("xfaas.eu.results");
    assertThat(key(out.get(0))).isEqualTo("id-1");
    assertThat(Json.readOutcome(out.get(0).value())).isEqualTo(o);
  }

  @Test
  void retryGoesBackToDurableQKeyedById() {
    Invocation next = INV.retry(9_000);

    List<ProducerRecord<byte[], byte[]>> out = output.of(new Decision.Retry(next, "boom"));

    assertThat(out).hasSize(1);
    assertThat(out.get(0).topic()).isEqualTo("xfaas.eu.durableq");
    assertThat(key(out.get(0))).isEqualTo("id-1");
    ParseResult parsed =
        new InvocationSerde(InvocationLimits.DEFAULTS).parse(out.get(0).value(), 5_000);
    assertThat(parsed).isEqualTo(new ParseResult.Accepted(next));
  }

  @Test
  void underRequiredSigningARetryIsSignedForItsTenant() {
    byte[] master = new byte[32];
    Arrays.fill(master, (byte) 9);
    var keys = SigningKeySource.of(SigningKeys.of(new SigningKeys.Key("k3", master, null)));
    var signing = new OutputRecords(TOPICS, InvocationSigner.deriving(keys));
    Invocation next = INV.retry(INV.submittedAt() + 500);
    ProducerRecord<byte[], byte[]> retry = signing.of(new Decision.Retry(next, "boom")).get(0);
    String keyId = header(retry, InvocationSignature.KEY_ID_HEADER);
    String signature = header(retry, InvocationSignature.SIGNATURE_HEADER);
    assertThat(keyId).isEqualTo("k3");
    // What the scheduler checks when the retry comes back through DurableQ.
    var verifier = new SignatureVerifier(keys);
    assertThat(verifier.verifyInvocation(keyId, signature, next, INV.submittedAt())).isNull();
    assertThat(output.of(new Decision.Retry(next, "boom")).get(0).headers().toArray()).isEmpty();
  }

  private static String header(ProducerRecord<byte[], byte[]> r, String name) {
    return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  @Test
  void failureIsAnOutcomeAndADeadLetter() {
    Outcome o = Outcome.failed(INV, ReasonCode.FUNCTION_ERROR, "boom", 3_000, 4_000, "eu");
    DeadLetter dl = deadLetter("id-1");

    List<ProducerRecord<byte[], byte[]>> out = output.of(new Decision.Failed(o, dl));

    assertThat(out)
        .extracting(ProducerRecord::topic)
        .containsExactly("xfaas.eu.results", "xfaas.eu.dlq");
    assertThat(key(out.get(1))).isEqualTo("id-1");
    assertThat(Json.readDeadLetter(out.get(1).value())).isEqualTo(dl);
  }

  @Test
  void unparseableWithoutIdIsOnlyADeadLetterWithoutKey() {
    List<ProducerRecord<byte[], byte[]>> out =
        output.of(new Decision.Unparseable(deadLetter(null), null));

    assertThat(out).hasSize(1);
    assertThat(out.get(0).topic()).isEqualTo("xfaas.eu.dlq");
    assertThat(out.get(0).key()).isNull();
  }

  private static DeadLetter deadLetter(String id) {
    return new DeadLetter(
        ReasonCode.FUNCTION_ERROR,
        "boom",
        id,
        "acme",
        "echo",
        "{}",
        null,
        "xfaas.eu.runq",
        0,
        7,
        4_000,
        "eu");
  }

  private static String key(ProducerRecord<byte[], byte[]> r) {
    return new String(r.key(), StandardCharsets.UTF_8);
  }
}
