package io.xfaas.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.config.XfaasConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SidecarClientsTest {
  private final SidecarSettings settings =
      SidecarSettings.from(
          XfaasConfig.of(
              Map.of(
                  "xfaas.sidecar.max-poll-records", "40",
                  "xfaas.sidecar.threads", "4",
                  "xfaas.sidecar.group-id", "workers")));

  @Test
  void consumerReadsCommittedAndCommitsByHand() {
    Map<String, Object> c = SidecarClients.consumerConfig(settings, "s-1");

    assertThat(c)
        .containsEntry("group.id", "workers")
        .containsEntry("isolation.level", "read_committed")
        .containsEntry("enable.auto.commit", false)
        .containsEntry("auto.offset.reset", "earliest")
        .containsEntry("max.poll.records", 40)
        .containsEntry("client.id", "s-1");
  }

  @Test
  void producerIsIdempotentAndWaitsForAllReplicas() {
    Map<String, Object> p = SidecarClients.producerConfig(settings, "s-1");

    assertThat(p).containsEntry("acks", "all").containsEntry("enable.idempotence", true);
  }

  @Test
  void pollIntervalCoversTheSlowestBatch() {
    // Kafka's default, when batches are quick anyway.
    assertThat(SidecarClients.maxPollIntervalMs(settings.withCallTimeout(Duration.ofSeconds(1))))
        .isEqualTo(300_000);
    // 40 calls on 4 threads: 10 rounds of a minute each, plus time to write and commit.
    assertThat(SidecarClients.maxPollIntervalMs(settings.withCallTimeout(Duration.ofMinutes(1))))
        .isEqualTo(10 * 60_000 + 60_000);
  }
}
