package io.xfaas.security;

import io.xfaas.config.XfaasConfig;
import io.xfaas.config.XfaasOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.errors.ResourceNotFoundException;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A principal per tenant on an authenticated broker: a SCRAM user {@code tenant-<tenant>} with the
 * tenant's ACLs ({@link RoleAcls#forTenant}), its outcomes topic ({@link TenantOutcomes}), and in a
 * credentials folder the files the tenant's submitters need: its Kafka client properties, its
 * tenant keys file (when the operator holds the signing keys) and an xfaas configuration naming
 * both. Run as the operator, whose client settings it copies (truststore, mechanism).
 */
public final class TenantPrincipals {
  /** SCRAM usernames and topic names both take these; '.' and '_' only inside the name. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

  private static final int SCRAM_ITERATIONS = 8192;
  private static final long TIMEOUT_S = 30;

  private TenantPrincipals() {}

  /** What was made for a tenant. */
  public record Credentials(
      String principal, Path clientProperties, Path tenantKeys, Path config, boolean created) {}

  /** The SCRAM user of {@code tenant}. */
  public static String userOf(String tenant) {
    return "tenant-" + tenant;
  }

  /** The one consumer group the tenant's principal may use. */
  public static String groupOf(String tenant) {
    return "tenant-" + tenant;
  }

  /** Whether {@code tenant} can have a principal (its name is a Kafka user and topic name). */
  public static boolean validName(String tenant) {
    return tenant != null && NAME.matcher(tenant).matches();
  }

  /**
   * Creates {@code tenant}'s principal unless its user exists already (then its files are left as
   * they are: a second {@code tenants set} must not change a running submitter's password).
   *
   * @param operator the operator's configuration: broker, client settings, topics, and {@code
   *     xfaas.security.signing-keys-file} when the tenant should get its keys file too
   * @param dir where the tenant's files go
   */
  public static Credentials ensure(XfaasConfig operator, String tenant, Path dir) {
    if (!validName(tenant)) {
      throw new IllegalArgumentException(
          "tenant '" + tenant + "' cannot have a principal: use letters, digits, '.', '_', '-'");
    }
    Map<String, String> client = operator.kafkaClientProperties();
    String mechanism = client.getOrDefault("sasl.mechanism", "");
    if (!mechanism.startsWith("SCRAM-")) {
      throw new IllegalStateException(
          "tenant principals need the operator on a SCRAM broker ("
              + XfaasOptions.KAFKA_CLIENT_PROPERTIES_FILE.key()
              + " with sasl.mechanism=SCRAM-SHA-512)");
    }
    String user = userOf(tenant);
    Path clientFile = dir.resolve(user + ".properties");
    Path keysFile = dir.resolve(user + ".keys");
    Path configFile = dir.resolve(user + ".xfaas.properties");
    Map<String, Object> conf = new HashMap<>(client);
    conf.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, operator.bootstrapServers());
    try (Admin admin = Admin.create(conf)) {
      boolean exists = userExists(admin, user);
      if (!exists) {
        String password = Scram.randomPassword();
        admin
            .alterUserScramCredentials(
                List.of(
                    new UserScramCredentialUpsertion(
                        user,
                        new ScramCredentialInfo(
                            ScramMechanism.fromMechanismName(mechanism), SCRAM_ITERATIONS),
                        password)))
            .all()
            .get(TIMEOUT_S, TimeUnit.SECONDS);
        Files.createDirectories(dir);
        Map<String, String> own = new HashMap<>(client);
        own.put("sasl.jaas.config", Scram.jaasConfig(user, password));
        writePrivate(clientFile, own, "Kafka client settings of " + user);
      }
      admin
          .createAcls(RoleAcls.forTenant("User:" + user, tenant, operator))
          .all()
          .get(TIMEOUT_S, TimeUnit.SECONDS);
      createOutcomesTopic(admin, TenantOutcomes.topic(operator.topics(), tenant));
      String signingKeys = operator.get(XfaasOptions.SECURITY_SIGNING_KEYS_FILE);
      Path keys = null;
      if (!signingKeys.isBlank()) {
        keys = keysFile;
        if (!exists || !Files.exists(keysFile)) writeTenantKeys(Path.of(signingKeys), tenant, keys);
      }
      if (!exists || !Files.exists(configFile)) {
        Map<String, String> xfaas = new HashMap<>();
        xfaas.put(XfaasOptions.REGION.key(), operator.region());
        xfaas.put(XfaasOptions.BOOTSTRAP_SERVERS.key(), operator.bootstrapServers());
        xfaas.put(
            XfaasOptions.KAFKA_CLIENT_PROPERTIES_FILE.key(),
            clientFile.toAbsolutePath().toString());
        if (keys != null) {
          xfaas.put(XfaasOptions.SECURITY_TENANT_KEYS_FILE.key(), keys.toAbsolutePath().toString());
        }
        writePrivate(configFile, xfaas, "xfaas configuration of tenant " + tenant);
      }
      return new Credentials("User:" + user, clientFile, keys, configFile, !exists);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "could not create the principal of tenant " + tenant + ": " + e.getCause(), e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("Kafka did not answer in " + TIMEOUT_S + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean userExists(Admin admin, String user)
      throws InterruptedException, TimeoutException, ExecutionException {
    try {
      return !admin
          .describeUserScramCredentials(List.of(user))
          .description(user)
          .get(TIMEOUT_S, TimeUnit.SECONDS)
          .credentialInfos()
          .isEmpty();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ResourceNotFoundException) return false;
      throw e;
    }
  }

  private static void createOutcomesTopic(Admin admin, String topic)
      throws InterruptedException, TimeoutException, ExecutionException {
    try {
      admin
          .createTopics(List.of(new NewTopic(topic, Optional.of(1), Optional.empty())))
          .all()
          .get(TIMEOUT_S, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) throw e;
    }
  }

  private static void writeTenantKeys(Path signingKeys, String tenant, Path file)
      throws IOException {
    SigningKeys.Key key = SigningKeys.load(signingKeys).current();
    String line =
        InvocationSigner.keyLine(
            tenant, key.id(), InvocationSignature.tenantKey(key.secret(), tenant));
    Files.writeString(file, line + "\n", StandardCharsets.UTF_8);
    ownerOnly(file);
  }

  private static void writePrivate(Path file, Map<String, String> values, String comment)
      throws IOException {
    Properties p = new Properties();
    p.putAll(values);
    try (OutputStream os = Files.newOutputStream(file)) {
      p.store(os, comment);
    }
    ownerOnly(file);
  }

  private static void ownerOnly(Path file) {
    file.toFile().setReadable(false, false);
    file.toFile().setReadable(true, true);
  }
}
