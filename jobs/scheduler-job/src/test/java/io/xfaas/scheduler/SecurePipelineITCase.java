package io.xfaas.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.xfaas.config.TenantConfigClient;
import io.xfaas.config.XfaasConfig;
import io.xfaas.config.XfaasOptions;
import io.xfaas.kafka.embedded.BrokerSecurity;
import io.xfaas.kafka.embedded.EmbeddedKafka;
import io.xfaas.records.Invocation;
import io.xfaas.records.TenantSettings;
import io.xfaas.security.InvocationSignature;
import io.xfaas.security.InvocationSigner;
import io.xfaas.security.RoleAcls;
import io.xfaas.security.RoleAcls.Role;
import io.xfaas.serde.InvocationLimits;
import io.xfaas.serde.InvocationSerde;
import io.xfaas.serde.ParseResult;
import io.xfaas.submit.InvocationBuilder;
import io.xfaas.submit.SubmitterClient;
import io.xfaas.testing.FlinkClusterExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler job on an authenticated broker (SASL_SSL, SCRAM, ACLs), every Kafka client taking
 * its settings from {@code xfaas.kafka.client-properties-file}: the job as the admin user, a
 * tenant's submitter as a user that may only write DurableQ, with signing required. Every signed
 * call reaches RunQ.
 */
class SecurePipelineITCase {
  @RegisterExtension static final FlinkClusterExtension FLINK = FlinkClusterExtension.slots(2);

