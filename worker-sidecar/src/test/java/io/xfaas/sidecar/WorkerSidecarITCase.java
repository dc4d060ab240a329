package io.xfaas.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.xfaas.config.Topics;
import io.xfaas.config.XfaasConfig;
import io.xfaas.records.Criticality;
import io.xfaas.records.DeadLetter;
import io.xfaas.records.Invocation;
import io.xfaas.records.Outcome;
import io.xfaas.records.OutcomeStatus;
import io.xfaas.records.ReasonCode;
import io.xfaas.serde.InvocationLimits;
import io.xfaas.serde.InvocationSerde;
import io.xfaas.serde.Json;
import io.xfaas.serde.ParseResult;
import io.xfaas.testing.EmbeddedKafkaExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sidecars against a real broker: outcomes, retries, committed offsets, and a replacement. */
class WorkerSidecarITCase {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerSidecarITCase.class);
  private static final int RUNQ_PARTITIONS = 4;
  private static final Duration PROCESSING = Duration.ofSeconds(90);

  @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  private final List<WorkerSidecar> sidecars = new ArrayList<>();
  private Topics topics;
  private String group;

  @BeforeEach
  void freshTopics() {
    // A fresh prefix per test: nothing one test leaves behind is seen by another.
    String prefix = "it-" + UUID.randomUUID().toString().substring(0, 8);
    topics = config(prefix, Map.of()).topics();
    group = prefix + ".workers";
    KAFKA.createTopics(
        Map.of(
            topics.runq(), RUNQ_PARTITIONS,
            topics.durableq(), RUNQ_PARTITIONS,
            topics.results(), RUNQ_PARTITIONS,
            topics.dlq(), 1));
  }

  @AfterEach
  void closeSidecarsAndCheckForLeaks() {
    sidecars.forEach(WorkerSidecar::close);
    Set<String> names = sidecars.stream().map(WorkerSidecar::name).collect(Collectors.toSet());
    // Client threads end with the clients; the call threads end with their pool.
    await("threads of closed sidecars to end")
        .atMost(Duration.ofSeconds(30))
        .until(() -> leakedThreads(names).isEmpty());
  }

  @Test
  void twoSidecarsAnswerEveryCallOnceAndRetryFailures() throws Exception {
    WorkerSidecar a = start(Map.of());
    WorkerSidecar b = start(Map.of());
    // Both in the group before the calls arrive, so that both get work and no rebalance
    // interrupts it.
    await("both sidecars to own RunQ partitions")
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                !a.assignment().isEmpty()
                    && !b.assignment().isEmpty()
                    && a.assignment().size() + b.assignment().size() == RUNQ_PARTITIONS);

    List<Invocation> calls =
        IntStream.range(0, 1000)
            .mapToObj(
                i ->
                    i % 5 == 0
                        ? SidecarFixture.invocation("fail-" + i, "fail", "{\"failures\":1}")
                        : SidecarFixture.invocation("echo-" + i, "echo", "{\"i\":" + i + "}"))
            .toList();
    long before = System.currentTimeMillis();
    writeRunQ(calls);

    awaitGroupAtEndOfRunQ();

    Map<String, Invocation> echoes = byId(calls, "echo");
    Map<String, Invocation> failures = byId(calls, "fail");
    List<Outcome> outcomes =
        KAFKA.readAll(topics.results()).stream().map(r -> Json.readOutcome(r.value())).toList();
    assertThat(outcomes).hasSize(echoes.size());
    assertThat(outcomes).allSatisfy(o -> assertThat(o.status()).isEqualTo(OutcomeStatus.SUCCEEDED));
    assertThat(outcomes.stream().map(Outcome::id)).doesNotHaveDuplicates();
    assertThat(outcomes.stream().map(Outcome::id).collect(Collectors.toSet()))
        .isEqualTo(echoes.keySet());
    assertThat(outcomes)
        .allSatisfy(
            o -> {
              assertThat(o.result()).isEqualTo(echoes.get(o.id()).payload());
              assertThat(o.region()).isEqualTo("it");
              assertThat(o.startedAt()).isGreaterThanOrEqualTo(before);
              assertThat(o.finishedAt()).isGreaterThanOrEqualTo(o.startedAt());
            });

    List<ConsumerRecord<byte[], byte[]>> retryRecords = KAFKA.readAll(topics.durableq());
    InvocationSerde serde = new InvocationSerde(InvocationLimits.DEFAULTS);
    List<Invocation> retries = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : retryRecords) {
      ParseResult parsed = serde.parse(r.value(), System.currentTimeMillis());
      assertThat(parsed).isInstanceOf(ParseResult.Accepted.class);
      Invocation retry = ((ParseResult.Accepted) parsed).invocation();
      assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(retry.id());
      retries.add(retry);
    }
    assertThat(retries).hasSize(failures.size());
    assertThat(retries.stream().map(Invocation::id).collect(Collectors.toSet()))
        .isEqualTo(failures.keySet());
    assertThat(retries)
        .allSatisfy(
            r -> {
              assertThat(r.attempt()).isEqualTo(2);
              assertThat(r.notBefore()).isGreaterThanOrEqualTo(before + 1000);
              assertThat(r.dispatchedAt()).isNull();
              assertThat(r.payload()).isEqualTo("{\"failures\":1}");
            });
    assertThat(KAFKA.readAll(topics.dlq())).isEmpty();

    assertThat(a.processed()).as("a's share").isPositive();
    assertThat(b.processed()).as("b's share").isPositive();
    assertThat(a.processed() + b.processed()).isEqualTo(calls.size());
    assertThat(a.succeeded() + b.succeeded()).isEqualTo(echoes.size());
    assertThat(a.retried() + b.retried()).isEqualTo(failures.size());
    assertThat(a.failed() + b.failed()).isZero();
  }

  @Test
  void sidecarClosedMidStreamIsReplacedWithoutLoss() throws Exception {
    // Slow calls, small batches: the stream takes seconds, so the close lands in the middle.
    Map<String, String> slow =
        Map.of("xfaas.sidecar.threads", "2", "xfaas.sidecar.max-poll-records", "20");
    List<Invocation> calls = sleeps(600, 10);
    writeRunQ(calls);

    WorkerSidecar first = start(slow);
    await("the first sidecar to be under way")
        .atMost(PROCESSING)
        .pollInterval(Duration.ofMillis(10))
        .until(() -> first.processed() >= 100);
    first.close();
    assertThat(first.processed()).as("closed mid-stream").isLessThan(calls.size());
    assertThat(first.isRunning()).isFalse();
    assertThat(first.failure()).isNull();

    WorkerSidecar replacement = start(slow);
    awaitGroupAtEndOfRunQ();

    assertEveryCallAnswered(calls, first, replacement);
    assertThat(replacement.processed()).isPositive();
  }

  @Test
  void oneOfTwoSidecarsClosedMidStreamHandsItsPartitionsOver() throws Exception {
    Map<String, String> slow =
        Map.of("xfaas.sidecar.threads", "2", "xfaas.sidecar.max-poll-records", "20");
    WorkerSidecar a = start(slow);
    WorkerSidecar b = start(slow);
    await("both sidecars to own RunQ partitions")
        .atMost(Duration.ofSeconds(60))
        .until(() -> !a.assignment().isEmpty() && !b.assignment().isEmpty());
    List<Invocation> calls = sleeps(600, 10);
    writeRunQ(calls);

    await("the first sidecar to be under way")
        .atMost(PROCESSING)
        .pollInterval(Duration.ofMillis(10))
        .until(() -> a.processed() >= 50);
    a.close();
    assertThat(a.processed()).as("closed mid-stream").isLessThan(calls.size() / 2);
    await("the other sidecar to take all partitions")
        .atMost(Duration.ofSeconds(60))
        .until(() -> b.assignment().size() == RUNQ_PARTITIONS);
    awaitGroupAtEndOfRunQ();

    assertEveryCallAnswered(calls, a, b);
  }

  @Test
  void callsThatCannotSucceedAreFailedAndDeadLettered() throws Exception {
    long now = System.currentTimeMillis();
    Invocation exhausted =
        new Invocation(
            "last-try",
            "tenant-1",
            "fail",
            Criticality.NORMAL,
            0,
            now,
            null,
            null,
            2,
            2,
            "{\"failures\":5}",
            Map.of(),
            now,
            Map.of());
    Invocation unknown = SidecarFixture.invocation("unknown", "no-such-function", null);
    writeRunQ(List.of(exhausted, unknown));
    byte[] garbage = {'{', (byte) 0xff};
    try (KafkaProducer<byte[], byte[]> producer = KAFKA.producer()) {
      producer.send(new ProducerRecord<>(topics.runq(), 0, null, garbage)).get();
    }

    WorkerSidecar s = start(Map.of());
    awaitGroupAtEndOfRunQ();

    Map<String, Outcome> outcomes =
        KAFKA.readAll(topics.results()).stream()
            .map(r -> Json.readOutcome(r.value()))
            .collect(Collectors.toMap(Outcome::id, Function.identity()));
    assertThat(outcomes).containsOnlyKeys("last-try", "unknown");
    assertThat(outcomes.get("last-try").status()).isEqualTo(OutcomeStatus.FAILED);
    assertThat(outcomes.get("last-try").reason()).isEqualTo(ReasonCode.FUNCTION_ERROR);
    assertThat(outcomes.get("last-try").detail()).isEqualTo("planned failure 2 of 5 for last-try");
    assertThat(outcomes.get("unknown").reason()).isEqualTo(ReasonCode.UNKNOWN_FUNCTION);

    List<DeadLetter> dead =
        KAFKA.readAll(topics.dlq()).stream().map(r -> Json.readDeadLetter(r.value())).toList();
    assertThat(dead)
        .extracting(DeadLetter::reason)
        .containsExactlyInAnyOrder(
            ReasonCode.FUNCTION_ERROR, ReasonCode.UNKNOWN_FUNCTION, ReasonCode.MALFORMED_JSON);
    DeadLetter malformed =
        dead.stream().filter(d -> d.reason() == ReasonCode.MALFORMED_JSON).findFirst().get();
    assertThat(Base64.getDecoder().decode(malformed.originalBase64())).isEqualTo(garbage);
    assertThat(malformed.topic()).isEqualTo(topics.runq());
    DeadLetter lastTry = dead.stream().filter(d -> "last-try".equals(d.id())).findFirst().get();
    assertThat(lastTry.original())
        .isEqualTo(new String(InvocationSerde.write(exhausted), StandardCharsets.UTF_8));
    assertThat(KAFKA.readAll(topics.durableq())).isEmpty();
    assertThat(s.processed()).isEqualTo(3);
    assertThat(s.failed()).isEqualTo(2);
    assertThat(s.deadLettered()).isEqualTo(3);
  }

  /**
   * Every call has a SUCCEEDED outcome; repeats are allowed (at-least-once), counted, and accounted
   * for by the sidecars' own counts.
   */
  private void assertEveryCallAnswered(List<Invocation> calls, WorkerSidecar... by) {
    List<Outcome> outcomes =
        KAFKA.readAll(topics.results()).stream().map(r -> Json.readOutcome(r.value())).toList();
    Set<String> answered = new HashSet<>();
    outcomes.forEach(o -> answered.add(o.id()));
    int duplicates = outcomes.size() - answered.size();
    LOG.info("{} outcomes for {} calls: {} duplicates", outcomes.size(), calls.size(), duplicates);

    assertThat(answered).as("no call without an outcome").containsAll(ids(calls));
    assertThat(answered).hasSize(calls.size());
    assertThat(outcomes).allSatisfy(o -> assertThat(o.status()).isEqualTo(OutcomeStatus.SUCCEEDED));
    long processed = 0;
    for (WorkerSidecar s : by) processed += s.processed();
    assertThat(processed).as("one outcome per processed record").isEqualTo(outcomes.size());
    assertThat(KAFKA.readAll(topics.dlq())).isEmpty();
    assertThat(KAFKA.readAll(topics.durableq())).isEmpty();
  }

  private WorkerSidecar start(Map<String, String> overrides) {
    WorkerSidecar s =
        new WorkerSidecar(config(null, overrides), FunctionRegistry.fromServiceLoader());
    sidecars.add(s);
    return s.start();
  }

  /** The test's configuration; {@code prefix} null means this test's topics and group. */
  private XfaasConfig config(String prefix, Map<String, String> overrides) {
    Map<String, String> c = new HashMap<>();
    c.put("xfaas.region", "it");
    c.put("xfaas.kafka.bootstrap-servers", KAFKA.bootstrapServers());
    if (prefix != null) {
      c.put("xfaas.topics.durableq", prefix + ".durableq");
      c.put("xfaas.topics.runq", prefix + ".runq");
      c.put("xfaas.topics.results", prefix + ".results");
      c.put("xfaas.topics.dlq", prefix + ".dlq");
    } else {
      c.put("xfaas.topics.durableq", topics.durableq());
      c.put("xfaas.topics.runq", topics.runq());
      c.put("xfaas.topics.results", topics.results());
      c.put("xfaas.topics.dlq", topics.dlq());
      c.put("xfaas.sidecar.group-id", group);
    }
    c.put("xfaas.sidecar.threads", "4");
    c.put("xfaas.sidecar.max-poll-records", "100");
    c.put("xfaas.sidecar.retry-backoff-ms", "1000");
    c.putAll(overrides);
    return XfaasConfig.of(c);
  }

  private static List<Invocation> sleeps(int n, int ms) {
    return IntStream.range(0, n)
        .mapToObj(i -> SidecarFixture.invocation("sleep-" + i, "sleep", "{\"ms\":" + ms + "}"))
        .toList();
  }

  /** Writes the calls keyed by function, spread over RunQ's partitions so every owner has work. */
  private void writeRunQ(List<Invocation> calls) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = KAFKA.producer()) {
      List<Future<RecordMetadata>> acks = new ArrayList<>();
      for (int i = 0; i < calls.size(); i++) {
        Invocation inv = calls.get(i);
        acks.add(
            producer.send(
                new ProducerRecord<>(
                    topics.runq(),
                    i % RUNQ_PARTITIONS,
                    inv.function().getBytes(StandardCharsets.UTF_8),
                    InvocationSerde.write(inv))));
      }
      for (Future<RecordMetadata> ack : acks) ack.get();
    }
  }

  /** Waits until the group's committed offsets are RunQ's end offsets on every partition. */
  private void awaitGroupAtEndOfRunQ() {
    KAFKA.awaitGroupAtEnd(PROCESSING, group, topics.runq());
  }

  private static Map<String, Invocation> byId(List<Invocation> calls, String function) {
    return calls.stream()
        .filter(c -> c.function().equals(function))
        .collect(Collectors.toMap(Invocation::id, Function.identity()));
  }

  private static Set<String> ids(List<Invocation> calls) {
    return calls.stream().map(Invocation::id).collect(Collectors.toSet());
  }

  private static List<String> leakedThreads(Set<String> sidecarNames) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(
            n -> sidecarNames.stream().anyMatch(s -> n.startsWith(s + "-") || n.endsWith("| " + s)))
        .toList();
  }
}
