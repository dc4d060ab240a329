package io.xfaas.kafka.embedded;

import io.xfaas.security.Scram;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * An authenticated embedded broker: clients connect over TLS with SCRAM-SHA-512 (SASL_SSL), the
 * KRaft controller listener takes the broker's own certificate only (mutual TLS), and KRaft's
 * {@code StandardAuthorizer} allows nothing that no ACL grants, except to the admin user.
 *
 * <p>{@link #create} makes a self-signed certificate for {@code localhost} with the JDK's keytool
 * (a PKCS12 keystore for the broker and a truststore for clients); SCRAM users are written when the
 * log dir is formatted, so they exist from the first request on.
 */
public final class BrokerSecurity {
  /** The SASL mechanism of every client. */
  public static final String MECHANISM = "SCRAM-SHA-512";

  /** The broker's principal on its controller listener (its certificate's subject). */
  static final String BROKER_CERT_PRINCIPAL = "User:CN=localhost";

  private final Path keystore;
  private final Path truststore;
  private final String storePassword;
  private final String admin;
  private final Map<String, String> users;

  private BrokerSecurity(
      Path keystore,
      Path truststore,
      String storePassword,
      String admin,
      Map<String, String> users) {
    this.keystore = keystore;
    this.truststore = truststore;
    this.storePassword = storePassword;
    this.admin = admin;
    this.users = users;
  }

  /**
   * New TLS material in {@code dir} and an admin user (a super user) with a random password.
   *
   * @param users further SCRAM users and their passwords, with no rights until ACLs grant them
   */
  public static BrokerSecurity create(Path dir, Map<String, String> users) {
    String password = Scram.randomPassword();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Path keystore = dir.resolve("broker.p12");
    Path truststore = dir.resolve("truststore.p12");
    Path cert = dir.resolve("broker.crt");
    keytool(
        keystore,
        password,
        "-genkeypair",
        "-alias",
        "localhost",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=localhost",
        "-ext",
        "SAN=dns:localhost,ip:127.0.0.1",
        "-validity",
        "3650",
        "-keypass",
        password);
    keytool(keystore, password, "-exportcert", "-alias", "localhost", "-file", cert.toString());
    keytool(
        truststore,
        password,
        "-importcert",
        "-noprompt",
        "-alias",
        "localhost",
        "-file",
        cert.toString());
    Map<String, String> all = new LinkedHashMap<>();
    all.put("admin", Scram.randomPassword());
    all.putAll(users);
    return new BrokerSecurity(keystore, truststore, password, "admin", all);
  }

  /**
   * The TLS material and users kept in {@code dir} by an earlier {@link #openOrCreate}, or new ones
   * (then kept there, readable by the owner only): a broker restarted on the same log dir keeps its
   * admin password. {@code users} missing from the kept ones are added with these passwords; they
   * exist in the broker only once created there (the log dir is formatted once).
   */
  public static BrokerSecurity openOrCreate(Path dir, Map<String, String> users) {
    Path secrets = dir.resolve("secrets.properties");
    BrokerSecurity s;
    if (Files.exists(secrets)) {
      Properties p = new Properties();
      try (var in = Files.newInputStream(secrets)) {
        p.load(in);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Map<String, String> all = new LinkedHashMap<>();
      for (String k : p.stringPropertyNames()) {
        if (k.startsWith("user.")) all.put(k.substring("user.".length()), p.getProperty(k));
      }
      users.forEach(all::putIfAbsent);
      s =
          new BrokerSecurity(
              dir.resolve("broker.p12"),
              dir.resolve("truststore.p12"),
              p.getProperty("store-password"),
              "admin",
              all);
    } else {
      s = create(dir, users);
    }
    Properties p = new Properties();
    p.setProperty("store-password", s.storePassword);
    s.users.forEach((u, pw) -> p.setProperty("user." + u, pw));
    try (OutputStream os = Files.newOutputStream(secrets)) {
      p.store(os, "passwords of the embedded broker's keystores and SCRAM users");
      secrets.toFile().setReadable(false, false);
      secrets.toFile().setReadable(true, true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return s;
  }

  /** Every SCRAM user and password, the admin's included. */
  public Map<String, String> users() {
    return java.util.Collections.unmodifiableMap(users);
  }

  /** The super user, for setting up topics and ACLs. */
  public String admin() {
    return admin;
  }

  /** The password of SCRAM user {@code user}. */
  public String password(String user) {
    String p = users.get(user);
    if (p == null) throw new IllegalArgumentException("no user " + user);
    return p;
  }

  public Path truststore() {
    return truststore;
  }

  public String truststorePassword() {
    return storePassword;
  }

  /** Client settings for {@code user} with {@code password} (right or wrong). */
  public Map<String, Object> clientProperties(String user, String password) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("security.protocol", "SASL_SSL");
    p.put("sasl.mechanism", MECHANISM);
    p.put("sasl.jaas.config", Scram.jaasConfig(user, password));
    p.put("ssl.truststore.type", "PKCS12");
    p.put("ssl.truststore.location", truststore.toString());
    p.put("ssl.truststore.password", storePassword);
    return p;
  }

  /** Client settings for a known user. */
  public Map<String, Object> clientProperties(String user) {
    return clientProperties(user, password(user));
  }

  /**
   * Writes {@code user}'s client settings as a properties file (Kafka's tools take it as {@code
   * --command-config}), readable by its owner only where the file system allows.
   */
  public Path writeClientProperties(Path file, String user) {
    Properties p = new Properties();
    clientProperties(user).forEach((k, v) -> p.setProperty(k, v.toString()));
    try (OutputStream os = Files.newOutputStream(file)) {
      p.store(os, "Kafka client settings of " + user);
      file.toFile().setReadable(false, false);
      file.toFile().setReadable(true, true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** The broker settings for these listener ports; applied after the plaintext defaults. */
  Map<String, String> brokerProperties(int port, int controllerPort) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put(
        "listeners", "SASL_SSL://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
    p.put("advertised.listeners", "SASL_SSL://localhost:" + port);
    p.put("listener.security.protocol.map", "SASL_SSL:SASL_SSL,CONTROLLER:SSL");
    p.put("inter.broker.listener.name", "SASL_SSL");
    p.put("sasl.enabled.mechanisms", MECHANISM);
    p.put("sasl.mechanism.inter.broker.protocol", MECHANISM);
    p.put(
        "listener.name.sasl_ssl." + MECHANISM.toLowerCase() + ".sasl.jaas.config",
        Scram.jaasConfig(admin, users.get(admin)));
    p.put("ssl.keystore.type", "PKCS12");
    p.put("ssl.keystore.location", keystore.toString());
    p.put("ssl.keystore.password", storePassword);
    p.put("ssl.key.password", storePassword);
    p.put("ssl.truststore.type", "PKCS12");
    p.put("ssl.truststore.location", truststore.toString());
    p.put("ssl.truststore.password", storePassword);
    // Only the holder of the broker's key gets through the controller listener.
    p.put("listener.name.controller.ssl.client.auth", "required");
    p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
    p.put("super.users", "User:" + admin + ";" + BROKER_CERT_PRINCIPAL);
    p.put("allow.everyone.if.no.acl.found", "false");
    return p;
  }

  /** The {@code kafka-storage format} arguments that create the SCRAM users. */
  List<String> formatArguments() {
    List<String> args = new ArrayList<>();
    users.forEach(
        (user, password) -> {
          args.add("--add-scram");
          args.add(MECHANISM + "=[name=" + user + ",password=" + password + "]");
        });
    return args;
  }

  /** Runs keytool {@code args} on the PKCS12 store {@code store} with password {@code password}. */
  private static void keytool(Path store, String password, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    command.addAll(
        List.of("-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", password));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("keytool " + args[0] + " failed: " + out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run keytool", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running keytool", e);
    }
  }
}