  private static final int CALLS = 20;

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void signedCallsFromAnAuthenticatedTenantReachRunQ(@TempDir Path dir) throws Exception {
    BrokerSecurity security =
        BrokerSecurity.create(
            dir.resolve("tls"),
            Map.of(
                "tenant-a", "a-password",
                "scheduler", "s-password",
                "analyst", "n-password",
                "operator", "o-password"));
    try (EmbeddedKafka kafka = EmbeddedKafka.builder().security(security).build().start()) {
      byte[] master = new byte[32];
      new java.security.SecureRandom().nextBytes(master);
      Path signingKeys = dir.resolve("signing.keys");
      Files.writeString(signingKeys, "key.k1=" + HexFormat.of().formatHex(master) + "\n");
      Path jobClient =
          security.writeClientProperties(dir.resolve("scheduler.properties"), "scheduler");
      Path tenantClient =
          security.writeClientProperties(dir.resolve("tenant-a.properties"), "tenant-a");
      Map<String, String> settings = new HashMap<>();
      settings.put(XfaasOptions.REGION.key(), "secure");
      settings.put(XfaasOptions.BOOTSTRAP_SERVERS.key(), kafka.bootstrapServers());
      settings.put(XfaasOptions.SCHEDULER_CHECKPOINT_INTERVAL.key(), "500");
      settings.put(XfaasOptions.SECURITY_SIGNING.key(), "required");
      settings.put(XfaasOptions.SECURITY_SIGNING_KEYS_FILE.key(), signingKeys.toString());
      settings.put(XfaasOptions.KAFKA_CLIENT_PROPERTIES_FILE.key(), jobClient.toString());
      XfaasConfig config = XfaasConfig.of(settings);
      kafka.createTopics(config.topics().partitions(2));
      config
          .topics()
          .compacted()
          .forEach((name, n) -> kafka.createTopic(name, n, Map.of("cleanup.policy", "compact")));
      grant(kafka, security, RoleAcls.of(Role.SCHEDULER, "User:scheduler", config));
      grant(kafka, security, RoleAcls.of(Role.TENANT_PRODUCER, "User:tenant-a", config));
      grant(kafka, security, RoleAcls.of(Role.ANALYST, "User:analyst", config));
      grant(kafka, security, RoleAcls.of(Role.OPERATOR, "User:operator", config));

      settings.put(XfaasOptions.KAFKA_CLIENT_PROPERTIES_FILE.key(), tenantClient.toString());
      XfaasConfig tenantConfig = XfaasConfig.of(settings);
      InvocationSigner signer =
          InvocationSigner.of("tenant-a", "k1", InvocationSignature.tenantKey(master, "tenant-a"));

      JobClient job =
          SchedulerJob.start(StreamExecutionEnvironment.getExecutionEnvironment(), config);
      try (SubmitterClient client = SubmitterClient.create(tenantConfig, Map.of(), signer)) {
        FlinkClusterExtension.awaitRunning(job);
        List<Invocation> calls =
            IntStream.range(0, CALLS)
                .mapToObj(i -> InvocationBuilder.call("tenant-a", "echo").id("s-" + i).build())
                .toList();
        client.submitAllAndWait(calls);

        Set<String> dispatched = new HashSet<>();
        InvocationSerde serde = new InvocationSerde(InvocationLimits.DEFAULTS);
        Map<String, Object> c = new HashMap<>(security.clientProperties("admin"));
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "secure-it");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (var consumer =
            new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
          consumer.subscribe(List.of(config.topics().runq()));
          await("every signed call in RunQ")
              .atMost(Duration.ofSeconds(120))
              .until(
                  () -> {
                    consumer
                        .poll(Duration.ofMillis(500))
                        .forEach(
                            r ->
                                dispatched.add(
                                    ((ParseResult.Accepted)
                                            serde.parse(r.value(), System.currentTimeMillis()))
                                        .invocation()
                                        .id()));
                    return dispatched.size() == CALLS;
                  });
        }
        assertThat(dispatched)
            .containsExactlyInAnyOrderElementsOf(calls.stream().map(Invocation::id).toList());

        // The tenant's principal: no RunQ, results or tenant config to write, no outcomes to read.
        var topics = config.topics();
        Map<String, Object> tenant = client(kafka, security, "tenant-a");
        for (String topic : List.of(topics.runq(), topics.results(), topics.config())) {
          assertThat(writeRefused(tenant, topic)).as(topic).isTrue();
        }
        assertThat(readRefused(tenant, topics.outcomes())).isTrue();
        // The analyst's: reads the telemetry and outcomes, writes nowhere.
        Map<String, Object> analyst = client(kafka, security, "analyst");
        for (String topic : List.of(topics.metrics(), topics.decisions(), topics.outcomes())) {
          assertThat(readRefused(analyst, topic)).as(topic).isFalse();
        }
        for (String topic : List.of(topics.metrics(), topics.durableq(), topics.config())) {
          assertThat(writeRefused(analyst, topic)).as(topic).isTrue();
        }
        // The operator's tenant settings go through the configured client settings too.
        settings.put(
            XfaasOptions.KAFKA_CLIENT_PROPERTIES_FILE.key(),
            security
                .writeClientProperties(dir.resolve("operator.properties"), "operator")
                .toString());
        var settingsOfA = new TenantSettings("tenant-a", 50, 50, 10, 1, 1000, List.of(), null, 0);
        try (var tenants = TenantConfigClient.create(XfaasConfig.of(settings))) {
          tenants.put(settingsOfA);
          assertThat(tenants.get("tenant-a")).contains(settingsOfA);
        }
      } finally {
        FlinkClusterExtension.cancel(job);
      }
    }
  }

  private static Map<String, Object> client(
      EmbeddedKafka kafka, BrokerSecurity security, String user) {
    Map<String, Object> p = new HashMap<>(security.clientProperties(user));
    p.put("bootstrap.servers", kafka.bootstrapServers());
    return p;
  }

  /** Whether the broker refuses {@code client} a write to {@code topic} as unauthorized. */
  private static boolean writeRefused(Map<String, Object> client, String topic) throws Exception {
    Map<String, Object> p = new HashMap<>(client);
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 20_000);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000);
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    // Not idempotent: the question is the topic's ACL, not the cluster's.
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    var producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    try {
      producer.send(new ProducerRecord<>(topic, new byte[] {'{', '}'})).get(30, TimeUnit.SECONDS);
      return false;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TopicAuthorizationException) return true;
      throw e;
    } finally {
      producer.close(Duration.ofSeconds(5));
    }
  }

  /** Whether the broker refuses {@code client} a read of {@code topic} as unauthorized. */
  private static boolean readRefused(Map<String, Object> client, String topic) {
    Map<String, Object> p = new HashMap<>(client);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (var consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(List.of(new TopicPartition(topic, 0)));
      consumer.poll(Duration.ofSeconds(3));
      consumer.poll(Duration.ofSeconds(1));
      return false;
    } catch (TopicAuthorizationException e) {
      return true;
    }
  }

  private static void grant(EmbeddedKafka kafka, BrokerSecurity security, List<AclBinding> acls)
      throws Exception {
    Map<String, Object> p = new HashMap<>(security.clientProperties("admin"));
    p.put("bootstrap.servers", kafka.bootstrapServers());
    try (Admin admin = Admin.create(p)) {
      admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
    }
  }
}
