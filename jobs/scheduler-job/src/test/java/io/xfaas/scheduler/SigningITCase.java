package io.xfaas.scheduler;

import static io.xfaas.scheduler.OutcomeAssertions.assertOneOutcome;
import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.config.XfaasConfig;
import io.xfaas.records.DeadLetter;
import io.xfaas.records.Invocation;
import io.xfaas.records.Outcome;
import io.xfaas.records.OutcomeStatus;
import io.xfaas.records.ReasonCode;
import io.xfaas.security.InvocationSignature;
import io.xfaas.security.InvocationSigner;
import io.xfaas.serde.InvocationLimits;
import io.xfaas.serde.InvocationSerde;
import io.xfaas.serde.Json;
import io.xfaas.serde.ParseResult;
import io.xfaas.sidecar.FunctionRegistry;
import io.xfaas.sidecar.WorkerSidecar;
import io.xfaas.submit.InvocationBuilder;
import io.xfaas.submit.SubmitterClient;
import io.xfaas.testing.EmbeddedKafkaExtension;
import io.xfaas.testing.FlinkClusterExtension;
import io.xfaas.testing.TopicReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler job with {@code xfaas.security.signing=required}, on the embedded broker: tenant A,
 * holding only its own key, cannot get a call of tenant B executed, whether unsigned, signed with
 * A's key or with a forged signature. Each such call gets exactly one REJECTED / UNAUTHENTICATED
 * outcome and a dead letter and never reaches RunQ; every signed call of A and B is dispatched.
 */
class SigningITCase {
  @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  @RegisterExtension static final FlinkClusterExtension FLINK = FlinkClusterExtension.slots(2);

  private static final int CALLS = 10;

  @Test
  void tenantACannotGetACallOfTenantBExecuted(@TempDir Path dir) throws Exception {
    byte[] master = masterSecret();
    XfaasConfig config = signingRegion(dir, master, "signing", Map.of());
    InvocationSigner a = signer("tenant-a", master, "tenant-a");
    InvocationSigner b = signer("tenant-b", master, "tenant-b");
    // What A can do with its own key for B's calls: sign them anyway.
    InvocationSigner aPosingAsB = signer("tenant-b", master, "tenant-a");

    JobClient job =
        SchedulerJob.start(StreamExecutionEnvironment.getExecutionEnvironment(), config);
    try (SubmitterClient asA = SubmitterClient.create(config, Map.of(), a);
        SubmitterClient asB = SubmitterClient.create(config, Map.of(), b);
        SubmitterClient unsigned = SubmitterClient.create(config);
        SubmitterClient posing = SubmitterClient.create(config, Map.of(), aPosingAsB);
        KafkaProducer<byte[], byte[]> raw = KAFKA.producer();
        TopicReader runq = KAFKA.follow(config.topics().runq());
        TopicReader outcomes = KAFKA.follow(config.topics().outcomes());
        TopicReader dlq = KAFKA.follow(config.topics().dlq())) {
      FlinkClusterExtension.awaitRunning(job);
      asA.submitAllAndWait(calls("tenant-a", "a-"));
      asB.submitAllAndWait(calls("tenant-b", "b-"));
      unsigned.submitAllAndWait(calls("tenant-b", "unsigned-"));
      posing.submitAllAndWait(calls("tenant-b", "posing-"));
      for (Invocation forged : calls("tenant-b", "forged-")) {
        var record =
            new ProducerRecord<>(
                config.topics().durableq(),
                forged.id().getBytes(StandardCharsets.UTF_8),
                ("{\"id\":\""
                        + forged.id()
                        + "\",\"tenant\":\"tenant-b\",\"function\":\"echo\",\"submittedAt\":"
                        + forged.submittedAt()
                        + ",\"payload\":"
                        + forged.payload()
                        + "}")
                    .getBytes(StandardCharsets.UTF_8));
        record.headers().add(InvocationSignature.KEY_ID_HEADER, "k1".getBytes());
        record.headers().add(InvocationSignature.SIGNATURE_HEADER, "5a".repeat(32).getBytes());
        raw.send(record).get();
      }
      List<String> refusedIds =
          IntStream.range(0, CALLS)
              .boxed()
              .flatMap(i -> List.of("unsigned-" + i, "posing-" + i, "forged-" + i).stream())
              .toList();
      List<String> signedIds =
          IntStream.range(0, CALLS)
              .boxed()
              .flatMap(i -> List.of("a-" + i, "b-" + i).stream())
              .toList();

      InvocationSerde serde = new InvocationSerde(InvocationLimits.DEFAULTS);
      Duration atMost = Duration.ofSeconds(90);
      List<String> dispatched =
          readUntilAll(
              runq, "every signed call in RunQ", atMost, signedIds, v -> id(serde, v), id -> id);
      List<Outcome> seen =
          readUntilAll(
              outcomes,
              "an outcome for every refused call",
              atMost,
              refusedIds,
              Json::readOutcome,
              Outcome::id);
      List<DeadLetter> letters =
          readUntilAll(
              dlq,
              "a dead letter for every refused call",
              atMost,
              refusedIds,
              Json::readDeadLetter,
              DeadLetter::id);
      // A second outcome or letter, or a late dispatch, would be committed with a later checkpoint.
      FLINK.settle(job);
      outcomes.catchUp(r -> seen.add(Json.readOutcome(r.value())));
      dlq.catchUp(r -> letters.add(Json.readDeadLetter(r.value())));
      runq.catchUp(r -> dispatched.add(id(serde, r.value())));

      for (String id : refusedIds) {
        assertOneOutcome(seen, id, OutcomeStatus.REJECTED, ReasonCode.UNAUTHENTICATED);
      }
      assertThat(seen).extracting(Outcome::id).doesNotContainAnyElementsOf(signedIds);
      assertThat(letters)
          .extracting(DeadLetter::id)
          .containsExactlyInAnyOrderElementsOf(refusedIds);
      assertThat(letters).extracting(DeadLetter::reason).containsOnly(ReasonCode.UNAUTHENTICATED);
      assertThat(letters)
          .extracting(DeadLetter::detail)
          .allSatisfy(d -> assertThat(d).doesNotContain(HexFormat.of().formatHex(master)));
      Set<String> distinct = new HashSet<>(dispatched);
      assertThat(distinct).containsExactlyInAnyOrderElementsOf(signedIds);
    } finally {
      FlinkClusterExtension.cancel(job);
    }
  }

