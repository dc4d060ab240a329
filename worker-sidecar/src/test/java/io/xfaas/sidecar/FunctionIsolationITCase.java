package io.xfaas.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.xfaas.records.FunctionFeedback;
import io.xfaas.records.Invocation;
import io.xfaas.serde.Json;
import io.xfaas.testing.EmbeddedKafkaExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sidecar, two functions on their own RunQ partitions (RunQ is keyed by function): when one
 * turns 20 times slower, its window shrinks and the other keeps its throughput. Both functions
 * sleep, so throughput is set by window / latency, not by the machine's CPU: the test stays
 * meaningful on a small, shared machine.
 */
class FunctionIsolationITCase {
  @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  private static final Logger LOG = LoggerFactory.getLogger(FunctionIsolationITCase.class);
  private static final long FAST_MS = 20;
  private static final int WINDOW = 4;
  private static final int CALLS_EACH = 3000;

  private final List<WorkerSidecar> sidecars = new ArrayList<>();

  /** The two functions of the isolation tests, both fast to start with (fresh for each test). */
  private final Timed steady = new Timed("steady", FAST_MS);

  private final Timed degrading = new Timed("degrading", FAST_MS);

  @AfterEach
  void closeSidecars() {
    sidecars.forEach(WorkerSidecar::close);
  }

  @Test
  void aFunctionTwentyTimesSlowerKeepsASmallWindowAndTheOtherKeepsItsThroughput() throws Exception {
    SidecarFixture f = SidecarFixture.create(KAFKA, 2);
    WorkerSidecar s = start(f, steady, degrading);
    f.writeRunQ(calls(), inv -> inv.function().equals("steady") ? 0 : 1);

    // Baseline: both healthy.
    double before = steady.rateOver(100, 400);
    assertThat(s.window("degrading")).isEqualTo(WINDOW);

    degrading.sleepMs = 20 * FAST_MS;
    await("the slow function's window to shrink")
        .atMost(Duration.ofSeconds(20))
        .until(() -> s.window("degrading") <= 1);
    int from = steady.count();
    double during = steady.rateOver(from, from + 300);
    LOG.info(
        "steady: {} calls/s before, {} calls/s while the other is 20x slower (window {})",
        Math.round(before),
        Math.round(during),
        s.window("degrading"));

    assertThat(s.window("degrading")).as("the slow function's window").isLessThanOrEqualTo(1);
    assertThat(s.window("steady")).as("the healthy function's window").isEqualTo(WINDOW);
    assertThat(during).as("steady's throughput, calls/s").isGreaterThanOrEqualTo(0.9 * before);
  }

  @Test
  void eachActiveFunctionIsReportedToTheFeedbackTopicAboutEverySecond() throws Exception {
    SidecarFixture f = SidecarFixture.create(KAFKA, 2);
    WorkerSidecar s = start(f, steady, degrading);
    degrading.sleepMs = 20 * FAST_MS;
    // About 5 s of steady calls (window / latency = 200 calls/s); the slow ones outlast them.
    f.writeRunQ(
        calls().stream()
            .filter(c -> c.function().equals("steady") ? seq(c) < 1000 : seq(c) < 40)
            .toList(),
        inv -> inv.function().equals("steady") ? 0 : 1);

    await("three reports of each function")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> feedback(f, "steady").size() >= 3 && feedback(f, "degrading").size() >= 3);

