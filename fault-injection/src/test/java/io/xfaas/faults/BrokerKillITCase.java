package io.xfaas.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.xfaas.audit.AuditReport;
import io.xfaas.config.XfaasConfig;
import io.xfaas.kafka.embedded.EmbeddedKafkaCluster;
import io.xfaas.testing.EmbeddedKafkaExtension;
import io.xfaas.testing.FlinkClusterExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brokers killed with SIGKILL, as processes ({@link EmbeddedKafkaCluster}), under the fault suite's
 * load and audit: the leader of the busiest DurableQ, RunQ and outcomes partitions of a 3-broker
 * cluster (replication factor 3, min.insync.replicas=2, no unclean leader election), and a lone
 * broker, each brought back on its log directory. Every call the producer saw acknowledged must be
 * in DurableQ, none lost, none answered twice.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrokerKillITCase {
  private static final Logger LOG = LoggerFactory.getLogger(BrokerKillITCase.class);
  private static final FaultScale SCALE = FaultScale.current();
  private static final List<ScenarioResult> RESULTS = new ArrayList<>();

  @RegisterExtension
  static final EmbeddedKafkaExtension KAFKA = EmbeddedKafkaExtension.cluster(brokers(3));

  /**
   * Broker processes whose logs stay in target/tmp after the run; a broker killed under load takes
   * a while to recover its logs on a busy machine.
   */
  private static EmbeddedKafkaCluster.Builder brokers(int n) {
    return EmbeddedKafkaCluster.builder()
        .brokers(n)
        .startTimeout(Duration.ofMinutes(5))
        .dir(Path.of("target", "tmp", "kafka-cluster-" + System.nanoTime()));
  }

  @RegisterExtension static final FlinkClusterExtension FLINK = FaultRun.cluster(2);

  @AfterAll
  static void report() throws Exception {
    ScenarioResult.report(
        "Broker kills (" + SCALE.name() + ")",
        RESULTS,
        "fault-injection-brokers-" + SCALE.name() + ".txt");
  }

  /**
   * (1) Of three brokers, the one leading the busiest DurableQ, RunQ and outcomes partitions gets
   * {@code kill -9} under load; its followers take over, and it comes back and catches up.
   */
  @Test
  @Order(1)
  void theLeaderOfTheBusiestPartitionsKilledWithSigkill() throws Exception {
    EmbeddedKafkaCluster cluster = KAFKA.cluster();
    try (FaultRun run = new FaultRun("broker-leader-kill-9", SCALE, KAFKA, FLINK, Map.of())) {
      run.startJob(null);
      run.sidecar();
      run.load(SCALE.rate(), SCALE.calls(), 0, 0);
      run.awaitFlowing(SCALE.calls() / 10);

      List<TopicPartition> busiest = busiest(run.config);
      int victim = leadAll(cluster.admin(), busiest);
      run.note("broker " + victim + " led " + busiest);

      run.measureExposure(); // while every broker answers
      cluster.kill(victim);
      run.fault(); // timed from its death
      for (TopicPartition p : busiest) {
        await("a new leader for " + p)
            .atMost(Duration.ofSeconds(60))
            .ignoreExceptions()
            .until(() -> cluster.leaderOf(p) > 0 && cluster.leaderOf(p) != victim);
      }
      run.awaitRecovery(Duration.ofMinutes(3));
      cluster.start(victim);
      cluster.awaitFullyReplicated(Duration.ofMinutes(3));

      record(run, run.finish());
    }
  }

  /**
   * (2) A lone broker process gets {@code kill -9} (no clean shutdown, unlike the suite's
   * broker-restart) and starts again on its log directory: what it acknowledged is still there.
   */
  @Test
  @Order(2)
  void aLoneBrokerKilledWithSigkill() throws Exception {
    try (EmbeddedKafkaExtension lone = EmbeddedKafkaExtension.cluster(brokers(1)).start();
        FaultRun run = new FaultRun("broker-kill-9", SCALE, lone, FLINK, Map.of())) {
      run.startJob(null);
      run.sidecar();
      run.load(SCALE.rate(), SCALE.calls(), 0, 0);
      run.awaitFlowing(SCALE.calls() / 10);

      run.measureExposure();
      lone.cluster().kill(1);
      run.fault();
      lone.cluster().start(1);
      run.awaitRecovery(Duration.ofMinutes(3));

      record(run, run.finish());
    }
  }

  /** The audit of every scenario: FaultInjectionITCase's, and the line in this class's table. */
  private static void record(FaultRun run, AuditReport r) throws Exception {
    ExecutionBound bound = run.executionBound();
    synchronized (RESULTS) {
      RESULTS.add(ScenarioResult.of(run.scenario, r, bound, run.recoveryMs(), run.restarts()));
    }
    FaultInjectionITCase.assertNothingLostOrDoubled(r, SCALE.calls() * 9L / 10);
    FaultInjectionITCase.assertAcknowledgedWereAccepted(run, r);
    assertThat(r.duplicateExecutions())
        .as("duplicate executions; bound %s (redispatched + uncommitted)", bound)
        .isLessThanOrEqualTo(bound.total());
  }

  /** The partition of DurableQ, RunQ and outcomes with the most records written so far. */
  private static List<TopicPartition> busiest(XfaasConfig config) throws Exception {
    List<TopicPartition> out = new ArrayList<>();
    for (String topic :
        List.of(config.topics().durableq(), config.topics().runq(), config.topics().outcomes())) {
      out.add(
          KAFKA.endOffsets(topic).entrySet().stream()
              .max(Map.Entry.comparingByValue())
              .orElseThrow()
              .getKey());
    }
    return out;
  }

  /**
   * Makes one broker lead all of {@code partitions}: the one leading most of them now; the others
   * get it first in their replica list (same replicas, reordered) and a preferred-leader election.
   */
  private static int leadAll(Admin admin, List<TopicPartition> partitions) throws Exception {
    Map<TopicPartition, TopicPartitionInfo> info = new LinkedHashMap<>();
    for (TopicPartition p : partitions) {
      info.put(
          p,
          admin
              .describeTopics(List.of(p.topic()))
              .allTopicNames()
              .get()
              .get(p.topic())
              .partitions()
              .get(p.partition()));
    }
    int victim =
        info.values().stream()
            .map(i -> i.leader().id())
            .collect(
                java.util.stream.Collectors.groupingBy(
                    id -> id, java.util.stream.Collectors.counting()))
            .entrySet()
            .stream()
            .max(Map.Entry.comparingByValue())
            .orElseThrow()
            .getKey();
    Map<TopicPartition, Optional<NewPartitionReassignment>> moves = new LinkedHashMap<>();
    for (var e : info.entrySet()) {
      if (e.getValue().leader().id() == victim) continue;
      List<Integer> replicas =
          new ArrayList<>(e.getValue().replicas().stream().map(Node::id).toList());
      replicas.sort(Comparator.comparing(id -> id != victim));
      moves.put(e.getKey(), Optional.of(new NewPartitionReassignment(replicas)));
    }
    if (!moves.isEmpty()) {
      admin.alterPartitionReassignments(moves).all().get();
      await("the replica order to change")
          .atMost(Duration.ofSeconds(60))
          .until(() -> admin.listPartitionReassignments().reassignments().get().isEmpty());
      await("broker " + victim + " to lead " + moves.keySet())
          .atMost(Duration.ofSeconds(60))
          .ignoreExceptions()
          .until(
              () -> {
                admin.electLeaders(ElectionType.PREFERRED, moves.keySet()).partitions().get();
                return moves.keySet().stream().allMatch(p -> KAFKA.cluster().leaderOf(p) == victim);
              });
    }
    LOG.info("broker {} leads the busiest partitions {}", victim, partitions);
    return victim;
  }
}
