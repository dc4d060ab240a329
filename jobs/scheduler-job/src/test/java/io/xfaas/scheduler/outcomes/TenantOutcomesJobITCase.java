package io.xfaas.scheduler.outcomes;

import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.config.TenantConfigClient;
import io.xfaas.config.XfaasConfig;
import io.xfaas.records.Criticality;
import io.xfaas.records.Outcome;
import io.xfaas.records.OutcomeStatus;
import io.xfaas.records.TenantSettings;
import io.xfaas.security.TenantOutcomes;
import io.xfaas.serde.Json;
import io.xfaas.testing.EmbeddedKafkaExtension;
import io.xfaas.testing.FlinkClusterExtension;
import io.xfaas.testing.TopicReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The tenant-outcomes job on the embedded broker: tenants with settings written as {@code xfaas
 * tenants set} writes them get each of their outcomes in their own topic, exactly once, and no
 * other tenant's; a tenant without settings gets no copy. (SecurityITCase checks the same under
 * {@code ./xfaas local --secure}, with ACLs; this is the job alone, quicker to run.)
 */
class TenantOutcomesJobITCase {
  @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  @RegisterExtension static final FlinkClusterExtension FLINK = FlinkClusterExtension.slots(2);

  private static final int PER_TENANT = 50;
  private static final Duration WAIT = Duration.ofSeconds(120);

  @Test
  void eachKnownTenantGetsExactlyItsOwnOutcomesAndAnUnknownTenantNone() throws Exception {
    XfaasConfig config = KAFKA.newRegion("tenant-outcomes", Map.of());
    List<String> known = List.of("acme", "globex");
    Map<String, Integer> topics = new HashMap<>();
    for (String t : known) topics.put(TenantOutcomes.topic(config.topics(), t), 1);
    KAFKA.createTopics(topics); // as xfaas tenants set makes them, with the tenant's principal
    try (TenantConfigClient tenants = TenantConfigClient.create(config)) {
      for (String t : known) {
        tenants.put(new TenantSettings(t, 100, 100, 100, 1, 1000, List.of(), null, 0));
      }
    }

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.configure(TenantOutcomesJob.jobConfiguration(config));
    TenantOutcomesJob.define(env, config);
    JobClient job = env.executeAsync(TenantOutcomesJob.jobName(config));
    try {
      try (KafkaProducer<byte[], byte[]> producer = KAFKA.producer()) {
        for (int i = 0; i < PER_TENANT; i++) {
          for (String t : List.of("acme", "globex", "nobody")) {
            Outcome o = outcome(t + "-" + i, t);
            producer
                .send(
                    new ProducerRecord<>(
                        config.topics().outcomes(),
                        o.id().getBytes(StandardCharsets.UTF_8),
                        Json.write(o)))
                .get(30, TimeUnit.SECONDS);
          }
        }
      }

      for (String t : known) {
        Map<String, Integer> seen = new HashMap<>();
        try (TopicReader reader =
            new TopicReader(KAFKA.bootstrapServers(), TenantOutcomes.topic(config.topics(), t))) {
          reader.followUntil(
              t + "'s outcomes",
              WAIT,
              r -> {
                Outcome o = Json.readOutcome(r.value());
                assertThat(o.tenant()).isEqualTo(t);
                seen.merge(o.id(), 1, Integer::sum);
              },
              () -> seen.size() == PER_TENANT);
          // A little longer, so that a duplicate written after the last first copy shows too.
          reader.catchUp(
              r -> seen.merge(Json.readOutcome(r.value()).id(), 1, Integer::sum),
              Duration.ofSeconds(3));
        }
        assertThat(seen.values()).as(t).allMatch(n -> n == 1);
      }
      Set<String> all = KAFKA.admin().listTopics().names().get(30, TimeUnit.SECONDS);
      assertThat(all).doesNotContain(TenantOutcomes.topic(config.topics(), "nobody"));
    } finally {
      FlinkClusterExtension.cancel(job);
    }
  }

  private static Outcome outcome(String id, String tenant) {
    long now = System.currentTimeMillis();
    return new Outcome(
        id,
        tenant,
        "echo",
        Criticality.NORMAL,
        OutcomeStatus.SUCCEEDED,
        null,
        null,
        1,
        now,
        now,
        now,
        now,
        "tenant-outcomes",
        "{}");
  }
}