    List<FunctionFeedback> reports = feedback(f, "degrading");
    FunctionFeedback last = reports.get(reports.size() - 1);
    assertThat(last.sidecar()).isEqualTo(s.name());
    assertThat(last.region()).isEqualTo("it");
    assertThat(last.capacity()).isEqualTo(s.capacity());
    assertThat(last.reportedAt() - last.periodStart()).isBetween(500L, 3000L);
    assertThat(reports.stream().mapToLong(FunctionFeedback::completions).sum()).isPositive();
    assertThat(reports.stream().mapToLong(FunctionFeedback::latencyP99Ms).max().getAsLong())
        .isGreaterThanOrEqualTo(20 * FAST_MS);
    assertThat(reports).allSatisfy(r -> assertThat(r.window()).isBetween(1, WINDOW));
    assertThat(reports).anySatisfy(r -> assertThat(r.inFlight() + r.queued()).isPositive());
    assertThat(feedback(f, "steady"))
        .allSatisfy(
            r -> {
              assertThat(r.errors() + r.timeouts() + r.throttles()).isZero();
              assertThat(r.latencyP50Ms()).isLessThanOrEqualTo(r.latencyP99Ms());
              assertThat(r.utilization()).isBetween(0.0, 1.0);
            });
  }

  @Test
  void namesServedByOnePrefixFunctionHaveLanesAndFeedbackOfTheirOwn() throws Exception {
    SidecarFixture f = SidecarFixture.create(KAFKA, 2);
    Timed shared = new Timed("shared", 2);
    WorkerSidecar s = start(f, new FunctionRegistry().register(shared).servePrefix("p-", "shared"));
    List<Invocation> calls = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      calls.add(SidecarFixture.invocation("a-" + i, "p-a", null));
      calls.add(SidecarFixture.invocation("b-" + i, "p-b", null));
    }
    f.writeRunQ(calls, inv -> inv.function().equals("p-a") ? 0 : 1);

    // Each name is a function to the scheduler: it paces and learns run times by that name, and a
    // slow one must not hold up the other in one shared queue.
    await("reports of both names")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> !feedback(f, "p-a").isEmpty() && !feedback(f, "p-b").isEmpty());
    assertThat(s.window("p-a")).isPositive();
    assertThat(s.window("p-b")).isPositive();
    assertThat(s.window("shared")).as("no lane under the serving function's name").isZero();
    assertThat(feedback(f, "shared")).isEmpty();
    assertThat(
            feedback(f, "p-a").stream().mapToLong(FunctionFeedback::completions).sum()
                + feedback(f, "p-b").stream().mapToLong(FunctionFeedback::completions).sum())
        .isPositive();
  }

  private WorkerSidecar start(SidecarFixture f, XfaasFunction... fns) {
    FunctionRegistry registry = new FunctionRegistry();
    for (XfaasFunction fn : fns) registry.register(fn);
    return start(f, registry);
  }

  private WorkerSidecar start(SidecarFixture f, FunctionRegistry registry) {
    WorkerSidecar s =
        new WorkerSidecar(
            f.config(
                Map.of(
                    "xfaas.sidecar.threads",
                    "16",
                    "xfaas.sidecar.window-initial",
                    Integer.toString(WINDOW),
                    "xfaas.sidecar.window-max",
                    Integer.toString(WINDOW),
                    "xfaas.sidecar.max-poll-records",
                    "100")),
            registry);
    sidecars.add(s);
    return s.start();
  }

  private static List<Invocation> calls() {
    List<Invocation> out = new ArrayList<>();
    IntStream.range(0, CALLS_EACH)
        .forEach(
            i -> {
              out.add(SidecarFixture.invocation("s-" + i, "steady", null));
              out.add(SidecarFixture.invocation("d-" + i, "degrading", null));
            });
    return out;
  }

  private static int seq(Invocation c) {
    return Integer.parseInt(c.id().substring(2));
  }

  private static List<FunctionFeedback> feedback(SidecarFixture f, String function) {
    List<FunctionFeedback> out = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : f.readAll(f.topics().feedback())) {
      try {
        FunctionFeedback fb = Json.MAPPER.readValue(r.value(), FunctionFeedback.class);
        if (fb.function().equals(function)) out.add(fb);
      } catch (java.io.IOException e) {
        throw new AssertionError(e);
      }
    }
    return out;
  }

  /** Sleeps a settable time per call and remembers when each call ended. */
  private static final class Timed implements XfaasFunction {
    private final String name;
    private final ConcurrentLinkedQueue<Long> ends = new ConcurrentLinkedQueue<>();
    volatile long sleepMs;

    Timed(String name, long sleepMs) {
      this.name = name;
      this.sleepMs = sleepMs;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public String invoke(String payloadJson, CallContext ctx) throws InterruptedException {
      Thread.sleep(sleepMs);
      ends.add(System.nanoTime());
      return null;
    }

    int count() {
      return ends.size();
    }

    /** Calls per second between the {@code from}-th and the {@code to}-th call to end. */
    double rateOver(int from, int to) {
      await(name + " to complete " + to + " calls")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> ends.size() >= to);
      Long[] t = ends.toArray(new Long[0]);
      return (to - from) / ((t[to - 1] - t[from]) / 1e9);
    }
  }
}
