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
                  "xfaas.sidecar.group-id", "workers",
                  "xfaas.sidecar.producer-linger", "7ms",
                  "xfaas.sidecar.producer-batch-bytes", "65536",
                  "xfaas.sidecar.producer-compression", "LZ4",
                  "xfaas.sidecar.fetch-min-bytes", "1024",
                  "xfaas.sidecar.fetch-max-wait", "20ms",
                  "xfaas.sidecar.max-partition-fetch-bytes", "2097152")));

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
  void heartbeatsAtKafkasThreeSecondsOrAThirdOfAShortSession() {
    // At a third of the 45 s default session a new sidecar waited 15 s for its partitions.
    assertThat(SidecarClients.consumerConfig(settings, "s-1"))
        .containsEntry("session.timeout.ms", 45_000)
        .containsEntry("heartbeat.interval.ms", 3_000);
    assertThat(SidecarClients.heartbeatMs(6_000)).isEqualTo(2_000);
  }

  @Test
  void producerIsIdempotentAndWaitsForAllReplicas() {
    Map<String, Object> p = SidecarClients.producerConfig(settings, "s-1");

    assertThat(p).containsEntry("acks", "all").containsEntry("enable.idempotence", true);
  }

  @Test
  void batchingAndFetchSizesComeFromTheOptions() {
    assertThat(SidecarClients.producerConfig(settings, "s-1"))
        .containsEntry("linger.ms", 7)
        .containsEntry("batch.size", 65536)
        .containsEntry("compression.type", "lz4");
    assertThat(SidecarClients.consumerConfig(settings, "s-1"))
        .containsEntry("fetch.min.bytes", 1024)
        .containsEntry("fetch.max.wait.ms", 20)
        .containsEntry("max.partition.fetch.bytes", 2097152);
  }

  @Test
  void clientSettingsFileIsUnderEveryClient(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path file = dir.resolve("sidecar.properties");
    java.nio.file.Files.writeString(
        file,
        "security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\n"
            + "bootstrap.servers=elsewhere:1\ngroup.id=not-this-one\n");
    SidecarSettings secure =
        SidecarSettings.from(
            XfaasConfig.of(
                Map.of(
                    "xfaas.kafka.client-properties-file", file.toString(),
                    "xfaas.kafka.bootstrap-servers", "kafka:9093",
                    "xfaas.sidecar.group-id", "workers")));

    assertThat(SidecarClients.consumerConfig(secure, "s-1"))
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("bootstrap.servers", "kafka:9093")
        .containsEntry("group.id", "workers");
    assertThat(SidecarClients.producerConfig(secure, "s-1"))
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("acks", "all");
    assertThat(SidecarClients.consumerConfig(settings, "s-1"))
        .doesNotContainKey("security.protocol");
  }
}
