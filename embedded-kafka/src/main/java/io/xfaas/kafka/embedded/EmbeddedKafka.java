package io.xfaas.kafka.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) running inside this JVM.
 *
 * <p>Used by the local stack and by integration tests. Clients connect through {@link
 * #bootstrapServers()} like to any other broker; transactions, compaction and consumer groups
 * behave as on a production cluster with replication factor 1.
 *
 * <pre>{@code
 * try (EmbeddedKafka kafka = EmbeddedKafka.builder().build().start()) {
 *   kafka.createTopics(Map.of("calls", 4));
 *   kafka.createTopic("state", 1, Map.of("cleanup.policy", "compact"));
 *   producerProps.put("bootstrap.servers", kafka.bootstrapServers());
 *   ...
 *   kafka.restart(); // same ports, same log dir: committed data survives
 * }
 * }</pre>
 *
 * <p>The broker logs through SLF4J under the {@code kafka}, {@code org.apache.kafka} and {@code
 * state.change.logger} categories; configure those at WARN to keep it quiet. Instances are
 * thread-safe.
 */
public final class EmbeddedKafka implements EmbeddedBrokers {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

  private static final int DEFAULT_NODE_ID = 1;
  private static final String CONTROLLER_LISTENER = "CONTROLLER";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  // An auto-picked port can be taken by someone else between probing and binding it.
  private static final int BIND_ATTEMPTS = 3;

  private final int requestedPort;
  private final int requestedControllerPort;
  private final Path requestedLogDir;
  private final Map<String, String> brokerOverrides;
  private final Map<String, Short> formatFeatures;
  private final BrokerSecurity security; // null: the plaintext, open broker
  private final int nodeId;
  private final String quorumVoters; // null: this node is the only voter

  // Resolved on first start and then kept, so restart() comes back at the same address.
  private int port;
  private int controllerPort;
  private Path logDir;
  private boolean ownsLogDir;
  private final String clusterId;

  private KafkaRaftServer server;
  private Admin admin;
  private boolean closed;

  private EmbeddedKafka(Builder b) {
    this.requestedPort = b.port;
    this.requestedControllerPort = b.controllerPort;
    this.requestedLogDir = b.logDir;
    this.brokerOverrides = Map.copyOf(b.brokerProperties);
    this.formatFeatures = Map.copyOf(b.features);
    this.security = b.security;
    this.nodeId = b.nodeId;
    this.quorumVoters = b.quorumVoters;
    this.clusterId = b.clusterId != null ? b.clusterId : Uuid.randomUuid().toString();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts the broker and blocks until it answers an Admin {@code describeCluster}. A no-op when
   * already running.
   *
   * @return this
   * @throws IllegalStateException if the broker does not come up, or after {@link #close()}
   */
  public synchronized EmbeddedKafka start() {
    if (closed) {
      throw new IllegalStateException("EmbeddedKafka is closed");
    }
    if (server != null) {
      return this;
    }
    long t0 = System.nanoTime();
    if (logDir == null) {
      logDir = prepareLogDir();
    }
    boolean autoPorts = port == 0 && (requestedPort == 0 || requestedControllerPort == 0);
    for (int attempt = 1; ; attempt++) {
      if (port == 0) {
        port = requestedPort != 0 ? requestedPort : BrokerAdmin.freePort();
        controllerPort =
            requestedControllerPort != 0 ? requestedControllerPort : BrokerAdmin.freePort();
      }
      try {
        startOnce();
        break;
      } catch (RuntimeException e) {
        if (autoPorts && attempt < BIND_ATTEMPTS && isBindFailure(e)) {
          LOG.info("Port {} or {} got taken, retrying on others", port, controllerPort);
          port = 0;
          controllerPort = 0;
          continue;
        }
        throw new IllegalStateException(
            "Embedded Kafka failed to start on " + bootstrapServers() + " with " + logDir, e);
      }
    }
    LOG.info(
        "Embedded Kafka up at {} (controller port {}, log dir {}) in {} ms",
        bootstrapServers(),
        controllerPort,
        logDir,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    return this;
  }

  private void startOnce() {
    Properties props = brokerProperties();
    format(props);
    KafkaRaftServer s = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
    try {
      s.startup();
      server = s;
      awaitBrokerAnswers();
    } catch (RuntimeException e) {
      server = null;
      closeAdmin();
      shutdownQuietly(s);
      throw e;
    }
  }

  /** Stops the broker and keeps the log dir, so a later {@link #start()} finds the data. */
  public synchronized void stop() {
    if (server == null) {
      return;
    }
    long t0 = System.nanoTime();
    closeAdmin();
    KafkaRaftServer s = server;
    server = null;
    s.shutdown();
    s.awaitShutdown();
    LOG.info(
        "Embedded Kafka at {} stopped in {} ms",
        bootstrapServers(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
  }

  /**
   * Stops the broker and starts it again on the same ports and log dir, as after a broker crash and
   * recovery (with a clean shutdown, so nothing acknowledged is lost).
   */
  public synchronized EmbeddedKafka restart() {
    stop();
    return start();
  }

  /** Stops the broker and deletes the log dir if this instance created it. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    try {
      stop();
    } finally {
      closed = true;
      if (ownsLogDir && logDir != null) {
        deleteRecursively(logDir);
      }
    }
  }

  /**
   * {@code localhost:PORT} of the client listener; defined once started, and stable across
   * restarts.
   */
  /** The broker's security, or null for the plaintext, open broker. */
  public BrokerSecurity security() {
    return security;
  }

  @Override
  public synchronized String bootstrapServers() {
    if (port == 0) {
      throw new IllegalStateException("EmbeddedKafka has not been started");
    }
    return "localhost:" + port;
  }

  /** The broker's data directory; defined once started. */
  public synchronized Path logDir() {
    if (logDir == null) {
      throw new IllegalStateException("EmbeddedKafka has not been started");
    }
    return logDir;
  }

  /**
   * Creates the topics (the broker's default replication factor: 1 on its own) that do not exist
   * yet, and waits until every partition has a leader. Existing topics are left as they are.
   */
  @Override
  public void createTopics(Map<String, Integer> partitionsByTopic) {
    List<NewTopic> topics = new ArrayList<>();
    partitionsByTopic.forEach((name, partitions) -> topics.add(newTopic(name, partitions, null)));
    createAndAwait(topics);
  }

  /**
   * Creates one topic with topic-level configs (for example {@code cleanup.policy=compact}) unless
   * it exists, and waits until every partition has a leader. An existing topic is left as it is.
   */
  @Override
  public void createTopic(String name, int partitions, Map<String, String> topicConfigs) {
    createAndAwait(List.of(newTopic(name, partitions, topicConfigs)));
  }

  private static NewTopic newTopic(String name, int partitions, Map<String, String> configs) {
    Objects.requireNonNull(name, "topic name");
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be >= 1 for topic " + name);
    }
    // The broker's default.replication.factor: 1 alone, 3 in an EmbeddedKafkaCluster.
    NewTopic topic = new NewTopic(name, Optional.of(partitions), Optional.empty());
    if (configs != null && !configs.isEmpty()) {
      topic.configs(configs);
    }
    return topic;
  }

  private synchronized void createAndAwait(List<NewTopic> topics) {
    if (!topics.isEmpty()) BrokerAdmin.createTopics(admin(), topics);
  }

  private Properties brokerProperties() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("process.roles", "broker,controller");
    p.put("node.id", Integer.toString(nodeId));
    p.put(
        "controller.quorum.voters",
        quorumVoters != null ? quorumVoters : nodeId + "@localhost:" + controllerPort);
    p.put(
        "listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
    p.put("controller.listener.names", CONTROLLER_LISTENER);
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("log.dirs", logDir.toAbsolutePath().toString());
    // A single node cannot satisfy the production replication defaults of internal topics.
    p.putAll(replicationProperties(1, 1));
    // Fewer internal partitions: their creation is on the path of the first group join and the
    // first transaction, and one broker gains nothing from 50.
    p.put("offsets.topic.num.partitions", "5");
    p.put("transaction.state.log.num.partitions", "5");
    p.put("share.coordinator.state.topic.num.partitions", "5");
    p.put("group.initial.rebalance.delay.ms", "0");
    // Topics are declared by their owners; a typo must fail, not create a stray topic.
    p.put("auto.create.topics.enable", "false");
    p.put("num.partitions", "1");
    // Flink exactly-once sinks need transaction.timeout.ms below this (15 min).
    p.put("transaction.max.timeout.ms", "900000");
    // The cleaner otherwise allocates 128 MB of heap up front, in a JVM shared with Flink.
    p.put("log.cleaner.dedupe.buffer.size", Integer.toString(16 * 1024 * 1024));
    // Fewer threads: this runs beside Flink on small machines.
    p.put("num.network.threads", "2");
    p.put("num.io.threads", "4");
    p.put("num.recovery.threads.per.data.dir", "1");
    p.put("background.threads", "4");

    // Drop settings this Kafka version does not know, so a version change does not warn on each
    // start.
    Set<String> known = KafkaConfig.configDef().names();
    p.keySet().removeIf(k -> !known.contains(k));
    if (security != null) p.putAll(security.brokerProperties(port, controllerPort));
    p.putAll(brokerOverrides);

    Properties props = new Properties();
    props.putAll(p);
    return props;
  }

  /**
   * Every topic's replication, the internal topics' too: {@code factor} replicas, of which {@code
   * minIsr} must have a write before it is acknowledged ({@code acks=all}).
   */
  static Map<String, String> replicationProperties(int factor, int minIsr) {
    String rf = Integer.toString(factor);
    String isr = Integer.toString(minIsr);
    Map<String, String> p = new LinkedHashMap<>();
    p.put("default.replication.factor", rf);
    p.put("min.insync.replicas", isr);
    p.put("offsets.topic.replication.factor", rf);
    p.put("transaction.state.log.replication.factor", rf);
    p.put("transaction.state.log.min.isr", isr);
    p.put("share.coordinator.state.topic.replication.factor", rf);
    p.put("share.coordinator.state.topic.min.isr", isr);
    return p;
  }

  /** Formats the log dir for KRaft unless it already is (then it keeps its cluster id). */
  private void format(Properties props) {
    if (Files.exists(logDir.resolve("meta.properties"))) {
      return;
    }
    Path config = null;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      config = Files.createTempFile("xfaas-kafka-format-", ".properties");
      try (OutputStream os = Files.newOutputStream(config)) {
        props.store(os, "embedded Kafka, for kafka-storage format");
      }
      List<String> args =
          new ArrayList<>(
              List.of(
                  "format",
                  "-t",
                  clusterId,
                  "-c",
                  config.toAbsolutePath().toString(),
                  "--ignore-formatted"));
      formatFeatures.forEach(
          (name, level) -> args.addAll(List.of("--feature", name + "=" + level)));
      if (security != null) args.addAll(security.formatArguments());
      int rc;
      try (PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8)) {
        rc = StorageTool.execute(args.toArray(String[]::new), ps);
      }
      if (rc != 0) {
        throw new IllegalStateException(
            "Formatting "
                + logDir
                + " failed ("
                + rc
                + "): "
                + out.toString(StandardCharsets.UTF_8));
      }
      LOG.debug("Formatted {}: {}", logDir, out.toString(StandardCharsets.UTF_8).trim());
    } catch (IOException e) {
      throw new UncheckedIOException("Could not format " + logDir, e);
    } catch (IllegalStateException e) {
      throw e;
    } catch (RuntimeException e) {
      // StorageTool reports bad settings by throwing (TerseFailure, FormatterException).
      throw new IllegalStateException(
          "Formatting " + logDir + " failed: " + out.toString(StandardCharsets.UTF_8), e);
    } finally {
      if (config != null) {
        try {
          Files.deleteIfExists(config);
        } catch (IOException e) {
          LOG.debug("Could not delete {}", config, e);
        }
      }
    }
  }

  private void awaitBrokerAnswers() {
    Admin a = admin();
    BrokerAdmin.awaitCondition(
        "broker at " + bootstrapServers() + " to answer",
        START_TIMEOUT,
        () -> {
          // Nodes only lists unfenced brokers, i.e. ones that accept produce and fetch requests.
          var nodes = a.describeCluster().nodes().get(5, TimeUnit.SECONDS);
          return nodes.stream().map(Node::id).anyMatch(id -> id == nodeId);
        });
  }

  private Admin admin() {
    if (server == null) {
      throw new IllegalStateException("EmbeddedKafka is not running");
    }
    if (admin == null) {
      admin =
          BrokerAdmin.create(
              bootstrapServers(),
              "xfaas-embedded-kafka-admin",
              security != null ? security.clientProperties(security.admin()) : Map.of());
    }
    return admin;
  }

  private void closeAdmin() {
    if (admin != null) {
      try {
        admin.close(Duration.ofSeconds(5));
      } catch (RuntimeException e) {
        LOG.debug("Closing the admin client failed", e);
      }
      admin = null;
    }
  }

  private Path prepareLogDir() {
    try {
      if (requestedLogDir == null) {
        ownsLogDir = true;
        return Files.createTempDirectory("xfaas-kafka-");
      }
      return Files.createDirectories(requestedLogDir.toAbsolutePath());
    } catch (IOException e) {
      throw new UncheckedIOException("Could not create the Kafka log dir", e);
    }
  }

  private static boolean isBindFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException
          || Optional.ofNullable(t.getMessage()).orElse("").contains("Address already in use")) {
        return true;
      }
    }
    return false;
  }

  private static void shutdownQuietly(KafkaRaftServer s) {
    try {
      s.shutdown();
      s.awaitShutdown();
    } catch (RuntimeException e) {
      LOG.debug("Shutting down a broker that failed to start failed too", e);
    }
  }

  private static void deleteRecursively(Path root) {
    try {
      Utils.delete(root.toFile()); // Kafka's own: skips what is already gone
    } catch (IOException e) {
      LOG.warn("Could not delete the Kafka log dir {}", root, e);
    }
  }

  /** Builder for {@link EmbeddedKafka}; every setting has a default. */
  public static final class Builder {
    private int port;
    private int controllerPort;
    private Path logDir;
    private final Map<String, String> brokerProperties = new LinkedHashMap<>();
    private final Map<String, Short> features = new LinkedHashMap<>();
    private BrokerSecurity security;
    private int nodeId = DEFAULT_NODE_ID;
    private String quorumVoters;
    private String clusterId;

    private Builder() {}

    /** This node's id in a cluster of several (default 1). */
    public Builder nodeId(int nodeId) {
      if (nodeId < 0) throw new IllegalArgumentException("node id must be >= 0: " + nodeId);
      this.nodeId = nodeId;
      return this;
    }

    /**
     * The KRaft controller quorum, {@code id@host:port,...}, when this node is one of several (see
     * {@link EmbeddedKafkaCluster}); null (default): this node is its only voter.
     */
    public Builder quorumVoters(String quorumVoters) {
      this.quorumVoters = quorumVoters;
      return this;
    }

    /** The cluster id the log dir is formatted with; every node of a cluster shares it. */
    public Builder clusterId(String clusterId) {
      this.clusterId = clusterId;
      return this;
    }

    /**
     * Clients authenticate (SASL_SSL with SCRAM) and are authorized by ACLs ({@link
     * BrokerSecurity}); null (default) keeps the plaintext listener open to all.
     */
    public Builder security(BrokerSecurity security) {
      this.security = security;
      return this;
    }

    /** Client listener port; 0 (default) picks a free one. */
    public Builder port(int port) {
      this.port = checkPort(port);
      return this;
    }

    /** KRaft controller listener port; 0 (default) picks a free one. */
    public Builder controllerPort(int controllerPort) {
      this.controllerPort = checkPort(controllerPort);
      return this;
    }

    /**
     * Data directory, created if missing and kept on close; {@code null} (default) uses a fresh
     * temp dir under {@code java.io.tmpdir} that {@link EmbeddedKafka#close()} deletes.
     */
    public Builder logDir(Path logDir) {
      this.logDir = logDir;
      return this;
    }

    /** Overrides or adds a broker config, e.g. {@code log.retention.ms}. Applied last. */
    public Builder brokerProperty(String key, String value) {
      brokerProperties.put(Objects.requireNonNull(key), Objects.requireNonNull(value));
      return this;
    }

    /**
     * Sets a cluster feature level when the log dir is formatted (only on first start), like {@code
     * kafka-storage format --feature name=level}, e.g. {@code transaction.version=1}.
     */
    public Builder feature(String name, int level) {
      if (level < 0 || level > Short.MAX_VALUE) {
        throw new IllegalArgumentException("feature level out of range: " + level);
      }
      features.put(Objects.requireNonNull(name), (short) level);
      return this;
    }

    public EmbeddedKafka build() {
      return new EmbeddedKafka(this);
    }

    private static int checkPort(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
      return port;
    }
  }
}
