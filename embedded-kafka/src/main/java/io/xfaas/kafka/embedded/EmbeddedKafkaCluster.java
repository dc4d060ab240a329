package io.xfaas.kafka.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A KRaft cluster of several Kafka brokers, each a separate process ({@link BrokerProcessMain}) so
 * that one can be killed with {@code kill -9} and brought back on its log directory. Every node is
 * broker and controller (three nodes keep a controller quorum when one dies). With three or more
 * nodes, topics (the internal ones too) have replication factor 3 and {@code
 * min.insync.replicas=2}, and unclean leader election is off: an acknowledged record ({@code
 * acks=all}) is on two brokers at least, and no replica that lacks it becomes leader.
 *
 * <pre>{@code
 * try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.builder().brokers(3).build().start()) {
 *   kafka.createTopics(Map.of("calls", 4));
 *   int leader = kafka.leaderOf(new TopicPartition("calls", 0));
 *   kafka.kill(leader);   // SIGKILL
 *   kafka.start(leader);  // same ports, same log dir
 *   kafka.awaitFullyReplicated(Duration.ofMinutes(1));
 * }
 * }</pre>
 *
 * <p>The processes run this JVM's class path; their output goes to {@code broker-N.log} in the
 * cluster's directory. A broker process ends by itself when this JVM does.
 */
