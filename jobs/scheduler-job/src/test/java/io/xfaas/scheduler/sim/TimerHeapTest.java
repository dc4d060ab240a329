package io.xfaas.scheduler.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.heap.HeapPriorityQueueSet;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.TimerHeapInternalTimer;
import org.junit.jupiter.api.Test;

/**
 * The simulator's timers fire in the order of Flink's heap timer queue, the one the job's timer
 * service keeps its processing-time timers in: the same sets, deletes and firings, many of them due
 * at the same ms, come out of both in the same order.
 */
class TimerHeapTest {
  private static final int KEY_GROUPS = 128;

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static HeapPriorityQueueSet<TimerHeapInternalTimer<String, VoidNamespace>> flinkQueue() {
    return new HeapPriorityQueueSet(
        InternalTimer.TIMER_COMPARATOR,
        InternalTimer.KEY_EXTRACTOR_FUNCTION,
        16,
        KeyGroupRange.of(0, KEY_GROUPS - 1),
        KEY_GROUPS);
  }

  private static TimerHeapInternalTimer<String, VoidNamespace> timer(long at, String tenant) {
    return new TimerHeapInternalTimer<>(at, tenant, VoidNamespace.INSTANCE);
  }

  @Test
  void timersDueAtOnceFireInFlinksOrderNotByName() {
    TimerHeap heap = new TimerHeap();
    var flink = flinkQueue();
    // Set in this order, all due at 100: each firing moves the last timer to the head, where a
    // tie leaves it.
    for (String t : List.of("w1", "w2", "w5", "flooder", "slow", "small")) {
      heap.add(new TimerHeap.Timer(100, t));
      flink.add(timer(100, t));
    }
    List<String> ours = new ArrayList<>();
    List<String> theirs = new ArrayList<>();
    while (!heap.isEmpty()) ours.add(heap.poll().tenant());
    while (!flink.isEmpty()) theirs.add(flink.poll().getKey());
    assertThat(theirs).containsExactly("w1", "small", "slow", "flooder", "w5", "w2");
    assertThat(ours).isEqualTo(theirs);
  }

  @Test
  void randomSetsDeletesAndFiringsComeOutInFlinksOrder() {
    Random random = new Random(17);
    for (int round = 0; round < 200; round++) {
      TimerHeap heap = new TimerHeap();
      var flink = flinkQueue();
      List<String> ours = new ArrayList<>();
      List<String> theirs = new ArrayList<>();
      for (int op = 0; op < 400; op++) {
        long at = random.nextInt(8); // few distinct times: many ties
        String tenant = "t" + random.nextInt(12);
        int kind = random.nextInt(10);
        if (kind < 5) {
          heap.add(new TimerHeap.Timer(at, tenant));
          flink.add(timer(at, tenant));
        } else if (kind < 8) {
          heap.remove(new TimerHeap.Timer(at, tenant));
          flink.remove(timer(at, tenant));
        } else if (!heap.isEmpty()) {
          TimerHeap.Timer t = heap.poll();
          ours.add(t.at() + "/" + t.tenant());
          var f = flink.poll();
          theirs.add(f.getTimestamp() + "/" + f.getKey());
        }
        assertThat(heap.size()).isEqualTo(flink.size());
      }
      while (!heap.isEmpty()) {
        TimerHeap.Timer t = heap.poll();
        ours.add(t.at() + "/" + t.tenant());
        var f = flink.poll();
        theirs.add(f.getTimestamp() + "/" + f.getKey());
      }
      assertThat(flink.isEmpty()).isTrue();
      assertThat(ours).as("round " + round).isEqualTo(theirs);
    }
  }
}
