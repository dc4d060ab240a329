package io.xfaas.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.config.XfaasConfig;
import io.xfaas.config.XfaasOptions;
import io.xfaas.records.DeadLetter;
import io.xfaas.records.Outcome;
import io.xfaas.records.OutcomeStatus;
import io.xfaas.records.ReasonCode;
import io.xfaas.serde.Json;
import io.xfaas.sidecar.FunctionRegistry;
import io.xfaas.sidecar.WorkerSidecar;
import io.xfaas.submit.InvocationBuilder;
import io.xfaas.testing.TopicReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobStatus;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * The walking skeleton end to end, on a real broker and a MiniCluster: submitter → DurableQ →
 * scheduler job → RunQ → sidecar → outcomes, with bad and late input mixed in.
 */
class PipelineITCase extends SchedulerITCaseBase {
  private static final int TENANTS = 20;
  private static final int PER_TENANT = 500;
  private static final int BAD_PER_KIND = 50;
  private static final int LATE = 100;
  private static final int PAYLOAD_LIMIT = 4096;
  private static final int DUPLICATED = 300;
  private static final String SENTINEL = "sentinel";

  @Test
  void everyInvocationReachesExactlyOneTerminalOutcome() throws Exception {
    XfaasConfig config =
        KAFKA.newRegion(
            "it", Map.of(XfaasOptions.MAX_PAYLOAD_BYTES.key(), String.valueOf(PAYLOAD_LIMIT)));

    try (SchedulerRun run = startScheduler(config);
        WorkerSidecar sidecar = new WorkerSidecar(config, FunctionRegistry.fromServiceLoader())) {
      sidecar.start();

      List<String> goodIds = new ArrayList<>();
      List<io.xfaas.records.Invocation> batch = new ArrayList<>();
      for (int i = 0; i < TENANTS * PER_TENANT; i++) {
        String id = "good-" + i;
        goodIds.add(id);
        batch.add(
            InvocationBuilder.call("tenant-" + (i % TENANTS), "echo")
                .id(id)
                .payload("{\"n\":" + i + "}")
                .build());
      }
      long now = System.currentTimeMillis();
      for (int i = 0; i < LATE; i++) {
        batch.add(
            InvocationBuilder.call("tenant-late", "echo")
                .id("late-" + i)
                .submittedAt(now - 10_000)
                .deadline(now - 5_000)
                .build());
      }
      run.client().submitAllAndWait(batch);
      writeBadRecords(config.topics().durableq());

      OutcomeCounts counts = new OutcomeCounts();
      Map<String, Integer> outcomesPerId = counts.perId();
      int expectedOutcomes = goodIds.size() + LATE + 3 * BAD_PER_KIND;
      TopicReader outcomes = run.outcomes();
      outcomes.followUntil(
          "an outcome for every invocation",
          Duration.ofMinutes(3),
          r -> counts.add(Json.readOutcome(r.value())),
          () -> outcomesPerId.size() >= expectedOutcomes);
      // A re-executed call answers twice: replay results for ids already answered, then a
      // sentinel behind them in the same partition. Once the sentinel's outcome is visible,
      // every replay was processed; consumers must still see one outcome per id.
      writeDuplicateResults(config.topics().results(), goodIds.subList(0, DUPLICATED));
      outcomes.followUntil(
          "the sentinel's outcome",
          Duration.ofMinutes(1),
          r -> outcomesPerId.merge(Json.readOutcome(r.value()).id(), 1, Integer::sum),
          () -> outcomesPerId.containsKey(SENTINEL));
      // A late duplicate would be committed with a later checkpoint: wait for two.
      FLINK.settle(run.job());
      outcomes.catchUp(r -> outcomesPerId.merge(Json.readOutcome(r.value()).id(), 1, Integer::sum));
      outcomesPerId.remove(SENTINEL);

      assertThat(outcomesPerId).hasSize(expectedOutcomes);
      assertThat(outcomesPerId.values()).allMatch(n -> n == 1);
      assertThat(goodIds).allMatch(outcomesPerId::containsKey);
      assertThat(counts.byStatus())
          .containsEntry(OutcomeStatus.SUCCEEDED, goodIds.size())
          .containsEntry(OutcomeStatus.EXPIRED, LATE)
          .containsEntry(OutcomeStatus.REJECTED, 3 * BAD_PER_KIND);
      assertThat(counts.rejectedByReason())
          .containsOnly(
              Map.entry(ReasonCode.MISSING_FIELD, BAD_PER_KIND),
              Map.entry(ReasonCode.UNKNOWN_CRITICALITY, BAD_PER_KIND),
              Map.entry(ReasonCode.PAYLOAD_TOO_LARGE, BAD_PER_KIND));

      Map<ReasonCode, Integer> deadByReason = new HashMap<>();
      try (TopicReader dlq = KAFKA.follow(config.topics().dlq())) {
        dlq.followUntil(
            "a dead letter for every bad record",
            Duration.ofMinutes(1),
            r -> {
              DeadLetter d = Json.readDeadLetter(r.value());
              deadByReason.merge(d.reason(), 1, Integer::sum);
              assertThat(d.original() != null || d.originalBase64() != null).isTrue();
            },
            () -> deadByReason.values().stream().mapToInt(i -> i).sum() >= 4 * BAD_PER_KIND);
      }
      assertThat(deadByReason)
          .containsOnly(
              Map.entry(ReasonCode.MALFORMED_JSON, BAD_PER_KIND),
              Map.entry(ReasonCode.MISSING_FIELD, BAD_PER_KIND),
              Map.entry(ReasonCode.UNKNOWN_CRITICALITY, BAD_PER_KIND),
              Map.entry(ReasonCode.PAYLOAD_TOO_LARGE, BAD_PER_KIND));

      assertThat(run.job().getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
      assertThat(FLINK.numRestarts(run.job())).isZero();
    }
  }

  /** How many outcomes each id got, and how many had each status and each reason to reject. */
  private record OutcomeCounts(
      Map<String, Integer> perId,
      Map<OutcomeStatus, Integer> byStatus,
      Map<ReasonCode, Integer> rejectedByReason) {
    OutcomeCounts() {
      this(new HashMap<>(), new HashMap<>(), new HashMap<>());
    }

    void add(Outcome o) {
      perId.merge(o.id(), 1, Integer::sum);
      byStatus.merge(o.status(), 1, Integer::sum);
      if (o.status() == OutcomeStatus.REJECTED) {
        rejectedByReason.merge(o.reason(), 1, Integer::sum);
      }
    }
  }

  /** 50 of each kind of bad input: three carry an id (REJECTED outcome), one cannot. */
  private static void writeBadRecords(String topic) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = KAFKA.producer()) {
      String big = "x".repeat(PAYLOAD_LIMIT + 1);
      for (int i = 0; i < BAD_PER_KIND; i++) {
        for (String json :
            List.of(
                "{\"id\":\"malformed-" + i + "\",\"tenant\":",
                "{\"id\":\"notenant-" + i + "\",\"function\":\"echo\"}",
                "{\"id\":\"crit-"
                    + i
                    + "\",\"tenant\":\"t\",\"function\":\"echo\",\"criticality\":\"URGENT\"}",
                "{\"id\":\"big-"
                    + i
                    + "\",\"tenant\":\"t\",\"function\":\"echo\",\"payload\":\""
                    + big
                    + "\"}")) {
          producer.send(new ProducerRecord<>(topic, json.getBytes(StandardCharsets.UTF_8)));
        }
      }
      producer.flush();
    }
  }

  private static void writeDuplicateResults(String topic, List<String> ids) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = KAFKA.producer()) {
      List<String> all = new ArrayList<>(ids);
      all.add(SENTINEL);
      for (int i = 0; i < all.size(); i++) {
        String id = all.get(i);
        Outcome again =
            new Outcome(
                id,
                // The re-run call's own tenant, as a sidecar reports it (good-i is tenant i % N).
                id.equals(SENTINEL) ? "tenant-x" : "tenant-" + (i % TENANTS),
                "echo",
                null,
                OutcomeStatus.FAILED,
                ReasonCode.TIMEOUT,
                "late twin",
                1,
                1L,
                2L,
                3L,
                4L,
                "elsewhere",
                null);
        // One partition, so the sentinel is read after every replay.
        producer.send(
            new ProducerRecord<>(topic, 0, id.getBytes(StandardCharsets.UTF_8), Json.write(again)));
      }
      producer.flush();
    }
  }
}
