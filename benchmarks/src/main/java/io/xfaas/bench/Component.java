package io.xfaas.bench;

import java.util.regex.Pattern;

/**
 * Which part of the system a JVM thread works for, from its name: the bench runs broker, Flink and
 * sidecars in one JVM, so per-component CPU is per-thread CPU grouped by these rules.
 */
public enum Component {
  /** Flink: the job's tasks, their Kafka clients, and the MiniCluster's runtime threads. */
  FLINK("Flink job + runtime"),
  /** The embedded Kafka broker (and its KRaft controller). */
  BROKER("Kafka broker"),
  /** In-process worker sidecars and their Kafka clients. */
  SIDECARS("sidecars"),
  /** The bench's own loaders, submitters and readers. */
  HARNESS("bench harness"),
  /** CPU the JVM spent outside Java threads: GC, JIT, RocksDB's native threads. */
  UNATTRIBUTED("GC/JIT/native (RocksDB)");

  private static final Pattern BROKER_THREADS =
      Pattern.compile(
          "^(data-plane-|kafka-(?!producer-network|coordinator-heartbeat|consumer)|raft-|controller-"
              + "|broker-|quorum-|ExpirationReaper|group-coordinator|share-coordinator|TxnMarker"
              + "|transaction-|LogDirFailureHandler|ThrottledChannelReaper|ReplicaFetcher"
              + "|ReplicaAlterLogDirs|metadata-|executor-|feature-|log-cleaner|kafka-log-cleaner"
              + "|SnapshotGenerator|AddPartitionsToTxnSenderThread|RemoteLogManager|client-metrics"
              + "|persister-|event-process|ControllerApis|BrokerLifecycle|node-to-controller"
              + "|DelayedOperation|SystemTimer|ShareFetch|.*-to-controller-).*");

  public final String label;

  Component(String label) {
    this.label = label;
  }

  public static Component of(String threadName) {
    if (threadName == null) return FLINK;
    String client = clientOf(threadName);
    if (threadName.startsWith("xfaas-sidecar-")
        || client.startsWith("xfaas-sidecar-")
        || client.endsWith(".workers")) {
      return SIDECARS;
    }
    if (threadName.startsWith("bench-")
        || client.startsWith("bench-")
        || threadName.equals("main")) {
      return HARNESS;
    }
    if (!client.isEmpty()) return FLINK; // any other Kafka client in this JVM is Flink's
    if (BROKER_THREADS.matcher(threadName).matches()) return BROKER;
    return FLINK;
  }

  /** Kafka clients name their threads "kafka-...-thread | clientId-or-group". */
  private static String clientOf(String threadName) {
    int bar = threadName.indexOf(" | ");
    return bar < 0 ? "" : threadName.substring(bar + 3);
  }
}
