package io.xfaas.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded broker with {@link BrokerSecurity}: SASL_SSL with SCRAM, and ACLs. A client without
 * credentials or with a wrong password does not get in; an authenticated user can do only what an
 * ACL grants.
 */
class SecureBrokerITCase {
  @TempDir static Path dir;
  private static EmbeddedKafka kafka;

  @BeforeAll
  static void start() {
    BrokerSecurity security =
        BrokerSecurity.create(dir.resolve("tls"), Map.of("tenant-a", "a-password"));
    kafka = EmbeddedKafka.builder().security(security).build().start();
    kafka.createTopics(Map.of("durableq", 1, "runq", 1));
  }

  @AfterAll
  static void stop() {
    if (kafka != null) kafka.close();
  }

  private static Map<String, Object> base() {
    Map<String, Object> p = new HashMap<>();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    return p;
  }

  private static KafkaProducer<byte[], byte[]> producer(Map<String, Object> security) {
    Map<String, Object> p = base();
    p.remove(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG);
    p.putAll(security);
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static void send(KafkaProducer<byte[], byte[]> producer, String topic) throws Exception {
    producer
        .send(new ProducerRecord<>(topic, "v".getBytes(StandardCharsets.UTF_8)))
        .get(20, TimeUnit.SECONDS);
  }

  @Test
  void aClientWithoutCredentialsDoesNotGetIn() {
    // A plaintext client on the SASL_SSL port never completes a request.
    Map<String, Object> p = base();
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
    try (Admin anonymous = Admin.create(p)) {
      assertThatThrownBy(() -> anonymous.describeCluster().nodes().get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class);
    }
  }

  @Test
  void aWrongPasswordIsRefused() {
    BrokerSecurity security = kafka.security();
    try (var producer = producer(security.clientProperties("tenant-a", "not-the-password"))) {
      assertThatThrownBy(() -> send(producer, "durableq"))
          .hasRootCauseInstanceOf(SaslAuthenticationException.class);
    }
  }

  @Test
  void anAuthenticatedUserMayDoOnlyWhatAnAclGrants() throws Exception {
    BrokerSecurity security = kafka.security();
    try (var producer = producer(security.clientProperties("tenant-a"))) {
      assertThatThrownBy(() -> send(producer, "durableq"))
          .hasCauseInstanceOf(TopicAuthorizationException.class);
    }
    Map<String, Object> admin = base();
    admin.putAll(security.clientProperties(security.admin()));
    try (Admin a = Admin.create(admin)) {
      a.createAcls(
              List.of(
                  new AclBinding(
                      new ResourcePattern(ResourceType.TOPIC, "durableq", PatternType.LITERAL),
                      new AccessControlEntry(
                          "User:tenant-a", "*", AclOperation.WRITE, AclPermissionType.ALLOW))))
          .all()
          .get(15, TimeUnit.SECONDS);
    }
    // ACLs reach the authorizer through the metadata log: allow it a moment.
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      try (var producer = producer(security.clientProperties("tenant-a"))) {
        send(producer, "durableq");
        assertThatThrownBy(() -> send(producer, "runq"))
            .hasCauseInstanceOf(TopicAuthorizationException.class);
        break;
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicAuthorizationException)
            || System.nanoTime() > deadline) {
          throw e;
        }
      }
    }
  }

  @Test
  void aClientPropertiesFileIsWhatKafkaToolsTakeAsCommandConfig() throws Exception {
    BrokerSecurity security = kafka.security();
    Path file = security.writeClientProperties(dir.resolve("tenant-a.properties"), "tenant-a");
    Properties read = new Properties();
    try (var in = Files.newInputStream(file)) {
      read.load(in);
    }
    Map<String, Object> p = base();
    read.forEach((k, v) -> p.put(k.toString(), v));
    try (Admin a = Admin.create(p)) {
      assertThat(a.describeCluster().nodes().get(15, TimeUnit.SECONDS)).hasSize(1);
    }
  }
}
