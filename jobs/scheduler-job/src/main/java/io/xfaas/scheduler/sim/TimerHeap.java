package io.xfaas.scheduler.sim;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The tenants' processing-time timers, in the order the job's Flink timer service fires them: a
 * binary heap by time only, as Flink's heap timer queue ({@code HeapPriorityQueueSet}, which the
 * job uses: its timers are on the heap) keeps them, one timer per tenant and time. Timers due at
 * the same ms fire in the heap's order, which follows the order they were set and removed, not the
 * tenants' names; at the start of a backlog that order decides who is in the fair share's first
 * split. {@code TimerHeapTest} checks the order against Flink's own queue.
 */
final class TimerHeap {
  /** One tenant's timer; its place in the heap moves as the heap changes. */
  record Timer(long at, String tenant) {}

  private static final int HEAD = 1; // as Flink's heap: index 0 unused

  private Timer[] heap = new Timer[64];
  private final Map<Timer, Integer> index = new HashMap<>();
  private int size;

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** The timer that fires next; null when none is set. */
  Timer peek() {
    return size == 0 ? null : heap[HEAD];
  }

  /** Sets a timer (as Flink's queue, the heap takes the timer itself); false when it is set. */
  boolean add(Timer t) {
    if (index.containsKey(t)) return false;
    if (++size >= heap.length) heap = Arrays.copyOf(heap, heap.length * 2);
    move(t, size);
    siftUp(size);
    return true;
  }

  /** Deletes a timer; false when there was none. */
  boolean remove(Timer t) {
    Integer i = index.get(t);
    if (i == null) return false;
    removeAt(i);
    return true;
  }

  /** Takes the timer that fires next; null when none is set. */
  Timer poll() {
    return size == 0 ? null : removeAt(HEAD);
  }

  private Timer removeAt(int i) {
    Timer removed = heap[i];
    int last = size;
    if (i != last) {
      Timer moved = heap[last];
      move(moved, i);
      siftDown(i);
      if (heap[i] == moved) siftUp(i);
    }
    heap[last] = null;
    size--;
    index.remove(removed);
    return removed;
  }

  private void siftUp(int i) {
    Timer t = heap[i];
    int parent = i >>> 1;
    while (parent > 0 && earlier(t, heap[parent])) {
      move(heap[parent], i);
      i = parent;
      parent >>>= 1;
    }
    move(t, i);
  }

  private void siftDown(int i) {
    Timer t = heap[i];
    int child = earlierChild(i);
    while (child <= size && earlier(heap[child], t)) {
      move(heap[child], i);
      i = child;
      child = earlierChild(i);
    }
    move(t, i);
  }

  /** The first child, or the second when it is strictly earlier: ties go left, as in Flink. */
  private int earlierChild(int i) {
    int first = i << 1;
    int second = first + 1;
    return second <= size && earlier(heap[second], heap[first]) ? second : first;
  }

  /** Strictly earlier: equal times never swap, so their order is the heap's history. */
  private static boolean earlier(Timer a, Timer b) {
    return a.at() < b.at();
  }

  private void move(Timer t, int i) {
    heap[i] = t;
    index.put(t, i);
  }
}
