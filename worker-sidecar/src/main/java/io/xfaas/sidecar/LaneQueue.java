package io.xfaas.sidecar;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The calls waiting in a {@link FunctionLane}, in the order they start: the order they arrived (the
 * scheduler's dispatch order, which already ranks criticality and priority), except that a call
 * whose deadline is closer than the lane needs to get to it goes first, earliest deadline first.
 * Without that, a DEFERRABLE call the scheduler held to its latest start queues behind the calls
 * its function received since and finishes past its deadline. A call already past its deadline
 * gains nothing by going first and keeps its place, so late calls cannot push further calls late.
 *
 * <p>Not thread-safe: its lane's lock guards it.
 */
final class LaneQueue {
  private static final class Entry {
    final FunctionLane.Queued call;
    final long deadline;
    final long seq;
    boolean taken;

    Entry(FunctionLane.Queued call, long deadline, long seq) {
      this.call = call;
      this.deadline = deadline;
      this.seq = seq;
    }
  }

  private static final Comparator<Entry> EARLIEST_DEADLINE =
      Comparator.<Entry>comparingLong(e -> e.deadline).thenComparingLong(e -> e.seq);

  // Entries taken out of deadline order stay here, marked, until they reach the head: the head only
  // moves forward, so they are gone by the time the calls queued before them are.
  private final ArrayDeque<Entry> arrival = new ArrayDeque<>();
  // Only the calls with a deadline still ahead of them, removed as they start.
  private final TreeSet<Entry> byDeadline = new TreeSet<>(EARLIEST_DEADLINE);
  private long seq;
  private int size;

  void add(FunctionLane.Queued call) {
    Long deadline = call.call().invocation().deadline();
    Entry e = new Entry(call, deadline == null ? Long.MAX_VALUE : deadline, seq++);
    arrival.add(e);
    if (deadline != null) byDeadline.add(e);
    size++;
  }

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** When the call waiting longest was queued; the queue must not be empty. */
  long oldestQueuedAtMs() {
    return head().call.queuedAtMs();
  }

  /**
   * Takes the next call to start: the one with the earliest deadline if that deadline is after
   * {@code now} and within {@code urgentWithinMs} of it, else the one that arrived first; null when
   * empty.
   */
  FunctionLane.Queued poll(long now, long urgentWithinMs) {
    if (size == 0) return null;
    // Calls past their deadline keep their place in arrival order only.
    while (!byDeadline.isEmpty() && byDeadline.first().deadline <= now) byDeadline.pollFirst();
    Entry e;
    if (!byDeadline.isEmpty() && byDeadline.first().deadline - now <= urgentWithinMs) {
      e = byDeadline.pollFirst();
      e.taken = true;
    } else {
      e = head();
      arrival.poll();
      if (e.deadline != Long.MAX_VALUE) byDeadline.remove(e);
    }
    size--;
    return e.call;
  }

  /** Takes out every waiting call {@code which} matches, in arrival order. */
  List<FunctionLane.Queued> removeIf(Predicate<FunctionLane.Queued> which) {
    List<FunctionLane.Queued> removed = new ArrayList<>();
    for (Entry e : arrival) {
      if (e.taken || !which.test(e.call)) continue;
      e.taken = true;
      byDeadline.remove(e);
      removed.add(e.call);
      size--;
    }
    return removed;
  }

  private Entry head() {
    while (arrival.peek().taken) arrival.poll();
    return arrival.peek();
  }
}
