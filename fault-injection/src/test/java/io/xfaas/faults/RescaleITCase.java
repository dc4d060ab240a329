package io.xfaas.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.audit.AuditReport;
import io.xfaas.config.XfaasOptions;
import io.xfaas.records.Criticality;
import io.xfaas.records.Invocation;
import io.xfaas.records.TenantSettings;
import io.xfaas.submit.InvocationBuilder;
import io.xfaas.submit.SubmitterClient;
import io.xfaas.testing.EmbeddedKafkaExtension;
import io.xfaas.testing.FlinkClusterExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rescaling (issue 19, part 3): the scheduler job is stopped with a savepoint at parallelism 2,
 * resumed at 4, stopped again and resumed at 1, under the suite's load, with calls buffered (a
 * tenant whose quota dispatches a fraction of what it is sent), held (DEFERRABLE calls not to start
 * before a time after the last resume) and in flight (one call in 20 sleeps). After each resume the
 * first calls are submitted again. The auditor finds none lost and none answered twice (dedup
 * carried over); the held calls ran no earlier than their time; the quota held at every
 * parallelism.
 */
class RescaleITCase {
  private static final Logger LOG = LoggerFactory.getLogger(RescaleITCase.class);
  private static final FaultScale SCALE = FaultScale.current();

  /** The tenant whose quota keeps most of its calls buffered across both rescales. */
  private static final TenantSettings QUOTA =
      new TenantSettings("t0", 25, 5, 1_000_000, 1, 1_000_000, List.of(), null, 0);

  private static final int HELD = 40;
  private static final int RESUBMITTED = 100;
  private static final long HOLD_MS = 60_000;

  @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  @RegisterExtension static final FlinkClusterExtension FLINK = FaultRun.cluster(4);

  @Test
  void rescaleFromTwoToFourToOneCarriesBufferedHeldAndDeduplicatedCallsOver() throws Exception {
    try (FaultRun run =
            new FaultRun(
                "rescale-2-4-1",
                SCALE,
                KAFKA,
                FLINK,
                Map.of(XfaasOptions.SCHEDULER_PARALLELISM.key(), "2"));
        SubmitterClient submitter = SubmitterClient.create(run.config)) {
      KAFKA.writeSettings(run.config, List.of(QUOTA));
      run.startJob(null, 2);
      assertThat(FLINK.rest().parallelism(run.job().getJobID())).isEqualTo(2);
      run.sidecar();
      long heldUntil = System.currentTimeMillis() + HOLD_MS;
      List<Invocation> held = new ArrayList<>();
      for (int i = 0; i < HELD; i++) {
        held.add(
            InvocationBuilder.call("t1", "echo")
                .id(run.run + "-held-" + i)
                .criticality(Criticality.DEFERRABLE)
                .notBefore(heldUntil)
                .build());
      }
      submitter.submitAllAndWait(held);
      run.load(SCALE.rate(), SCALE.calls(), 0, 20);
      run.awaitFlowing(SCALE.calls() / 10);

      run.fault(); // the first stop
      String first = stopWithSavepoint(run);
      AuditReport atFirstStop = run.audit();
      LOG.info(
          "rescale: at the first stop {} accepted, {} terminal",
          atFirstStop.accepted(),
          atFirstStop.terminal());
      assertThat(atFirstStop.lost()).as("calls buffered or in flight at the stop").isPositive();
      run.recoverFrom(System.currentTimeMillis());
      run.note("stopped with a savepoint at parallelism 2, resumed at 4");
      run.startJob(first, 4);
      assertThat(FLINK.rest().parallelism(run.job().getJobID())).isEqualTo(4);
      run.awaitRecovery(Duration.ofMinutes(2));
      submitter.submitAllAndWait(resubmissions(run));

      String second = stopWithSavepoint(run);
      run.note("stopped again, resumed at 1");
      run.startJob(second, 1);
      assertThat(FLINK.rest().parallelism(run.job().getJobID())).isEqualTo(1);
      long lastResume = System.currentTimeMillis();
      assertThat(lastResume)
          .as("the held calls' time comes after the last resume (else nothing was held over)")
          .isLessThan(heldUntil);
      submitter.submitAllAndWait(resubmissions(run));

      AuditReport r = run.finish();
      FaultInjectionITCase.assertNothingLostOrDoubled(r, SCALE.calls() * 9L / 10 + HELD);
      FaultInjectionITCase.assertAcknowledgedWereAccepted(run, r);
      ExecutionBound bound = run.executionBound();
      ScenarioResult line =
          ScenarioResult.of(run.scenario, r, bound, run.recoveryMs(), run.restarts());
      Path out = Path.of("target", "fault-injection-rescale-" + SCALE.name() + ".txt");
      Files.createDirectories(out.getParent());
      Files.writeString(out, ScenarioResult.header() + "\n" + line.line() + "\n");
      System.out.println(ScenarioResult.header() + "\n" + line.line());
      assertThat(run.numRestarts()).as("no job restarted by itself").isZero();

      Dispatches d = dispatches(run);
      assertThat(d.heldEarly).as("held calls dispatched before their time").isEmpty();
      assertThat(d.heldDispatched).as("held calls dispatched").isEqualTo(HELD);
      int allowed = (int) QUOTA.rate() + QUOTA.burst() + 5;
      assertThat(d.quotaMaxPerSecond)
          .as("t0's dispatches in any second (rate %s, burst %s)", QUOTA.rate(), QUOTA.burst())
          .isLessThanOrEqualTo(allowed);
      assertThat(d.quotaDispatched).as("t0's calls dispatched").isGreaterThan(2L * allowed);
      LOG.info(
          "rescale: t0 at most {} dispatches/s over {} calls; {} held calls ran after {}",
          d.quotaMaxPerSecond,
          d.quotaDispatched,
          d.heldDispatched,
          heldUntil);
    }
  }