  @Test
  void aRetriedSignedCallSucceedsOnItsSecondAttempt(@TempDir Path dir) throws Exception {
    byte[] master = masterSecret();
    XfaasConfig config =
        signingRegion(dir, master, "signing-retry", Map.of("xfaas.sidecar.retry-backoff", "50ms"));
    InvocationSigner b = signer("tenant-b", master, "tenant-b");
    JobClient job =
        SchedulerJob.start(StreamExecutionEnvironment.getExecutionEnvironment(), config);
    try (WorkerSidecar sidecar =
            new WorkerSidecar(config, FunctionRegistry.fromServiceLoader()).start();
        SubmitterClient asB = SubmitterClient.create(config, Map.of(), b);
        TopicReader outcomes = KAFKA.follow(config.topics().outcomes())) {
      FlinkClusterExtension.awaitRunning(job);
      List<String> ids = List.of("r-0", "r-1", "r-2");
      asB.submitAllAndWait(
          ids.stream()
              .map(
                  id ->
                      InvocationBuilder.call("tenant-b", "fail")
                          .id(id)
                          .payload("{\"failures\":1}")
                          .build())
              .toList());
      List<Outcome> seen =
          readUntilAll(
              outcomes,
              "an outcome for every retried call",
              Duration.ofSeconds(120),
              ids,
              Json::readOutcome,
              Outcome::id);
      for (String id : ids) {
        assertOneOutcome(seen, id, OutcomeStatus.SUCCEEDED, null);
        assertThat(
                seen.stream().filter(o -> o.id().equals(id)).findFirst().orElseThrow().attempts())
            .isEqualTo(2);
      }
    } finally {
      FlinkClusterExtension.cancel(job);
    }
  }

  /**
   * Reads records, parsed by {@code parse}, until the ids among them ({@code id}) include every one
   * of {@code ids}; what was read, to which a later catch-up may add.
   */
  private static <T> List<T> readUntilAll(
      TopicReader reader,
      String what,
      Duration atMost,
      Collection<String> ids,
      Function<byte[], T> parse,
      Function<T, String> id) {
    List<T> read = new ArrayList<>();
    reader.followUntil(
        what,
        atMost,
        r -> read.add(parse.apply(r.value())),
        () -> read.stream().map(id).collect(Collectors.toSet()).containsAll(ids));
    return read;
  }

  private static byte[] masterSecret() {
    byte[] master = new byte[32];
    new java.security.SecureRandom().nextBytes(master);
    return master;
  }

  /**
   * A fresh region whose scheduler requires signatures, key {@code k1} being {@code master} in a
   * signing keys file under {@code dir}; {@code extra} options on top.
   */
  private static XfaasConfig signingRegion(
      Path dir, byte[] master, String name, Map<String, String> extra) throws Exception {
    Path keysFile = dir.resolve("signing.keys");
    Files.writeString(keysFile, "key.k1=" + HexFormat.of().formatHex(master) + "\n");
    Map<String, String> options = new HashMap<>(extra);
    options.put("xfaas.security.signing", "required");
    options.put("xfaas.security.signing-keys-file", keysFile.toString());
    return KAFKA.newRegion(name, options);
  }

  /** Signs as {@code tenant} with the key that key {@code k1} derives for {@code keyTenant}. */
  private static InvocationSigner signer(String tenant, byte[] master, String keyTenant) {
    return InvocationSigner.of(tenant, "k1", InvocationSignature.tenantKey(master, keyTenant));
  }

  private static List<Invocation> calls(String tenant, String idPrefix) {
    return IntStream.range(0, CALLS)
        .mapToObj(
            i ->
                InvocationBuilder.call(tenant, "echo")
                    .id(idPrefix + i)
                    .submittedAt(System.currentTimeMillis())
                    .payload("{\"i\":" + i + "}")
                    .build())
        .toList();
  }

  private static String id(InvocationSerde serde, byte[] value) {
    return ((ParseResult.Accepted) serde.parse(value, System.currentTimeMillis()))
        .invocation()
        .id();
  }
}
