package io.xfaas.sidecar;

import static io.xfaas.sidecar.TestFunction.fn;
import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.records.Invocation;
import io.xfaas.submit.InvocationBuilder;
import io.xfaas.window.WindowSettings;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Lanes without Kafka: batches, linger, windows and the shared capacity, on a fake clock. */
class FunctionLaneTest {
  private static final long LINGER_MS = 5;

  private final AtomicLong clock = new AtomicLong(1_000);
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final List<List<FunctionLane.Queued>> started =
      Collections.synchronizedList(new ArrayList<>());
  private final PartitionProgress progress = new PartitionProgress();
  private long nextOffset;

  @AfterEach
  void stopTimer() {
    timer.shutdownNow();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "calls of a batching function run in full batches          | 4   | 16 | 8 | false | 4 4",
        "the batch-size option caps the batch size of the function | 100 | 3  | 7 | true  | 3 3 1",
        "a function that takes no batches runs one call at a time  | 1   | 16 | 3 | false | 1 1 1"
      })
  void callsStartInTheLargestBatchesTheFunctionAndTheOptionAllow(
      String what, int maxBatch, int batchSize, int calls, boolean lingered, String batches) {
    FunctionLane lane = lane(batching("b", maxBatch), batchSize, window(16), new Capacity(100));
    add(lane, calls);
    if (lingered) clock.addAndGet(LINGER_MS);

    lane.pump();

    assertThat(started)
        .extracting(List::size)
        .containsExactly(
            Stream.of(batches.split(" ")).map(Integer::valueOf).toArray(Integer[]::new));
  }

  @Test
  void aPartialBatchLingersThenGoes() {
    FunctionLane lane = lane(batching("b", 4), 16, window(16), new Capacity(100));
    add(lane, 6);

    lane.pump();
    assertThat(started).extracting(List::size).as("4 now, 2 lingering").containsExactly(4);

    clock.addAndGet(LINGER_MS);
    lane.pump();
    assertThat(started).extracting(List::size).containsExactly(4, 2);
  }

  @Test
  void theWindowBoundsTheCallsInFlightAndGrowsAsTheyAnswer() {
    FunctionLane lane = pumpedLane(new WindowSettings(2, 1, 64, 0.5, 2), 100, 10);

    assertThat(started).hasSize(2);
    assertThat(lane.inFlight()).isEqualTo(2);

    finish(lane, started.get(0), CallResult.ok(null));
    // Slow start: the answer freed one slot and grew the window by one.
    assertThat(lane.window()).isEqualTo(3);
    assertThat(started).hasSize(4);
    assertThat(lane.inFlight()).isEqualTo(3);
  }

  @Test
  void aFailureShrinksTheWindow() {
    FunctionLane lane = pumpedLane(new WindowSettings(8, 1, 64, 0.5, 2), 100, 20);
    assertThat(lane.inFlight()).isEqualTo(8);

    finish(lane, started.get(0), CallResult.throttled("busy"));

    assertThat(lane.window()).isEqualTo(4);
    assertThat(lane.inFlight()).as("no new call until below the window").isEqualTo(7);
    assertThat(started).hasSize(8);
  }

  @Test
  void aFunctionHoldingTheCapacityCannotKeepAnotherOut() {
    Capacity capacity = new Capacity(4);
    FunctionLane slow = lane(single("slow"), 16, window(64), capacity);
    FunctionLane other = lane(single("other"), 16, window(64), capacity);
    add(slow, 10);
    slow.pump();
    assertThat(slow.inFlight()).as("alone, it may use it all").isEqualTo(4);

    add(other, 10);
    other.pump();

    assertThat(other.inFlight()).as("its fair share, at once").isEqualTo(2);
    finish(slow, started.get(0), CallResult.ok(null));
    assertThat(slow.inFlight()).as("over its share: no new slot").isEqualTo(3);
  }

  @Test
  void withMoreFunctionsThanSlotsNoneGoesOverCapacityAndFreedSlotsGoToThoseWaiting() {
    Capacity capacity = new Capacity(2);
    FunctionLane hog = lane(single("hog"), 16, window(64), capacity);
    FunctionLane b = lane(single("b"), 16, window(64), capacity);
    FunctionLane c = lane(single("c"), 16, window(64), capacity);
    add(hog, 10);
    add(b, 10);
    add(c, 10);
    hog.pump();
    b.pump();
    c.pump();
    assertThat(hog.inFlight()).isEqualTo(2);
    assertThat(b.inFlight() + c.inFlight())
        .as("a share under one slot: none over capacity")
        .isZero();
    assertThat(capacity.inUse()).isEqualTo(2);

    finish(hog, started.get(0), CallResult.ok(null));
    assertThat(b.inFlight()).as("the slot goes to the lane that waited longest").isEqualTo(1);
    assertThat(hog.inFlight()).isEqualTo(1);
    finish(hog, started.get(1), CallResult.ok(null));
    assertThat(c.inFlight()).isEqualTo(1);
    assertThat(hog.inFlight()).isZero();
    assertThat(capacity.inUse()).isEqualTo(2);
  }

  @Test
  void droppedCallsAreAbandonedAndNeverStart() {
    FunctionLane lane = pumpedLane(new WindowSettings(1, 1, 1, 0.5, 2), 10, 3);

    lane.dropQueued(progress);

    assertThat(lane.queued()).isZero();
    assertThat(progress.outstanding()).as("only the running call").isEqualTo(1);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "a call due before the lane gets to it starts first | 100 | id-5",
        "until a batch has run, calls start in arrival order | -1  | id-0"
      })
  void aCallDueBeforeTheLaneGetsToItStartsAheadOfTheCallsQueuedBeforeIt(
      String what, long batchMs, String firstStarted) {
    FunctionLane lane = lane(single("s"), 16, window(1), new Capacity(1));
    if (batchMs > 0) lane.observeBatchNanos(batchMs * 1_000_000);
    add(lane, 5);
    // Five calls of 100 ms ahead of it: in arrival order it would start after its deadline.
    add(lane, 1, clock.get() + 300);

    lane.pump();

    assertThat(started).hasSize(1);
    assertThat(started.get(0).get(0).call().invocation().id()).isEqualTo(firstStarted);
  }

  private void finish(FunctionLane lane, List<FunctionLane.Queued> batch, CallResult r) {
    lane.finished(batch, Collections.nCopies(batch.size(), r), 10);
  }

  private static WindowSettings window(int size) {
    return new WindowSettings(size, 1, size, 0.5, 2);
  }

  private FunctionLane lane(XfaasFunction fn, int batchSize, WindowSettings w, Capacity c) {
    return new FunctionLane(
        fn.name(),
        fn,
        new FunctionLane.Shared(
            batchSize, LINGER_MS, w, c, (lane, batch) -> started.add(batch), timer, clock::get));
  }

  /** A lane of a function that takes one call at a time, given {@code calls} and pumped once. */
  private FunctionLane pumpedLane(WindowSettings w, int capacity, int calls) {
    FunctionLane lane = lane(single("s"), 16, w, new Capacity(capacity));
    add(lane, calls);
    lane.pump();
    return lane;
  }

  private void add(FunctionLane lane, int n) {
    add(lane, n, null);
  }

  private void add(FunctionLane lane, int n, Long deadline) {
    for (int i = 0; i < n; i++) {
      long offset = nextOffset++;
      progress.received(offset);
      InvocationBuilder b =
          InvocationBuilder.call("t", lane.function())
              .id("id-" + offset)
              .submittedAt(1)
              .maxAttempts(3);
      if (deadline != null) b.deadline(deadline);
      Invocation inv = b.build();
      InvocationRunner.Prepared.Ready ready =
          new InvocationRunner.Prepared.Ready(
              new RunQRecord("runq", 0, offset, new byte[0]),
              inv,
              lane.implementation(),
              new FunctionCall(null, CallContext.of(inv)));
      lane.add(new FunctionLane.Queued(ready, progress, clock.get()));
    }
  }

  private static XfaasFunction single(String name) {
    return batching(name, 1);
  }

  private static XfaasFunction batching(String name, int maxBatch) {
    return fn(name, maxBatch, (payload, ctx) -> null);
  }
}
