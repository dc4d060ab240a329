package io.xfaas.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.xfaas.config.Topics;
import io.xfaas.config.XfaasConfig;
import io.xfaas.records.DeadLetter;
import io.xfaas.records.Invocation;
import io.xfaas.records.Outcome;
import io.xfaas.records.OutcomeStatus;
import io.xfaas.records.ReasonCode;
import io.xfaas.security.InvocationSignature;
import io.xfaas.security.InvocationSigner;
import io.xfaas.security.TenantOutcomes;
import io.xfaas.serde.InvocationSerde;
import io.xfaas.serde.Json;
import io.xfaas.submit.InvocationBuilder;
import io.xfaas.submit.SubmitterClient;
import io.xfaas.testing.Ports;
import io.xfaas.testing.TopicReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 18's acceptance, on {@code ./xfaas local --secure} as a user runs it: a separate process
 * with its embedded SASL_SSL broker, ACLs, a principal per role, signing required; tenants made
 * with {@code xfaas tenants set} as the operator, each with its own principal and key.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecurityITCase {
  private static final Topics TOPICS = Topics.forRegion("local");
  private static final List<String> TENANTS = List.of("t1", "t2", "t3", "t4", "t5");
  private static final int PER_TENANT = 2_000;
  private static final Duration STARTUP = Duration.ofSeconds(240);
  private static final Duration OUTCOMES = Duration.ofSeconds(180);

  private LocalStackProcess stack;
  private Path secure;
  private XfaasConfig operator;
  private final Map<String, XfaasConfig> tenants = new LinkedHashMap<>();

  /** Every outcome and dead letter seen so far, read as the operator. */
  private final Map<String, List<Outcome>> outcomes = new ConcurrentHashMap<>();

  private final Map<String, List<DeadLetter>> deadLetters = new ConcurrentHashMap<>();
  private TopicReader outcomeReader;
  private TopicReader dlqReader;

  @BeforeAll
  void startTheSecureStackAndMakeTheTenants() throws Exception {
    Path data = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "security-it-");
    stack =
        LocalStackProcess.start(
            STARTUP,
            "--secure",
            "--no-demo",
            "--kafka-port",
            Integer.toString(Ports.free()),
            "--web-port",
            Integer.toString(Ports.free()),
            "--dashboard-port",
            "0",
            "--sidecars",
            "2",
            "--data-dir",
            data.toString(),
            "-D",
            "xfaas.security.signing-keys-reload=1s",
            "-D",
            "xfaas.sidecar.threads=32");
    assertThat(stack.console()).contains("security    SASL_SSL with SCRAM users and ACLs");
    secure = data.resolve("secure");
    Path operatorFile = secure.resolve("operator.xfaas.properties");
    operator = XfaasConfig.load(operatorFile, Map.of());

    for (String t : TENANTS) {
      CliRun set =
          CliRun.of("tenants", "set", t, "--rate", "5000", "--config", operatorFile.toString());
      assertThat(set.exit()).as(set.err()).isZero();
      assertThat(set.err()).contains("created principal User:tenant-" + t);
      tenants.put(
          t,
          XfaasConfig.load(secure.resolve("tenants/tenant-" + t + ".xfaas.properties"), Map.of()));
    }
    outcomeReader = new TopicReader(bootstrap(), client(operator), TOPICS.outcomes());
    dlqReader = new TopicReader(bootstrap(), client(operator), TOPICS.dlq());
  }

  @AfterAll
  void stop() throws InterruptedException {
    if (outcomeReader != null) outcomeReader.close();
    if (dlqReader != null) dlqReader.close();
    if (stack != null) stack.close();
  }

  @Test
  @Order(1)
  void clientsWithoutCredentialsOrWithAWrongPasswordCannotConnect() throws Exception {
    // A plaintext client never completes a request against the TLS listener.
    Map<String, Object> plaintext = new HashMap<>();
    assertThatThrownBy(() -> describeCluster(plaintext))
        .isInstanceOfAny(ExecutionException.class, java.util.concurrent.TimeoutException.class);

    Map<String, Object> wrong = new HashMap<>(client(operator));
    wrong.put(
        "sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"operator\""
            + " password=\"not-the-password\";");
    assertThatThrownBy(() -> describeCluster(wrong))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(SaslAuthenticationException.class);

    // The same settings with the right password get in.
    assertThat(describeCluster(new HashMap<>(client(operator)))).isNotEmpty();
  }

  @Test
  @Order(2)
  void tenThousandSignedCallsFromFiveTenantsReachExactlyOneTerminalOutcomeEach() throws Exception {
    List<String> ids = new ArrayList<>();
    List<CompletableFuture<?>> acks = new ArrayList<>();
    List<SubmitterClient> clients = new ArrayList<>();
    try {
      for (String t : TENANTS) {
        SubmitterClient client = SubmitterClient.create(tenants.get(t));
        clients.add(client);
        for (int i = 0; i < PER_TENANT; i++) {
          String id = "bulk-" + t + "-" + i;
          ids.add(id);
          acks.add(
              client.submit(
                  InvocationBuilder.call(t, "echo").id(id).payload("{\"n\":" + i + "}").build()));
        }
      }
      CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
    } finally {
      for (SubmitterClient c : clients) c.close();
    }
    assertThat(ids).hasSize(10_000);

    awaitOutcomes(ids);
    // A little longer, so that a duplicate written after the last first outcome shows too.
    outcomeReader.catchUp(this::outcome, Duration.ofSeconds(10));
    for (String id : ids) {
      assertThat(outcomes.get(id)).as(id).hasSize(1);
      assertThat(outcomes.get(id).get(0).status()).as(id).isEqualTo(OutcomeStatus.SUCCEEDED);
    }

    // Each tenant reads its own outcomes topic, as itself: exactly its own 2,000.
    for (String t : TENANTS) {
      Map<String, Integer> own = new HashMap<>();
      try (TopicReader reader =
          new TopicReader(bootstrap(), client(tenants.get(t)), TenantOutcomes.topic(TOPICS, t))) {
        reader.followUntil(
            "tenant " + t + "'s outcomes",
            OUTCOMES,
            r -> {
              Outcome o = Json.readOutcome(r.value());
              assertThat(o.tenant()).isEqualTo(t);
              if (o.id().startsWith("bulk-")) own.merge(o.id(), 1, Integer::sum);
            },
            () -> own.size() == PER_TENANT);
      }
      assertThat(own.values()).as(t).allMatch(n -> n == 1);
    }
  }

  @Test
  @Order(3)
  void aTenantCannotGetACallOfAnotherTenantExecuted() throws Exception {
    byte[] t1Key = tenantKey("t1");
    String unsigned = "spoof-unsigned";
    String withOwnKey = "spoof-own-key";
    String forged = "spoof-forged";
    try (KafkaProducer<byte[], byte[]> asT1 = producer(tenants.get("t1"))) {
      long now = System.currentTimeMillis();
      send(asT1, call("t2", unsigned, now), null);
      Invocation own = call("t2", withOwnKey, now);
      send(asT1, own, InvocationSigner.of("t2", "k1", t1Key).sign(own));
      byte[] random = new byte[32];
      new SecureRandom().nextBytes(random);
      send(
          asT1,
          call("t2", forged, now),
          new InvocationSigner.Signature("k1", HexFormat.of().formatHex(random)));
    }
    List<String> spoofed = List.of(unsigned, withOwnKey, forged);
    awaitOutcomes(spoofed);
    await("dead letters")
        .atMost(OUTCOMES)
        .until(
            () -> {
              dlqReader.poll(this::deadLetter);
              return spoofed.stream().allMatch(deadLetters::containsKey);
            });
    for (String id : spoofed) {
      Outcome o = outcomes.get(id).get(0);
      assertThat(outcomes.get(id)).as(id).hasSize(1);
      assertThat(o.status()).as(id).isEqualTo(OutcomeStatus.REJECTED);
      assertThat(o.reason()).as(id).isEqualTo(ReasonCode.UNAUTHENTICATED);
      assertThat(deadLetters.get(id).get(0).reason()).isEqualTo(ReasonCode.UNAUTHENTICATED);
    }
  }

  @Test
  @Order(4)
  void aTenantCannotReadOthersOutcomesNorWriteRunQResultsOrTenantConfig() throws Exception {
    XfaasConfig t1 = tenants.get("t1");
    for (String topic : List.of(TenantOutcomes.topic(TOPICS, "t2"), TOPICS.outcomes())) {
      try (KafkaConsumer<byte[], byte[]> c = consumer(t1)) {
        c.assign(List.of(new TopicPartition(topic, 0)));
        c.seekToBeginning(List.of(new TopicPartition(topic, 0)));
        assertThatThrownBy(() -> c.poll(Duration.ofSeconds(10)))
            .as(topic)
            .isInstanceOf(TopicAuthorizationException.class);
      }
    }
    assertWritesRefused(
        t1,
        List.of(TOPICS.runq(), TOPICS.results(), TOPICS.config()),
        TopicAuthorizationException.class);
  }

  @Test
  @Order(5)
  void theAnalystRunsEveryShippedQueryAndWritesNowhere() throws Exception {
    Path dir = Path.of("target/security-it-sql").toAbsolutePath();
    List<Path> queries;
    try (var files = Files.list(LocalStackProcess.repoRoot().resolve("sql/queries"))) {
      queries = files.filter(f -> f.toString().endsWith(".sql")).sorted().toList();
    }
    Path analystFile = secure.resolve("analyst.xfaas.properties");

    CliRun sql =
        CliRun.of(
            SqlScript.args(
                SqlScript.concatenate(dir, queries), dir, "--config", analystFile.toString()));
    String printed = sql.out() + sql.err();
    assertThat(sql.exit()).as(printed).isZero();
    assertThat(printed)
        .doesNotContain("TopicAuthorizationException", "GroupAuthorizationException");
    long answers = printed.lines().filter(l -> l.matches(".*(rows? in set|Empty set).*")).count();
    assertThat(answers).as(printed).isEqualTo(queries.size());
    // The outcomes query saw the bulk calls.
    assertThat(printed).contains("t1", "t5");

    assertWritesRefused(
        XfaasConfig.load(analystFile, Map.of()),
        List.of(
            TOPICS.durableq(),
            TOPICS.outcomes(),
            TOPICS.metrics(),
            TOPICS.decisions(),
            TOPICS.config(),
            TOPICS.dlq()),
        org.apache.kafka.common.errors.AuthorizationException.class);
  }

  @Test
  @Order(6)
  void afterARotationOldKeyCallsSucceedInTheGracePeriodAndAreRejectedAfterIt() throws Exception {
    Path signingKeys = secure.resolve("signing.keys");
    byte[] oldKey = tenantKey("t3");
    byte[] master2 = new byte[32];
    new SecureRandom().nextBytes(master2);
    byte[] newKey = InvocationSignature.tenantKey(master2, "t3");
    Instant graceEnds = Instant.now().plusSeconds(45);
    Files.writeString(
        signingKeys,
        Files.readString(signingKeys)
            + "key.k2="
            + HexFormat.of().formatHex(master2)
            + "\nnot-after.k1="
            + graceEnds
            + "\n");
    InvocationSigner oldSigner = InvocationSigner.of("t3", "k1", oldKey);
    InvocationSigner newSigner = InvocationSigner.of("t3", "k2", newKey);
    AtomicInteger n = new AtomicInteger();
    List<String> inGrace = new ArrayList<>();
    List<String> afterGrace = new ArrayList<>();
    List<String> newKeyIds = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> asT3 = producer(tenants.get("t3"))) {
      // Once the scheduler has read the file again (xfaas.security.signing-keys-reload=1s), a
      // call under k2 succeeds; old-key calls still do.
      await("the scheduler reads the new key")
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                String probe = "rotate-probe-" + n.incrementAndGet();
                Invocation p = call("t3", probe, System.currentTimeMillis());
                send(asT3, p, newSigner.sign(p));
                awaitOutcomes(List.of(probe));
                return outcomes.get(probe).get(0).status() == OutcomeStatus.SUCCEEDED;
              });
      for (int i = 0; i < 20; i++) {
        String id = "rotate-old-" + n.incrementAndGet();
        Invocation inv = call("t3", id, System.currentTimeMillis());
        send(asT3, inv, oldSigner.sign(inv));
        inGrace.add(id);
      }
      assertThat(Instant.now()).isBefore(graceEnds);
      await("the grace period's end")
          .atMost(Duration.ofSeconds(60))
          .until(() -> Instant.now().isAfter(graceEnds.plusSeconds(2)));
      for (int i = 0; i < 20; i++) {
        String id = "rotate-late-" + i;
        Invocation inv = call("t3", id, System.currentTimeMillis());
        send(asT3, inv, oldSigner.sign(inv));
        afterGrace.add(id);
        String fresh = "rotate-new-" + i;
        Invocation f = call("t3", fresh, System.currentTimeMillis());
        send(asT3, f, newSigner.sign(f));
        newKeyIds.add(fresh);
      }
    }
    List<String> every = new ArrayList<>(inGrace);
    every.addAll(afterGrace);
    every.addAll(newKeyIds);
    awaitOutcomes(every);
    for (String id : every) assertThat(outcomes.get(id)).as(id).hasSize(1);
    for (String id : inGrace) {
      assertThat(outcomes.get(id).get(0).status()).as(id).isEqualTo(OutcomeStatus.SUCCEEDED);
    }
    for (String id : afterGrace) {
      Outcome o = outcomes.get(id).get(0);
      assertThat(o.status()).as(id).isEqualTo(OutcomeStatus.REJECTED);
      assertThat(o.reason()).as(id).isEqualTo(ReasonCode.UNAUTHENTICATED);
    }
    for (String id : newKeyIds) {
      assertThat(outcomes.get(id).get(0).status()).as(id).isEqualTo(OutcomeStatus.SUCCEEDED);
    }
  }

  // --- helpers ---

  /** As the submitter client sends it: attempt 1 of 3 (the client fills in the 3 otherwise). */
  private static Invocation call(String tenant, String id, long now) {
    return InvocationBuilder.call(tenant, "echo")
        .id(id)
        .submittedAt(now)
        .maxAttempts(3)
        .payload("{}")
        .build();
  }

  /**
   * Each write of {@code as} to each of {@code topics} fails with {@code refusal}. A producer per
   * topic, not idempotent: an idempotent producer first asks for a producer id, and a principal
   * that may write nowhere is refused that; whether the refusal reaches {@code send} as a failed
   * future or as a thrown error in the producer's state then depends on which comes first (a
   * fresh-clone CI run saw the second). Without idempotence each send asks the broker itself.
   */
  private void assertWritesRefused(
      XfaasConfig as, List<String> topics, Class<? extends Throwable> refusal) {
    for (String topic : topics) {
      try (KafkaProducer<byte[], byte[]> p = producer(as, false)) {
        assertThatThrownBy(
                () ->
                    p.send(new ProducerRecord<>(topic, "x".getBytes(StandardCharsets.UTF_8)))
                        .get(30, TimeUnit.SECONDS))
            .as(topic)
            .isInstanceOf(ExecutionException.class)
            .hasCauseInstanceOf(refusal);
      }
    }
  }

  private static void send(
      KafkaProducer<byte[], byte[]> producer, Invocation inv, InvocationSigner.Signature sig)
      throws Exception {
    ProducerRecord<byte[], byte[]> r =
        new ProducerRecord<>(
            TOPICS.durableq(),
            inv.id().getBytes(StandardCharsets.UTF_8),
            InvocationSerde.write(inv));
    if (sig != null) {
      r.headers()
          .add(InvocationSignature.KEY_ID_HEADER, sig.keyId().getBytes(StandardCharsets.UTF_8))
          .add(InvocationSignature.SIGNATURE_HEADER, sig.hex().getBytes(StandardCharsets.UTF_8));
    }
    producer.send(r).get(30, TimeUnit.SECONDS);
  }

  /** A tenant's key, from the tenant keys file its principal was given: TENANT=KEY_ID:HEX. */
  private byte[] tenantKey(String tenant) throws IOException {
    java.util.Properties keys = new java.util.Properties();
    try (var in = Files.newBufferedReader(secure.resolve("tenants/tenant-" + tenant + ".keys"))) {
      keys.load(in); // a properties file: the ':' after the key id is escaped
    }
    String value = keys.getProperty(tenant);
    assertThat(value).startsWith("k1:");
    return HexFormat.of().parseHex(value.substring("k1:".length()));
  }

  private void awaitOutcomes(List<String> ids) {
    outcomeReader.followUntil(
        "outcomes of " + ids.size() + " calls",
        OUTCOMES,
        this::outcome,
        () -> ids.stream().allMatch(outcomes::containsKey));
  }

  private void outcome(org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]> r) {
    Outcome o = Json.readOutcome(r.value());
    outcomes.computeIfAbsent(o.id(), k -> new ArrayList<>()).add(o);
  }

  private void deadLetter(org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]> r) {
    DeadLetter d = Json.readDeadLetter(r.value());
    if (d.id() != null) deadLetters.computeIfAbsent(d.id(), k -> new ArrayList<>()).add(d);
  }

  private String bootstrap() {
    return operator.bootstrapServers();
  }

  private static Map<String, String> client(XfaasConfig config) {
    return config.kafkaClientProperties();
  }

  private String describeCluster(Map<String, Object> settings) throws Exception {
    settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
    settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
    settings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    try (Admin admin = Admin.create(settings)) {
      return admin.describeCluster().clusterId().get(20, TimeUnit.SECONDS);
    }
  }

  private KafkaProducer<byte[], byte[]> producer(XfaasConfig as) {
    return producer(as, true);
  }

  private KafkaProducer<byte[], byte[]> producer(XfaasConfig as, boolean idempotent) {
    Map<String, Object> p = new HashMap<>(client(as));
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, idempotent);
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 20_000);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000);
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private KafkaConsumer<byte[], byte[]> consumer(XfaasConfig as) {
    Map<String, Object> c = new HashMap<>(client(as));
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }
}
