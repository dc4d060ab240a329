package io.xfaas.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.xfaas.records.Invocation;
import io.xfaas.submit.InvocationBuilder;
import io.xfaas.window.WindowSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Runs of batches on call threads: shared threads for fast functions, timeouts and hand-overs. */
class BatchRunnerTest {
  private static final Duration BUDGET = Duration.ofMillis(1);

  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final Map<String, CallResult.Kind> answers = new ConcurrentHashMap<>();
  private final Map<String, String> threads = new ConcurrentHashMap<>();
  private final List<String> order = java.util.Collections.synchronizedList(new ArrayList<>());
  private final CountDownLatch release = new CountDownLatch(1);
  private BatchRunner runner;

  @AfterEach
  void stop() {
    release.countDown();
    if (runner != null) runner.close();
    timer.shutdownNow();
  }

  @Test
  void batchesOfAFastFunctionShareOneCallThread() {
    runner = runner(Duration.ofSeconds(5));
    FunctionLane lane = lane(fn());
    lane.observeBatchNanos(1_000); // 1 µs a batch: a thousand fit the budget

    runner.startAll(lane, batches("c", 20));

    await().atMost(Duration.ofSeconds(10)).until(() -> answers.size() == 20);
    assertThat(answers.values()).containsOnly(CallResult.Kind.OK);
    assertThat(threads.values().stream().distinct()).hasSize(1);
  }

  @Test
  void batchesOfAFunctionNotMeasuredYetRunAtOnceOnThreadsOfTheirOwn() throws Exception {
    runner = runner(Duration.ofSeconds(5));
    CountDownLatch allStarted = new CountDownLatch(3);
    FunctionLane lane =
        lane(
            fn(
                id -> {
                  allStarted.countDown();
                  allStarted.await(); // returns only if all three run at the same time
                }));

    runner.startAll(lane, batches("c", 3));

    await().atMost(Duration.ofSeconds(10)).until(() -> answers.size() == 3);
    assertThat(answers.values()).containsOnly(CallResult.Kind.OK);
    assertThat(threads.values().stream().distinct()).hasSize(3);
  }

  @Test
  void aBatchPastTheTimeoutInARunTimesOutAndTheBatchesBehindItStillRun() {
    runner = runner(Duration.ofMillis(200));

    startC0AndTwoMore(() -> release.await()); // c0 hangs until interrupted

    await().atMost(Duration.ofSeconds(10)).until(() -> answers.size() == 3);
    assertThat(answers)
        .containsEntry("c0", CallResult.Kind.TIMEOUT)
        .containsEntry("c1", CallResult.Kind.OK)
        .containsEntry("c2", CallResult.Kind.OK);
  }

  @Test
  void aBatchThatHoldsUpItsRunHandsTheWaitingBatchesToAnotherThread() {
    runner = runner(Duration.ofSeconds(30));

    startC0AndTwoMore(() -> release.await(10, TimeUnit.SECONDS));

    // c0 runs until released; the others would wait behind it for good, were they not moved.
    await().atMost(Duration.ofSeconds(10)).until(() -> answers.size() == 2);
    assertThat(answers).containsOnlyKeys("c1", "c2");
    release.countDown();
    await().atMost(Duration.ofSeconds(10)).until(() -> answers.size() == 3);
    assertThat(order).endsWith("c0");
  }

  private interface Body {
    void run(String id) throws Exception;
  }

  private interface Wait {
    void run() throws Exception;
  }

  private static XfaasFunction fn() {
    return fn(id -> {});
  }

  private static XfaasFunction fn(Body body) {
    return TestFunction.fn(
        "f",
        (payload, ctx) -> {
          body.run(ctx.id());
          return null;
        });
  }

  /** Starts c0, c1 and c2 of a measured fast function, c0 running {@code c0} first. */
  private void startC0AndTwoMore(Wait c0) {
    FunctionLane lane =
        lane(
            fn(
                id -> {
                  if (id.equals("c0")) c0.run();
                }));
    lane.observeBatchNanos(1_000);
    runner.startAll(lane, batches("c", 3));
  }

  private BatchRunner runner(Duration timeout) {
    return new BatchRunner(
        "test-call-",
        timer,
        timeout,
        BUDGET,
        "timed out",
        System::currentTimeMillis,
        (lane, batch, results, startedAt, latencyMs) -> {
          for (int i = 0; i < batch.size(); i++) {
            String id = batch.get(i).call().invocation().id();
            threads.put(id, Thread.currentThread().getName());
            order.add(id);
            answers.put(id, results.get(i).kind());
          }
        });
  }

  private FunctionLane lane(XfaasFunction fn) {
    return new FunctionLane(
        fn.name(),
        fn,
        new FunctionLane.Shared(
            1,
            0,
            new WindowSettings(64, 1, 64, 0.5, 2),
            new Capacity(64),
            (l, b) -> {},
            timer,
            System::currentTimeMillis));
  }

  private static List<List<FunctionLane.Queued>> batches(String prefix, int n) {
    PartitionProgress progress = new PartitionProgress();
    List<List<FunctionLane.Queued>> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Invocation inv =
          InvocationBuilder.call("t", "f").id(prefix + i).submittedAt(1).maxAttempts(3).build();
      progress.received(i);
      InvocationRunner.Prepared.Ready ready =
          new InvocationRunner.Prepared.Ready(
              new RunQRecord("runq", 0, i, new byte[0]),
              inv,
              null,
              new FunctionCall(null, CallContext.of(inv)));
      out.add(List.of(new FunctionLane.Queued(ready, progress, 0)));
    }
    return out;
  }
}
