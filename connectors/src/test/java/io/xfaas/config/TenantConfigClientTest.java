package io.xfaas.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xfaas.kafka.SmallTopicClients;
import io.xfaas.records.TenantSettings;
import io.xfaas.serde.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The folding of config-topic records into the latest settings, and validation; no Kafka. */
class TenantConfigClientTest {
  private static final String TOPIC = "xfaas.config";

  private final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();

  private static TenantSettings settings(String tenant, double rate) {
    return new TenantSettings(tenant, rate, 5, 10, 2, 10_000, List.of("echo"), 600_000L, 0);
  }

  private void add(String key, byte[] value) {
    records.add(
        new ConsumerRecord<>(
            TOPIC,
            0,
            records.size(),
            key == null ? null : key.getBytes(StandardCharsets.UTF_8),
            value));
  }

  private void add(String key, String value) {
    add(key, value.getBytes(StandardCharsets.UTF_8));
  }

  private void put(TenantSettings s) {
    add(TenantSettings.configKey(s.tenant()), Json.write(s));
  }

  @Test
  void theLatestValuePerTenantWinsSortedByName() {
    put(settings("zeta", 1));
    put(settings("ads", 10));
    put(settings("ads", 20));
    put(settings("mid", 3));

    SortedMap<String, TenantSettings> latest = TenantConfigClient.latest(records);

    assertThat(latest.keySet()).containsExactly("ads", "mid", "zeta");
    assertThat(latest.get("ads")).isEqualTo(settings("ads", 20));
  }

  @Test
  void aTombstoneRemovesTheTenantAndALaterValueBringsItBack() {
    put(settings("ads", 10));
    put(settings("news", 10));
    add(TenantSettings.configKey("ads"), (byte[]) null);

    assertThat(TenantConfigClient.latest(records).keySet()).containsExactly("news");

    put(settings("ads", 30));
    assertThat(TenantConfigClient.latest(records)).containsEntry("ads", settings("ads", 30));
  }

  @Test
  void aTombstoneForAnUnknownTenantIsHarmless() {
    add(TenantSettings.configKey("ghost"), (byte[]) null);

    assertThat(TenantConfigClient.latest(records)).isEmpty();
  }

  @Test
  void otherKeysAndKeylessRecordsAreNotTenants() {
    add("function/echo", "{\"timeoutMs\":1000}");
    add(null, Json.write(settings("ads", 1)));
    add("ads", Json.write(settings("ads", 1)));

    assertThat(TenantConfigClient.latest(records)).isEmpty();
  }

  @Test
  void theKeyNamesTheTenantWhateverTheValueSays() {
    add(TenantSettings.configKey("ads"), Json.write(settings("other", 7)));

    assertThat(TenantConfigClient.latest(records)).containsOnlyKeys("ads");
    assertThat(TenantConfigClient.latest(records).get("ads").tenant()).isEqualTo("ads");
  }

  @Test
  void unreadableOrInvalidValuesLeaveThePreviousSettingsInForce() {
    put(settings("ads", 10));
    add(TenantSettings.configKey("ads"), "not json");
    add(TenantSettings.configKey("ads"), Json.write(settings("ads", 0))); // rate must be > 0
    add(TenantSettings.configKey("new"), "{\"rate\":-1}");

    SortedMap<String, TenantSettings> latest = TenantConfigClient.latest(records);

    assertThat(latest).containsOnlyKeys("ads");
    assertThat(latest.get("ads").rate()).isEqualTo(10);
  }

  @Test
  void foldReadsWhatTheSchedulerReads() {
    Map<String, TenantSettings> latest = new HashMap<>();
    String json =
        "{\"tenant\":\"ads\",\"rate\":20,\"burst\":5,\"concurrency\":10,\"weight\":2,"
            + "\"bufferBound\":10000,\"functions\":[\"echo\",\"resize\"],"
            + "\"defaultDeadlineMs\":600000,\"opportunisticRate\":0.5,\"futureField\":true}";

    TenantConfigClient.fold(
        latest,
        "tenant/ads".getBytes(StandardCharsets.UTF_8),
        json.getBytes(StandardCharsets.UTF_8));

    assertThat(latest.get("ads"))
        .isEqualTo(
            new TenantSettings(
                "ads", 20, 5, 10, 2, 10_000, List.of("echo", "resize"), 600_000L, 0.5));
  }

  @Test
  void writtenSettingsFoldBackUnchanged() {
    TenantSettings noDeadlineAnyFunction =
        new TenantSettings("ads", 1.5, 1, 1, 1, 1, List.of(), null, 0);
    put(noDeadlineAnyFunction);

    assertThat(TenantConfigClient.latest(records).get("ads")).isEqualTo(noDeadlineAnyFunction);
    assertThat(new String(Json.write(noDeadlineAnyFunction), StandardCharsets.UTF_8))
        .doesNotContain("defaultDeadlineMs");
  }

  @Test
  void problemNamesInvalidSettingsAndNames() {
    assertThat(TenantConfigClient.problem(settings("ads", 1))).isNull();
    assertThat(TenantConfigClient.problem(settings("ads", 0))).isEqualTo("rate must be > 0");
    assertThat(TenantConfigClient.problem(settings("", 1))).isEqualTo("tenant is required");
    assertThat(TenantConfigClient.problem(settings("ads team", 1))).contains("'ads team'");
    assertThat(TenantConfigClient.problem(settings("-ads", 1))).contains("starting with");
    assertThat(TenantConfigClient.problem(null)).isNotNull();
  }

  @Test
  void invalidSettingsAreRefusedBeforeKafkaIsContacted() {
    // Nothing listens here: a write attempt would time out rather than fail at once.
    try (TenantConfigClient client =
        new TenantConfigClient(
            new SmallTopicClients("localhost:1", Map.of(), Duration.ofMillis(100)), TOPIC)) {
      assertThatThrownBy(() -> client.put(settings("ads", 0)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("rate must be > 0");
      assertThatThrownBy(() -> client.remove("bad name"))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
