package io.xfaas.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.xfaas.config.XfaasConfig;
import io.xfaas.config.XfaasOptions;
import io.xfaas.records.Invocation;
import io.xfaas.records.ReasonCode;
import io.xfaas.records.TenantSettings;
import io.xfaas.submit.InvocationBuilder;
import io.xfaas.submit.SubmitterClient;
import io.xfaas.testing.TopicReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Fair share on a real broker and MiniCluster: three backlogged tenants with weights 1:2:5 share a
 * capacity of 1,000 dispatches/s in that proportion, and a fourth tenant flooding at 20x its quota
 * barely moves them. Rates are measured from the dispatch times stamped on RunQ.
 */
class FairShareITCase extends SchedulerITCaseBase {
  private static final int CAPACITY = 1000;
  private static final long PHASE_MS = 15_000;

  /** A backlog is submitted with notBefore this far ahead, so all of it is in when it starts. */
  private static final long LOAD_MS = 5_000;

  private static final long SETTLE_MS = 2_000;

  @Test
  void backloggedTenantsShareCapacityByWeightAndAFlooderDoesNotHurtThem() throws Exception {
    XfaasConfig config =
        KAFKA.newRegion(
            "fair",
            Map.of(
                XfaasOptions.SCHEDULER_CAPACITY.key(),
                String.valueOf(CAPACITY),
                XfaasOptions.SCHEDULER_CHECKPOINT_INTERVAL.key(),
                "1000"));
    KAFKA.writeSettings(
        config,
        List.of(
            tenant("w1", 10_000, 1),
            tenant("w2", 10_000, 2),
            tenant("w5", 10_000, 5),
            tenant("flooder", 50, 1),
            SettingsProbe.TENANT));

    Map<String, List<Long>> dispatchTimes = new ConcurrentHashMap<>();
    try (SchedulerRun run = startScheduler(config)) {
      assertThat(SettingsProbe.awaitInForce(run.client(), run.outcomes()))
          .contains(ReasonCode.UNKNOWN_FUNCTION);

      long startA = System.currentTimeMillis() + LOAD_MS;
      submitBacklog(run.client(), Map.of("w1", 4_000, "w2", 8_000, "w5", 20_000), startA);
      long startB = startA + PHASE_MS;
      submitBacklog(run.client(), Map.of("flooder", (int) (20 * 50 * PHASE_MS / 1000)), startB);
      awaitDispatchesPast(run.runq(), dispatchTimes, startB + PHASE_MS);

      Map<String, Double> rateA = rates(dispatchTimes, startA + SETTLE_MS, startA + PHASE_MS);
      Map<String, Double> rateB = rates(dispatchTimes, startB + SETTLE_MS, startB + PHASE_MS);
      System.out.printf("fair share: phase A %s, phase B %s (dispatches/s)%n", rateA, rateB);

      double total = rateA.get("w1") + rateA.get("w2") + rateA.get("w5");
      assertShare(rateA.get("w1") / total, 1.0 / 8);
      assertShare(rateA.get("w2") / total, 2.0 / 8);
      assertShare(rateA.get("w5") / total, 5.0 / 8);
      assertThat(total).isBetween(0.85 * CAPACITY, 1.05 * CAPACITY);
      for (String t : List.of("w1", "w2", "w5")) {
        assertThat(rateB.get(t))
            .as(t + " with the flooder")
            .isBetween(0.9 * rateA.get(t), 1.1 * rateA.get(t));
      }
      assertThat(rateB.get("flooder")).isBetween(40.0, 55.0); // held to its own quota
    }
  }

  private static void assertShare(double actual, double expected) {
    assertThat(actual).isBetween(0.9 * expected, 1.1 * expected);
  }

  private static TenantSettings tenant(String name, double rate, int weight) {
    // A deep bucket: a wake-up that a busy machine delays loses no tokens to the burst cap.
    return paced(name, rate, 250, weight);
  }

  private static void submitBacklog(
      SubmitterClient client, Map<String, Integer> perTenant, long notBefore) throws Exception {
    List<Invocation> batch = new ArrayList<>();
    perTenant.forEach(
        (tenant, n) -> {
          for (int i = 0; i < n; i++)
            batch.add(InvocationBuilder.call(tenant, "echo").notBefore(notBefore).build());
        });
    client.submitAllAndWait(batch);
  }

  private static void awaitDispatchesPast(
      TopicReader runq, Map<String, List<Long>> times, long until) {
    await()
        .atMost(Duration.ofMillis(until - System.currentTimeMillis() + 60_000))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              long[] latest = {0};
              runq.poll(
                  r -> {
                    Invocation inv = SchedulerRun.dispatched(r.value());
                    times
                        .computeIfAbsent(inv.tenant(), t -> new ArrayList<>())
                        .add(inv.dispatchedAt());
                    latest[0] = Math.max(latest[0], inv.dispatchedAt());
                  });
              return times.values().stream().flatMap(List::stream).anyMatch(t -> t >= until);
            });
  }

  private static Map<String, Double> rates(Map<String, List<Long>> times, long from, long to) {
    Map<String, Double> out = new HashMap<>();
    times.forEach(
        (tenant, ts) ->
            out.put(
                tenant,
                ts.stream().filter(t -> t >= from && t < to).count() * 1000.0 / (to - from)));
    return out;
  }
}
