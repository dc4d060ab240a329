package io.xfaas.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.xfaas.config.XfaasConfig;
import io.xfaas.config.XfaasOptions;
import io.xfaas.records.Invocation;
import io.xfaas.records.Outcome;
import io.xfaas.records.OutcomeStatus;
import io.xfaas.records.ReasonCode;
import io.xfaas.records.SchedulingDecision;
import io.xfaas.serde.Json;
import io.xfaas.sidecar.FunctionRegistry;
import io.xfaas.sidecar.WorkerSidecar;
import io.xfaas.sidecar.samples.DownstreamFunction;
import io.xfaas.submit.InvocationBuilder;
import io.xfaas.submit.SubmitterClient;
import io.xfaas.testing.EmbeddedKafkaExtension;
import io.xfaas.testing.FlinkClusterExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The closed loop on real parts: function {@code f}'s downstream slows tenfold while {@code g}, of
 * the same tenant, stays healthy. The scheduler must pace {@code f} down to what its downstream
 * sustains (its calls wait in the FuncBuffer, not in RunQ or the workers), leave {@code g} alone,
 * and bring {@code f} back by itself once the downstream recovers.
 */
class SlowDownstreamITCase {
  @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  @RegisterExtension static final FlinkClusterExtension FLINK = FlinkClusterExtension.slots(2);

  private static final int RATE = 40; // calls per second of each function
  private static final Duration FAST = Duration.ofMillis(20);
  private static final Duration SLOW = Duration.ofMillis(200); // 10x
  private static final int WINDOW_MAX = 3; // f's downstream then sustains about 3 / 0.2 s = 15/s

  private record Timed(String function, long at) {}