  /** The first calls of the load again: the restored dedup state must drop them. */
  private static List<Invocation> resubmissions(FaultRun run) {
    List<Invocation> again = new ArrayList<>();
    for (int n = 0; n < RESUBMITTED; n++) {
      again.add(
          InvocationBuilder.call("t" + (n % 4), "echo")
              .id(run.run + "-" + n)
              .payload("{\"n\":" + n + "}")
              .build());
    }
    return again;
  }

  private static String stopWithSavepoint(FaultRun run) throws Exception {
    String savepoint = run.stopWithSavepoint();
    LOG.info("rescale: savepoint {}", savepoint);
    return savepoint;
  }

  private record Dispatches(
      List<String> heldEarly, long heldDispatched, long quotaDispatched, int quotaMaxPerSecond) {}

  /** Reads RunQ: the held calls' first dispatches, and t0's busiest second. */
  private static Dispatches dispatches(FaultRun run) {
    Map<String, Long> first = new HashMap<>();
    Map<String, Invocation> calls = new HashMap<>();
    run.readDispatches(
        "rescale-dispatches",
        inv -> {
          if (inv.attempt() == 1) {
            first.merge(inv.id(), inv.dispatchedAt(), Math::min);
            calls.putIfAbsent(inv.id(), inv);
          }
        });
    List<String> early = new ArrayList<>();
    long held = 0;
    List<Long> quota = new ArrayList<>();
    for (var e : first.entrySet()) {
      Invocation inv = calls.get(e.getKey());
      if (inv.notBefore() != null) {
        held++;
        if (e.getValue() < inv.notBefore()) early.add(e.getKey());
      }
      if (inv.tenant().equals(QUOTA.tenant())) quota.add(e.getValue());
    }
    quota.sort(Long::compare);
    int max = 0;
    for (int i = 0, j = 0; i < quota.size(); i++) {
      while (quota.get(i) - quota.get(j) >= 1_000) j++;
      max = Math.max(max, i - j + 1);
    }
    return new Dispatches(early, held, quota.size(), max);
  }
}
