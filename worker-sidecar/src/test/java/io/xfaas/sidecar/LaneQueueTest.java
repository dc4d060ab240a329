package io.xfaas.sidecar;

import static io.xfaas.sidecar.TestFunction.fn;
import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.records.Invocation;
import io.xfaas.submit.InvocationBuilder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The order calls leave a lane in: arrival order, but calls due soon first. */
class LaneQueueTest {
  private static final long NOW = 10_000;
  private static final XfaasFunction FN = fn("f", 1, (payload, ctx) -> null);

  private final PartitionProgress progress = new PartitionProgress();
  private final LaneQueue queue = new LaneQueue();
  private long nextOffset;

  @Test
  void callsLeaveInArrivalOrderWhenNoneIsDueSoon() {
    add("a", null);
    add("b", NOW + 60_000);
    add("c", NOW + 5_000);
    add("d", null);

    assertThat(drain(1_000)).containsExactly("a", "b", "c", "d");
  }

  @Test
  void aCallDueWithinTheLanesDrainTimeGoesFirstEarliestDeadlineFirst() {
    add("normal-1", null);
    add("normal-2", null);
    add("due-late", NOW + 900);
    add("due-soon", NOW + 300);
    add("far", NOW + 60_000);

    assertThat(drain(1_000)).containsExactly("due-soon", "due-late", "normal-1", "normal-2", "far");
  }

  @Test
  void aCallPastItsDeadlineKeepsItsPlace() {
    add("normal", null);
    add("late", NOW - 1);
    add("due", NOW + 100);

    assertThat(drain(1_000)).containsExactly("due", "normal", "late");
  }

  @Test
  void theUrgentHorizonIsCheckedAtEachPoll() {
    add("normal", null);
    add("dated", NOW + 2_000);

    assertThat(queue.poll(NOW, 1_000).call().invocation().id()).isEqualTo("normal");
    assertThat(queue.size()).isEqualTo(1);
    assertThat(queue.poll(NOW, 1_000).call().invocation().id()).isEqualTo("dated");
    assertThat(queue.isEmpty()).isTrue();
    assertThat(queue.poll(NOW, 1_000)).isNull();
  }

  @Test
  void theOldestCallIsTheFirstArrivedStillWaiting() {
    add("first", null, 1);
    add("due", NOW + 100, 2);
    add("third", null, 3);

    assertThat(queue.poll(NOW, 1_000).call().invocation().id()).isEqualTo("due");
    assertThat(queue.oldestQueuedAtMs()).isEqualTo(1);
    queue.poll(NOW, 1_000);
    assertThat(queue.oldestQueuedAtMs()).as("the due call left out of order").isEqualTo(3);
  }

  @Test
  void removedCallsNeverLeaveAndTheRestKeepTheirOrder() {
    PartitionProgress other = new PartitionProgress();
    add("a", null);
    add("b-due", NOW + 100, other);
    add("c", NOW + 50_000);
    add("d-due", NOW + 200);

    List<FunctionLane.Queued> removed = queue.removeIf(q -> q.progress() == other);

    assertThat(removed).extracting(q -> q.call().invocation().id()).containsExactly("b-due");
    assertThat(queue.size()).isEqualTo(3);
    assertThat(drain(1_000)).containsExactly("d-due", "a", "c");
  }

  private List<String> drain(long urgentWithinMs) {
    List<String> ids = new ArrayList<>();
    for (FunctionLane.Queued q; (q = queue.poll(NOW, urgentWithinMs)) != null; ) {
      ids.add(q.call().invocation().id());
    }
    assertThat(queue.size()).isZero();
    return ids;
  }

  private void add(String id, Long deadline) {
    add(id, deadline, progress, NOW);
  }

  private void add(String id, Long deadline, long queuedAt) {
    add(id, deadline, progress, queuedAt);
  }

  private void add(String id, Long deadline, PartitionProgress p) {
    add(id, deadline, p, NOW);
  }

  private void add(String id, Long deadline, PartitionProgress p, long queuedAt) {
    long offset = nextOffset++;
    InvocationBuilder b = InvocationBuilder.call("t", "f").id(id).submittedAt(1).maxAttempts(3);
    if (deadline != null) b.deadline(deadline);
    Invocation inv = b.build();
    queue.add(
        new FunctionLane.Queued(
            new InvocationRunner.Prepared.Ready(
                new RunQRecord("runq", 0, offset, new byte[0]),
                inv,
                FN,
                new FunctionCall(null, CallContext.of(inv))),
            p,
            queuedAt));
  }
}
