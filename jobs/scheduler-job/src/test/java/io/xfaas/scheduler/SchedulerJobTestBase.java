package io.xfaas.scheduler;

import io.xfaas.config.XfaasConfig;
import io.xfaas.config.XfaasOptions;
import io.xfaas.kafka.embedded.EmbeddedKafka;
import io.xfaas.records.TenantSettings;
import io.xfaas.serde.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What every scheduler ITCase runs on: a real embedded broker and a MiniCluster with generic types
 * off, a restart strategy (so a failure shows as a restart the test can count, not a failed job)
 * and a fast metrics fetcher. Each test gets its own region, hence its own topics.
 */
abstract class SchedulerJobTestBase {
  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .setConfiguration(flinkConfig())
              .build());

  static EmbeddedKafka kafka;

  private static Configuration flinkConfig() {
    Configuration c = new Configuration();
    c.set(PipelineOptions.GENERIC_TYPES, false);
    c.set(MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL, Duration.ofMillis(500));
    c.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 20);
    c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(500));
    return c;
  }

  @BeforeAll
  static void startKafka() {
    kafka = EmbeddedKafka.builder().build().start();
  }

  @AfterAll
  static void stopKafka() {
    if (kafka != null) kafka.close();
  }

  /**
   * A configuration for a fresh region named after {@code prefix}, with its own config topic, on
   * this broker; its topics are created.
   */
  static XfaasConfig freshRegion(String prefix, Map<String, String> overrides) {
    long n = System.nanoTime();
    Map<String, String> c = new HashMap<>();
    c.put(XfaasOptions.REGION.key(), prefix + n);
    c.put(XfaasOptions.BOOTSTRAP_SERVERS.key(), kafka.bootstrapServers());
    c.put(XfaasOptions.TOPIC_CONFIG.key(), "config" + n);
    c.put(XfaasOptions.SCHEDULER_CHECKPOINT_INTERVAL.key(), "500");
    c.putAll(overrides);
    XfaasConfig config = XfaasConfig.of(c);
    kafka.createTopics(config.topics().partitions(4));
    kafka.createTopic(config.topics().config(), 1, Map.of("cleanup.policy", "compact"));
    return config;
  }

  /** Writes tenant settings to the config topic, in order, on its one partition. */
  static void writeSettings(XfaasConfig config, List<TenantSettings> tenants) throws Exception {
    try (var producer =
        new KafkaProducer<>(
            Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      for (TenantSettings t : tenants) {
        producer
            .send(
                new ProducerRecord<>(
                    config.topics().config(),
                    TenantSettings.configKey(t.tenant()).getBytes(StandardCharsets.UTF_8),
                    Json.write(t)))
            .get();
      }
    }
  }
}
