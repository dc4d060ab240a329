package io.xfaas.local;

import io.xfaas.config.XfaasConfig;
import io.xfaas.config.XfaasOption;
import io.xfaas.config.XfaasOptions;
import io.xfaas.kafka.embedded.BrokerSecurity;
import io.xfaas.security.RoleAcls;
import io.xfaas.security.RoleAcls.Role;
import io.xfaas.security.SigningKeys;
import io.xfaas.security.TenantPrincipals;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AclBinding;

/**
 * What {@code xfaas local --secure} adds to the local stack: the broker's TLS material and SCRAM
 * users ({@link BrokerSecurity}), one principal per role with exactly its ACLs ({@link RoleAcls})
 * and a client properties file each, the scheduler's signing keys file, and signing required. All
 * of it lives in one folder of the data dir, readable by its owner only:
 *
 * <pre>
 * secure/tls/                      keystore, truststore, passwords
 * secure/ROLE.properties           Kafka client settings of scheduler, sidecar, gtc, operator, analyst
 * secure/operator.xfaas.properties the operator's xfaas configuration (./xfaas --config ...)
 * secure/analyst.xfaas.properties  the analyst's
 * secure/signing.keys              the scheduler's master secret
 * secure/tenants/                  a principal per tenant (xfaas tenants set as the operator)
 * </pre>
 *
 * @param dir the folder
 * @param broker the broker's TLS material and SCRAM users
 * @param signingKeys the scheduler's signing keys file
 */
public record SecureLocal(Path dir, BrokerSecurity broker, Path signingKeys) {
  /** The roles that run as a user of their own, and their SCRAM user names. */
  static final Map<Role, String> USERS = users();

  /** The TLS material, passwords and signing keys in {@code dir}: kept ones, or new. */
  public static SecureLocal prepare(Path dir) {
    Map<String, String> passwords = new LinkedHashMap<>();
    USERS.values().forEach(u -> passwords.put(u, randomHex(16)));
    BrokerSecurity security = BrokerSecurity.openOrCreate(dir.resolve("tls"), passwords);
    Path keys = dir.resolve("signing.keys");
    if (!Files.exists(keys)) {
      writeOwnerOnly(
          keys,
          "# The scheduler's signing keys (docs/security.md): key.ID = master secret\n"
              + "key.k1="
              + randomHex(SigningKeys.MIN_SECRET_BYTES)
              + "\n");
    }
    return new SecureLocal(dir, security, keys);
  }

  /** Where the tenants' principals' files go. */
  public Path tenantsDir() {
    return dir.resolve("tenants");
  }

  /** The configuration every component starts from: signing required, under these keys. */
  public XfaasConfig base(XfaasConfig config) {
    return config.with(
        Map.of(
            XfaasOptions.SECURITY_SIGNING.key(),
            "required",
            XfaasOptions.SECURITY_SIGNING_KEYS_FILE.key(),
            signingKeys.toString()));
  }

  /** {@code config} as {@code role}'s principal. */
  public XfaasConfig as(Role role, XfaasConfig config) {
    if (!USERS.containsKey(role)) {
      throw new IllegalArgumentException(role + " has no user of its own");
    }
    Path file = clientFile(role);
    Map<String, String> over = new HashMap<>();
    over.put(XfaasOptions.KAFKA_CLIENT_PROPERTIES_FILE.key(), file.toString());
    if (role == Role.OPERATOR) {
      over.put(XfaasOptions.SECURITY_CREDENTIALS_DIR.key(), tenantsDir().toString());
    }
    return config.with(over);
  }

  /** {@code config} as the broker's admin (a super user): for creating the topics. */
  public XfaasConfig asAdmin(XfaasConfig config) {
    Path file = dir.resolve("admin.properties");
    if (!Files.exists(file)) broker.writeClientProperties(file, broker.admin());
    return config.with(Map.of(XfaasOptions.KAFKA_CLIENT_PROPERTIES_FILE.key(), file.toString()));
  }

