package io.xfaas.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.xfaas.config.XfaasConfig;
import io.xfaas.config.XfaasOptions;
import io.xfaas.kafka.embedded.BrokerSecurity;
import io.xfaas.kafka.embedded.EmbeddedKafka;
import io.xfaas.records.Invocation;
import io.xfaas.security.InvocationSignature;
import io.xfaas.security.InvocationSigner;
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
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
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
  void signedCallsFromAnAuthenticatedTenantReachRunQ(@TempDir Path dir) throws Exception {
    BrokerSecurity security =
        BrokerSecurity.create(dir.resolve("tls"), Map.of("tenant-a", "a-password"));
    try (EmbeddedKafka kafka = EmbeddedKafka.builder().security(security).build().start()) {
      byte[] master = new byte[32];
      new java.security.SecureRandom().nextBytes(master);
      Path signingKeys = dir.resolve("signing.keys");
      Files.writeString(signingKeys, "key.k1=" + HexFormat.of().formatHex(master) + "\n");
      Path jobClient = security.writeClientProperties(dir.resolve("scheduler.properties"), "admin");
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
      grantWrite(kafka, security, config.topics().durableq(), "tenant-a");

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
      } finally {
        FlinkClusterExtension.cancel(job);
      }
    }
  }

  private static void grantWrite(
      EmbeddedKafka kafka, BrokerSecurity security, String topic, String user) throws Exception {
    Map<String, Object> p = new HashMap<>(security.clientProperties("admin"));
    p.put("bootstrap.servers", kafka.bootstrapServers());
    try (Admin admin = Admin.create(p)) {
      admin
          .createAcls(
              List.of(
                  new AclBinding(
                      new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL),
                      new AccessControlEntry(
                          "User:" + user, "*", AclOperation.WRITE, AclPermissionType.ALLOW))))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
  }
}