public final class EmbeddedKafkaCluster implements EmbeddedBrokers {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaCluster.class);

  private final int size;
  private final Map<String, String> brokerOverrides;
  private final Duration startTimeout;
  private final String heap;
  private final String clusterId = Uuid.randomUuid().toString();
  private final Path requestedDir;

  private Path dir;
  private boolean ownsDir;
  private final Map<Integer, Integer> ports = new TreeMap<>();
  private final Map<Integer, Integer> controllerPorts = new TreeMap<>();
  private final Map<Integer, Process> processes = new TreeMap<>();
  private Admin admin;
  private boolean closed;

  private EmbeddedKafkaCluster(Builder b) {
    this.size = b.brokers;
    this.brokerOverrides = Map.copyOf(b.brokerProperties);
    this.startTimeout = b.startTimeout;
    this.heap = b.heap;
    this.requestedDir = b.dir;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The replication factor of every topic: 3, or the cluster's size when smaller. */
  public int replicationFactor() {
    return Math.min(3, size);
  }

  /** Node ids: 1 to the cluster's size. */
  public List<Integer> nodeIds() {
    List<Integer> ids = new ArrayList<>();
    for (int i = 1; i <= size; i++) ids.add(i);
    return ids;
  }

  /** Starts every broker process and waits until all of them serve clients. */
  public synchronized EmbeddedKafkaCluster start() {
    if (closed) throw new IllegalStateException("EmbeddedKafkaCluster is closed");
    if (!processes.isEmpty()) return this;
    long t0 = System.nanoTime();
    try {
      dir =
          requestedDir != null
              ? Files.createDirectories(requestedDir.toAbsolutePath())
              : Files.createTempDirectory("xfaas-kafka-cluster-");
      ownsDir = requestedDir == null;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not create the cluster's directory", e);
    }
    for (int id : nodeIds()) {
      ports.put(id, BrokerAdmin.freePort());
      controllerPorts.put(id, BrokerAdmin.freePort());
    }
    // The nodes start together: none serves clients before a quorum of controllers is up.
    for (int id : nodeIds()) processes.put(id, spawn(id));
    for (int id : nodeIds()) awaitReady(id);
    awaitNodes(Set.copyOf(nodeIds()));
    LOG.info(
        "Kafka cluster of {} broker processes up at {} in {} ms (directory {})",
        size,
        bootstrapServers(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0),
        dir);
    return this;
  }

  /** {@code kill -9} of broker {@code nodeId}'s process; returns once it is dead. */
  public synchronized void kill(int nodeId) {
    Process p = process(nodeId);
    p.destroyForcibly(); // SIGKILL
    awaitExit(nodeId, p);
    processes.remove(nodeId);
    LOG.info("Kafka broker {} (pid {}) killed with SIGKILL", nodeId, p.pid());
  }

  /** Stops broker {@code nodeId} cleanly (SIGTERM: a controlled shutdown). */
  public synchronized void stop(int nodeId) {
    Process p = process(nodeId);
    p.destroy(); // SIGTERM
    awaitExit(nodeId, p);
    processes.remove(nodeId);
  }

  /** Starts broker {@code nodeId} again on its ports and log directory; waits until it serves. */
  public synchronized void start(int nodeId) {
    if (processes.containsKey(nodeId)) return;
    if (!ports.containsKey(nodeId)) throw new IllegalArgumentException("no broker " + nodeId);
    processes.put(nodeId, spawn(nodeId));
    awaitReady(nodeId);
    awaitNodes(processes.keySet());
    LOG.info("Kafka broker {} started again", nodeId);
  }

  /** Whether broker {@code nodeId}'s process is running. */
  public synchronized boolean isRunning(int nodeId) {
    Process p = processes.get(nodeId);
    return p != null && p.isAlive();
  }

  /** The process id of broker {@code nodeId}. */
  public synchronized long pid(int nodeId) {
    return process(nodeId).pid();
  }

  @Override
  public synchronized String bootstrapServers() {
    if (ports.isEmpty()) throw new IllegalStateException("EmbeddedKafkaCluster has not started");
    return ports.values().stream().map(p -> "localhost:" + p).collect(Collectors.joining(","));
  }

  /** The node leading {@code partition} now, or -1 when it has none. */
  public int leaderOf(TopicPartition partition) {
    TopicPartitionInfo info = describe(partition.topic()).get(partition.partition());
    return info.leader() == null || info.leader().isEmpty() ? -1 : info.leader().id();
  }

  /** The in-sync replicas of {@code partition}, by node id. */
  public List<Integer> inSyncReplicas(TopicPartition partition) {
    return describe(partition.topic()).get(partition.partition()).isr().stream()
        .map(Node::id)
        .toList();
  }

  private List<TopicPartitionInfo> describe(String topic) {
    try {
      return admin()
          .describeTopics(List.of(topic))
          .allTopicNames()
          .get(BrokerAdmin.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
          .get(topic)
          .partitions();
    } catch (Exception e) {
      throw new IllegalStateException("Could not describe " + topic, e);
    }
  }

  /**
   * Waits until every partition of every topic has all its replicas in sync again (after a broker
   * came back): nothing under-replicated.
   */
  public void awaitFullyReplicated(Duration timeout) {
    BrokerAdmin.awaitCondition(
        "every partition fully replicated",
        timeout,
        () -> {
          Admin a = admin();
          Set<String> topics = a.listTopics().names().get(5, TimeUnit.SECONDS);
          Collection<TopicDescription> d =
              a.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS).values();
          return d.stream()
              .flatMap(t -> t.partitions().stream())
              .allMatch(p -> p.isr().size() == p.replicas().size());
        });
  }

  @Override
  public void createTopics(Map<String, Integer> partitionsByTopic) {
    List<NewTopic> topics = new ArrayList<>();
    partitionsByTopic.forEach((name, n) -> topics.add(new NewTopic(name, n, rf())));
    createAndAwait(topics);
  }

  @Override
  public void createTopic(String name, int partitions, Map<String, String> topicConfigs) {
    NewTopic t = new NewTopic(name, partitions, rf());
    if (topicConfigs != null && !topicConfigs.isEmpty()) t.configs(topicConfigs);
    createAndAwait(List.of(t));
  }

  private short rf() {
    return (short) replicationFactor();
  }

  private void createAndAwait(List<NewTopic> topics) {
    if (!topics.isEmpty()) BrokerAdmin.createTopics(admin(), topics);
  }

  /** An admin client on the cluster, closed with it. */
  public synchronized Admin admin() {
    if (admin == null) {
      admin =
          BrokerAdmin.create(bootstrapServers(), "xfaas-embedded-kafka-cluster-admin", Map.of());
    }
    return admin;
  }

  /** The file broker {@code nodeId}'s process writes its output to. */
  public Path logOf(int nodeId) {
    return dir.resolve("broker-" + nodeId + ".log");
  }

  /** Stops every broker process (SIGTERM) and deletes the directory if this cluster made it. */
  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    if (admin != null) {
      admin.close(Duration.ofSeconds(5));
      admin = null;
    }
    for (Process p : processes.values()) p.destroy();
    for (Map.Entry<Integer, Process> e : processes.entrySet()) {
      try {
        if (!e.getValue().waitFor(60, TimeUnit.SECONDS)) e.getValue().destroyForcibly();
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        e.getValue().destroyForcibly();
      }
    }
    processes.clear();
    if (ownsDir && dir != null) {
      try {
        Utils.delete(dir.toFile());
      } catch (IOException e) {
        LOG.warn("Could not delete {}", dir, e);
      }
    }
  }

  private Process process(int nodeId) {
    Process p = processes.get(nodeId);
    if (p == null) throw new IllegalStateException("broker " + nodeId + " is not running");
    return p;
  }

  private Process spawn(int nodeId) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx" + heap);
    cmd.add("-XX:+UseSerialGC");
    String log4j = System.getProperty("log4j2.configurationFile");
    if (log4j != null) cmd.add("-Dlog4j2.configurationFile=" + log4j);
    cmd.add("-Djava.io.tmpdir=" + dir);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(BrokerProcessMain.class.getName());
    cmd.add(Integer.toString(nodeId));
    cmd.add(Integer.toString(ports.get(nodeId)));
    cmd.add(Integer.toString(controllerPorts.get(nodeId)));
    cmd.add(
        controllerPorts.entrySet().stream()
            .map(e -> e.getKey() + "@localhost:" + e.getValue())
            .collect(Collectors.joining(",")));
    cmd.add(clusterId);
    cmd.add(dir.resolve("node-" + nodeId).toString());
    brokerProperties().forEach((k, v) -> cmd.add(k + "=" + v));
    try {
      Path log = logOf(nodeId);
      // Appends: a restarted broker's log follows its killed one's.
      Files.writeString(
          log,
          "---- starting broker " + nodeId + "\n",
          StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
      Process p =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      LOG.info("Kafka broker {} starting as pid {}, log {}", nodeId, p.pid(), log);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start broker " + nodeId, e);
    }
  }

  /** Replication 3 (or the cluster's size), min.insync.replicas one less, no unclean leaders. */
  private Map<String, String> brokerProperties() {
    int rf = replicationFactor();
    Map<String, String> p =
        new LinkedHashMap<>(EmbeddedKafka.replicationProperties(rf, Math.max(1, rf - 1)));
    p.put("unclean.leader.election.enable", "false");
    // A follower that stops fetching leaves the ISR after this long (the default is 30 s).
    p.put("replica.lag.time.max.ms", "10000");
    p.putAll(brokerOverrides);
    return p;
  }

  private void awaitReady(int nodeId) {
    Path log = logOf(nodeId);
    Process p = process(nodeId);
    BrokerAdmin.awaitCondition(
        "broker " + nodeId + " to serve (log " + log + ")",
        startTimeout,
        () -> {
          if (!p.isAlive()) {
            throw new IllegalStateException(
                "broker " + nodeId + " exited with " + p.exitValue() + "; log " + log);
          }
          String text = Files.readString(log, StandardCharsets.UTF_8);
          int last = text.lastIndexOf("---- starting broker");
          return text.indexOf(BrokerProcessMain.READY, Math.max(0, last)) >= 0;
        });
  }

  private void awaitNodes(Set<Integer> ids) {
    BrokerAdmin.awaitCondition(
        "brokers " + ids + " in the cluster",
        startTimeout,
        () ->
            admin().describeCluster().nodes().get(5, TimeUnit.SECONDS).stream()
                .map(Node::id)
                .collect(Collectors.toSet())
                .containsAll(ids));
  }

  private void awaitExit(int nodeId, Process p) {
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("broker " + nodeId + " (pid " + p.pid() + ") did not exit");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted waiting for broker " + nodeId, e);
    }
  }

  /** Builder for {@link EmbeddedKafkaCluster}. */
  public static final class Builder {
    private int brokers = 3;
    private final Map<String, String> brokerProperties = new LinkedHashMap<>();
    private Duration startTimeout = Duration.ofSeconds(120);
    private String heap = "512m";
    private Path dir;

    private Builder() {}

    /** How many broker processes (default 3). */
    public Builder brokers(int n) {
      if (n < 1) throw new IllegalArgumentException("brokers must be >= 1: " + n);
      this.brokers = n;
      return this;
    }

    /** A broker config for every node, applied last. */
    public Builder brokerProperty(String key, String value) {
      brokerProperties.put(Objects.requireNonNull(key), Objects.requireNonNull(value));
      return this;
    }

    /** Each broker process's maximum heap (default 512m). */
    public Builder heap(String heap) {
      this.heap = Objects.requireNonNull(heap);
      return this;
    }

    /** How long a broker may take to serve clients (default 120 s: a busy machine). */
    public Builder startTimeout(Duration timeout) {
      this.startTimeout = Objects.requireNonNull(timeout);
      return this;
    }

    /** Where the nodes' log dirs and logs go, kept on close; default a temp dir, deleted. */
    public Builder dir(Path dir) {
      this.dir = dir;
      return this;
    }

    public EmbeddedKafkaCluster build() {
      return new EmbeddedKafkaCluster(this);
    }
  }
}