  @Test
  void aSlowDownstreamIsPacedAtTheSourceAndRecoversByItself() throws Exception {
    XfaasConfig config =
        KAFKA.newRegion(
            "slow",
            Map.of(
                XfaasOptions.SIDECAR_WINDOW_MAX.key(), String.valueOf(WINDOW_MAX),
                XfaasOptions.SIDECAR_WINDOW_INITIAL.key(), String.valueOf(WINDOW_MAX),
                XfaasOptions.SIDECAR_THREADS.key(), "8",
                XfaasOptions.SIDECAR_CALL_TIMEOUT.key(), "5000",
                XfaasOptions.SCHEDULER_METRICS_INTERVAL.key(), "5000"));
    DownstreamFunction f = new DownstreamFunction("f", FAST);
    DownstreamFunction g = new DownstreamFunction("g", FAST);
    FunctionRegistry functions = new FunctionRegistry().register(f).register(g);

    JobClient job =
        SchedulerJob.start(StreamExecutionEnvironment.getExecutionEnvironment(), config);
    ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor();
    AtomicLong sent = new AtomicLong();
    long slowAt, recoverAt, end;
    try (WorkerSidecar sidecar = new WorkerSidecar(config, functions);
        SubmitterClient client = SubmitterClient.create(config)) {
      sidecar.start();
      // The job is up once a first call has come back; then the steady load starts.
      client.submit(InvocationBuilder.call("shop", "g").id("probe").build());
      await().atMost(Duration.ofSeconds(60)).until(() -> sidecar.succeeded() > 0);
      load.scheduleAtFixedRate(
          () -> {
            long n = sent.getAndIncrement();
            client.submit(InvocationBuilder.call("shop", "f").id("f-" + n).build());
            client.submit(InvocationBuilder.call("shop", "g").id("g-" + n).build());
          },
          0,
          1000 / RATE,
          TimeUnit.MILLISECONDS);

      // Both flowing, then a baseline of 10 s.
      await().atMost(Duration.ofSeconds(60)).until(() -> sidecar.succeeded() > 4 * RATE);
      observe(Duration.ofSeconds(3)); // settle
      long baselineFrom = System.currentTimeMillis();
      observe(Duration.ofSeconds(10));
      slowAt = System.currentTimeMillis();
      f.latency(SLOW);
      observe(Duration.ofSeconds(25));
      recoverAt = System.currentTimeMillis();
      f.latency(FAST);
      observe(Duration.ofSeconds(35));
      end = System.currentTimeMillis();
      load.shutdownNow();

      List<Timed> dispatched = new ArrayList<>();
      List<Timed> completed = new ArrayList<>();
      List<Outcome> results = new ArrayList<>();
      readUntil(
          config.topics().runq(),
          end,
          r -> {
            Invocation inv = Json.MAPPER.readValue(r, Invocation.class);
            dispatched.add(new Timed(inv.function(), inv.dispatchedAt()));
          });
      readUntil(
          config.topics().results(),
          end,
          r -> {
            Outcome o = Json.MAPPER.readValue(r, Outcome.class);
            results.add(o);
            completed.add(new Timed(o.function(), o.finishedAt()));
          });

      double fBefore = rate(dispatched, "f", baselineFrom, slowAt);
      double gBefore = rate(completed, "g", baselineFrom, slowAt);
      // 10 s after the slowdown: f's dispatch has fallen to what its downstream completes.
      double fDispatchSlow = rate(dispatched, "f", slowAt + 10_000, recoverAt);
      double fDoneSlow = rate(completed, "f", slowAt + 10_000, recoverAt);
      double gSlow = rate(completed, "g", slowAt + 10_000, recoverAt);
      System.out.printf(
          "f before %.1f/s; slow: f dispatched %.1f/s, completed %.1f/s; g %.1f/s -> %.1f/s%n",
          fBefore, fDispatchSlow, fDoneSlow, gBefore, gSlow);
      assertThat(fBefore).isBetween(0.8 * RATE, 1.2 * RATE);
      assertThat(fDispatchSlow).isLessThan(0.6 * RATE);
      assertThat(fDispatchSlow).isLessThanOrEqualTo(1.25 * fDoneSlow + 1);
      // g unaffected: within ±10 %.
      assertThat(gSlow).isBetween(0.9 * gBefore, 1.1 * gBefore);
      // f's timeouts stay bounded: its calls wait in the FuncBuffer, not at the sidecar.
      long fTimeouts =
          results.stream()
              .filter(o -> o.function().equals("f") && o.reason() == ReasonCode.TIMEOUT)
              .count();
      assertThat(fTimeouts).isLessThanOrEqualTo(RATE / 4);
      // Recovery: within 30 s, f dispatches at its prior rate again (5 s windows).
      long recoveredAt = -1;
      for (long t = recoverAt; t + 5000 <= recoverAt + 35_000; t += 1000) {
        if (rate(dispatched, "f", t, t + 5000) >= 0.9 * fBefore) {
          recoveredAt = t + 5000;
          break;
        }
      }
      System.out.printf("f recovered %d ms after the downstream%n", recoveredAt - recoverAt);
      assertThat(recoveredAt).as("f back at its prior rate").isPositive();
      assertThat(recoveredAt - recoverAt).isLessThanOrEqualTo(30_000);
      assertThat(results.stream().filter(o -> o.status() == OutcomeStatus.SUCCEEDED).count())
          .isPositive();

      // The decisions explain it: f was paced, g never was.
      List<SchedulingDecision> decisions = new ArrayList<>();
      readUntil(
          config.topics().decisions(),
          end,
          r -> decisions.add(Json.MAPPER.readValue(r, SchedulingDecision.class)));
      assertThat(decisions)
          .anyMatch(
              d -> d.function().equals("f") && d.decision() == SchedulingDecision.Decision.PACED);
      assertThat(decisions)
          .noneMatch(
              d -> d.function().equals("g") && d.decision() == SchedulingDecision.Decision.PACED);
    } finally {
      load.shutdownNow();
      job.cancel().get();
    }
  }

  /** A measurement period of the scenario's timeline (not a wait for a condition). */
  private static void observe(Duration period) throws InterruptedException {
    TimeUnit.MILLISECONDS.sleep(period.toMillis());
  }

  private interface Each {
    void accept(byte[] value) throws Exception;
  }

  /** Every committed record of {@code topic} up to its current end. */
  private static void readUntil(String topic, long end, Each each) throws Exception {
    for (var r : KAFKA.readAll(topic)) each.accept(r.value());
  }

  /** Events of {@code function} per second in {@code [from, to)}. */
  private static double rate(List<Timed> events, String function, long from, long to) {
    long n =
        events.stream()
            .filter(e -> e.function().equals(function) && e.at() >= from && e.at() < to)
            .count();
    return n * 1000.0 / (to - from);
  }
}