  /** The admin's client settings: for what the local stack itself watches (the status line). */
  public Map<String, String> adminClient() {
    Map<String, String> m = new HashMap<>();
    broker.clientProperties(broker.admin()).forEach((k, v) -> m.put(k, v.toString()));
    return m;
  }

  /**
   * On the running broker, as admin: every role's SCRAM user (again, with its kept password, so a
   * restarted stack's users match the files) and its ACLs over {@code config}'s topics; then each
   * role's client properties file and the operator's and analyst's xfaas configurations.
   */
  public void grant(XfaasConfig config) throws Exception {
    Map<String, Object> conf = new HashMap<>(adminClient());
    conf.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    List<UserScramCredentialAlteration> users = new ArrayList<>();
    List<AclBinding> acls = new ArrayList<>();
    USERS.forEach(
        (role, user) -> {
          users.add(
              new UserScramCredentialUpsertion(
                  user,
                  new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192),
                  broker.password(user)));
          acls.addAll(RoleAcls.of(role, "User:" + user, config));
        });
    try (Admin admin = Admin.create(conf)) {
      admin.alterUserScramCredentials(users).all().get(30, TimeUnit.SECONDS);
      admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
    }
    USERS.forEach((role, user) -> broker.writeClientProperties(clientFile(role), user));
    writeConfig(dir.resolve("operator.xfaas.properties"), as(Role.OPERATOR, base(config)));
    writeConfig(dir.resolve("analyst.xfaas.properties"), as(Role.ANALYST, config));
  }

  /** The client properties file of {@code role}'s user. */
  private Path clientFile(Role role) {
    return dir.resolve(USERS.get(role) + ".properties");
  }

  /** A principal for {@code tenant} (as the operator), and its configuration as a submitter. */
  public XfaasConfig tenant(String tenant, XfaasConfig config) {
    TenantPrincipals.Credentials c =
        TenantPrincipals.ensure(as(Role.OPERATOR, base(config)), tenant, tenantsDir());
    return config.with(
        Map.of(
            XfaasOptions.KAFKA_CLIENT_PROPERTIES_FILE.key(), c.clientProperties().toString(),
            XfaasOptions.SECURITY_TENANT_KEYS_FILE.key(), c.tenantKeys().toString()));
  }

  private static void writeConfig(Path file, XfaasConfig config) {
    StringBuilder s = new StringBuilder("# xfaas local --secure: ./xfaas --config ").append(file);
    s.append('\n');
    // Every option that is not its default, so that the file alone is this stack's configuration.
    for (XfaasOption<?> option : XfaasOptions.ALL) {
      String v = text(config, option);
      if (!v.equals(defaultText(option))) {
        Properties one = new Properties();
        one.setProperty(option.key(), v);
        s.append(propertyLine(one));
      }
    }
    writeOwnerOnly(file, s.toString());
  }

  private static <T> String text(XfaasConfig config, XfaasOption<T> option) {
    return config.text(option);
  }

  private static <T> String defaultText(XfaasOption<T> option) {
    return option.format(option.defaultValue());
  }

  /** One property as Properties.store escapes it, without its date comment. */
  private static String propertyLine(Properties one) {
    java.io.StringWriter w = new java.io.StringWriter();
    try {
      one.store(w, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String text = w.toString();
    return text.substring(text.indexOf('\n') + 1);
  }

  private static void writeOwnerOnly(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      try (OutputStream os = Files.newOutputStream(file)) {
        os.write(text.getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    file.toFile().setReadable(false, false);
    file.toFile().setReadable(true, true);
  }

  private static String randomHex(int bytes) {
    byte[] b = new byte[bytes];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  private static Map<Role, String> users() {
    Map<Role, String> m = new EnumMap<>(Role.class);
    m.put(Role.SCHEDULER, "scheduler");
    m.put(Role.SIDECAR, "sidecar");
    m.put(Role.GTC, "gtc");
    m.put(Role.OPERATOR, "operator");
    m.put(Role.ANALYST, "analyst");
    return m;
  }
}
