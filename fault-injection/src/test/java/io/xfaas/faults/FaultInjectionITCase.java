package io.xfaas.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.xfaas.audit.AuditReport;
import io.xfaas.config.XfaasOptions;
import io.xfaas.records.OutcomeStatus;
import io.xfaas.records.ReasonCode;
import io.xfaas.testing.EmbeddedKafkaExtension;
import io.xfaas.testing.FlinkClusterExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The fault-injection suite: each scenario runs the whole pipeline under a steady load, injects one
 * fault, and lets the auditor judge the run: 0 lost, 0 duplicate terminal outcomes, and duplicate
 * executions within what the fault exposed ({@link ExecutionBound}). It prints them with the
 * recovery time and names the restarts the job went through. Volumes: {@link FaultScale}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultInjectionITCase {
  private static final FaultScale SCALE = FaultScale.current();

  /** In the sidecar scenarios, one call in this many sleeps: calls are in flight at the fault. */
  private static final int SLOW_EVERY = 20;

  private static final List<ScenarioResult> RESULTS = new ArrayList<>();

  @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  @RegisterExtension static final FlinkClusterExtension FLINK = FaultRun.cluster(2);

  @AfterAll
  static void report() throws Exception {
    String delivery =
        FaultRun.RUNQ_DELIVERY != null
            ? FaultRun.RUNQ_DELIVERY
            : XfaasOptions.SCHEDULER_RUNQ_DELIVERY.defaultText();
    ScenarioResult.report(
        "Fault injection (" + SCALE.name() + ", RunQ " + delivery + ")",
        RESULTS,
        "fault-injection-" + SCALE.name() + ".txt");
  }

  private FaultRun run(String scenario, Map<String, String> overrides) throws Exception {
    return new FaultRun(scenario, SCALE, KAFKA, FLINK, overrides);
  }

  /** The scenario's load, {@code slowEvery} as {@link FaultRun#load} takes it, under way. */
  private static void loadAndAwaitFlowing(FaultRun run, int slowEvery) {
    run.load(SCALE.rate(), SCALE.calls(), 0, slowEvery);
    run.awaitFlowing(SCALE.calls() / 10);
  }

  /**
   * Audits a fault scenario: at least 90 % of the calls accepted, none lost or answered twice, and
   * duplicate executions within their bound; records the scenario's line.
   */
  private static AuditReport audit(FaultRun run) throws Exception {
    AuditReport r = run.finish();
    assertNothingLostOrDoubled(r, SCALE.calls() * 9L / 10);
    assertAcknowledgedWereAccepted(run, r);
    assertDuplicateExecutionsBoundedAndRecord(run, r);
    return r;
  }

  /**
   * Every submission the broker acknowledged to the producer is in DurableQ: a call lost at the
   * broker after its acknowledgement would otherwise go unnoticed, since "accepted" is what
   * DurableQ holds.
   */
  static void assertAcknowledgedWereAccepted(FaultRun run, AuditReport r) {
    assertThat(run.producer().acked()).as("acknowledged submissions").isPositive();
    assertThat(r.accepted())
        .as("accepted (in DurableQ) >= acknowledged to the producer")
        .isGreaterThanOrEqualTo(run.producer().acked());
  }

  static void assertNothingLostOrDoubled(AuditReport r, long minAccepted) {
    assertThat(r.accepted()).as("accepted").isGreaterThanOrEqualTo(minAccepted);
    assertThat(r.lost()).as("lost, e.g. " + r.lostSample()).isZero();
    assertThat(r.duplicateOutcomes()).as("answered twice, e.g. " + r.duplicateSample()).isZero();
    assertThat(r.terminal()).isEqualTo(r.accepted() + r.invalidWithId());
  }

  /**
   * Calls run more than once (at-least-once execution) no more often than the fault exposed them
   * ({@link ExecutionBound}) plus their retries. Records the scenario's line.
   */
  private static void assertDuplicateExecutionsBoundedAndRecord(FaultRun run, AuditReport r)
      throws Exception {
    ExecutionBound bound = run.executionBound();
    synchronized (RESULTS) {
      RESULTS.add(ScenarioResult.of(run.scenario, r, bound, run.recoveryMs(), run.restarts()));
    }
    // A call retried after its timeout or a retryable error runs again by design: each retry is
    // one execution beyond what the fault exposed (a paused sidecar's overdue calls are retried
    // and then also finished late by it).
    assertThat(r.duplicateExecutions())
        .as(
            "duplicate executions; bound %s (redispatched + uncommitted) + %d retries",
            bound, r.retries())
        .isLessThanOrEqualTo(bound.total() + r.retries());
  }

  /** (a) The TaskManager running the job dies mid-stream; the job restarts from a checkpoint. */
  @Test
  @Order(1)
  void aTaskFailureRestartsFromACheckpoint() throws Exception {
    try (FaultRun run = run("task-failure", Map.of())) {
      run.startJob(null);
      run.sidecar();
      loadAndAwaitFlowing(run, 0);

      FLINK.miniCluster().terminateTaskManager(0).get();
      run.jobStopped();
      run.fault(); // timed from the moment the TaskManager is gone
      FLINK.miniCluster().startTaskManager();
      run.awaitRecovery(Duration.ofMinutes(2));

      audit(run);
      assertThat(run.numRestarts()).as("the job restarted").isPositive();
      assertThat(run.restRestoredFrom()).as("restored from a checkpoint").startsWith("checkpoint");
    }
  }

  /** (b) The job is stopped with a savepoint and a new one resumes from it. */
  @Test
  @Order(2)
  void stopWithSavepointAndResume() throws Exception {
    try (FaultRun run = run("savepoint-resume", Map.of())) {
      run.startJob(null);
      run.sidecar();
      loadAndAwaitFlowing(run, 0);

      run.fault();
      String savepoint = run.stopWithSavepoint();
      run.recoverFrom(System.currentTimeMillis());
      run.note("stopped with a savepoint");
      run.startJob(savepoint);
      run.awaitRecovery(Duration.ofMinutes(2));

      audit(run);
      assertThat(run.restRestoredFrom())
          .as("the new job restored the savepoint")
          .startsWith("savepoint");
    }
  }

  /** (c) A sidecar process is killed with SIGKILL; its unacknowledged calls run elsewhere. */
  @Test
  @Order(3)
  void aSidecarKilledWithSigkill() throws Exception {
    try (FaultRun run = run("sidecar-kill-9", Map.of())) {
      // RunQ is keyed by function: one function's calls sit on one partition, so the victim is
      // the only sidecar until the fault, and a replacement takes over its unacknowledged calls.
      SidecarProcess victim = run.sidecarProcess(); // its JVM starts while the job does
      run.startJob(null);
      loadAndAwaitFlowing(run, SLOW_EVERY);

      victim.signal("KILL");
      assertThat(victim.awaitExit(10)).as("killed by SIGKILL").isEqualTo(128 + 9);
      run.fault(); // timed from its death: a call it started just before does not count
      run.sidecar();
      run.awaitRecovery(Duration.ofMinutes(2));

      audit(run);
      FaultRun.RanAgain again = run.unacknowledgedRanAgain();
      assertThat(again.unacknowledged())
          .as("calls the killed sidecar left unacknowledged")
          .isPositive();
      assertThat(again.ranAgain())
          .as("its unacknowledged calls that ran again, e.g. not %s", again.sample())
          .isEqualTo(again.unacknowledged());
    }
  }

  /**
   * (d) A sidecar process is paused (SIGSTOP) past its call timeout and the group's session
   * timeout, so its calls run elsewhere, then resumed (SIGCONT): its late results must not make a
   * second terminal outcome.
   */
  @Test
  @Order(4)
  void aSidecarPausedPastTheCallTimeoutThenResumed() throws Exception {
    long callTimeoutMs = 2_000;
    try (FaultRun run =
        run(
            "sidecar-sigstop",
            Map.of(XfaasOptions.SIDECAR_CALL_TIMEOUT.key(), Long.toString(callTimeoutMs)))) {
      // The paused sidecar is the only one (RunQ is keyed by function, so one function's calls
      // sit on one partition); the other starts with the pause and takes over after the session
      // timeout.
      SidecarProcess paused = run.sidecarProcess();
      run.startJob(null);
      loadAndAwaitFlowing(run, SLOW_EVERY);

      paused.signal("STOP");
      run.fault();
      long pausedAt = System.currentTimeMillis();
      var survivor = run.sidecar();
      // Paused until its calls are overdue and the group has given its partitions to the other.
      await("the paused sidecar's partitions to move and its calls to be overdue")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () ->
                  System.currentTimeMillis() - pausedAt > callTimeoutMs
                      && survivor.assignment().size() == FaultRun.PARTITIONS);
      assertThat(paused.isAlive()).isTrue();
      // Resumed, it rejoins the group: a second hand-over, of what the survivor holds uncommitted.
      run.measureRebalanceExposure();
      paused.signal("CONT");
      run.awaitRecovery(Duration.ofMinutes(2));
      // Let it write what it finished late, then stop it cleanly so nothing more is pending.
      paused.signal("TERM");
      assertThat(paused.awaitExit(60)).as("drained after SIGTERM").isEqualTo(128 + 15);

      AuditReport r = audit(run);
      assertThat(r.duplicateExecutions() + r.retries())
          .as("the paused sidecar's calls ran twice or timed out: late results existed")
          .isPositive();
    }
  }

  /** (e) The broker is stopped and restarted on the same log directory. */
  @Test
  @Order(5)
  void theBrokerRestartsOnTheSameLogDirectory() throws Exception {
    try (FaultRun run = run("broker-restart", Map.of())) {
      run.startJob(null);
      run.sidecar();
      loadAndAwaitFlowing(run, 0);

      run.measureExposure(); // while the broker answers
      KAFKA.broker().stop();
      run.fault(); // timed from the moment the broker is down
      KAFKA.broker().start();
      run.awaitRecovery(Duration.ofMinutes(3));

      audit(run);
      assertThat(run.numRestarts()).as("the job rode out the broker restart").isZero();
    }
  }

  /**
   * (f) A flood of bad input: every rejection kind, 1 % of the traffic. Each bad record is in the
   * DLQ with its reason, each one with an id has a REJECTED outcome, and the job never restarts.
   */
  @Test
  @Order(6)
  void aFloodOfBadInput() throws Exception {
    int kinds = BadInput.KINDS.size();
    long bad = (long) SCALE.floodPerKind() * kinds;
    long total = bad * FaultScale.BAD_EVERY;
    try (FaultRun run = run("bad-input-flood", Map.of())) {
      run.startJob(null);
      run.sidecar();
      run.load(SCALE.floodRate(), total, FaultScale.BAD_EVERY, 0);

      AuditReport r = run.finish();
      assertNothingLostOrDoubled(r, total - bad);
      assertAcknowledgedWereAccepted(run, r);
      assertThat(run.producer().failed()).isZero();
      assertThat(r.invalid()).isEqualTo(bad);
      for (ReasonCode kind : BadInput.KINDS) {
        assertThat(r.invalidByReason()).containsEntry(kind, (long) SCALE.floodPerKind());
        assertThat(r.deadLettersByReason()).containsEntry(kind, (long) SCALE.floodPerKind());
      }
      assertThat(r.invalidWithoutDeadLetter()).as("bad records without a dead letter").isZero();
      assertThat(r.invalidWithId()).isEqualTo(bad - SCALE.floodPerKind());
      assertThat(r.invalidWithoutOutcome()).as("bad records with an id but no outcome").isZero();
      assertThat(r.terminalByStatus())
          .containsEntry(OutcomeStatus.REJECTED, bad - SCALE.floodPerKind());
      assertThat(run.job().getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
      assertThat(run.numRestarts()).as("the job never restarted").isZero();
      assertDuplicateExecutionsBoundedAndRecord(run, r);
    }
  }
}
