package io.xfaas.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.config.XfaasConfig;
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
}
