package io.xfaas.scheduler.sim;

import io.xfaas.records.Invocation;
import java.util.ArrayDeque;
import java.util.PriorityQueue;

/**
 * The region's sidecars, modelled: {@code slots} calls run at once (sidecars × threads); a
 * dispatched call waits in RunQ, first in first out, for a free slot, then holds it for its
 * recorded run time. Plain data for the {@link PolicySimulator}'s event loop.
 */
final class SidecarPool {
  /** A call that runs, or ran, on a slot. */
  record Run(Invocation inv, long startAt, long endAt, long seq) {}

  private final int slots;
  private final ArrayDeque<Invocation> runQ = new ArrayDeque<>();
  private final PriorityQueue<Run> running =
      new PriorityQueue<>(
          (a, b) ->
              a.endAt != b.endAt ? Long.compare(a.endAt, b.endAt) : Long.compare(a.seq, b.seq));
  private long seq;

  /**
   * @param slots calls that run at once; 0 or less for no limit
   */
  SidecarPool(int slots) {
    this.slots = slots;
  }

  /**
   * A call reaches RunQ at {@code now}; returns its run when a slot takes it at once, else null.
   */
  Run dispatched(Invocation inv, long runMs, long now) {
    if (slots > 0 && running.size() >= slots) {
      runQ.add(inv);
      return null;
    }
    return start(inv, runMs, now);
  }

  /** When the next running call ends; Long.MAX_VALUE when none runs. */
  long nextEndAt() {
    Run r = running.peek();
    return r == null ? Long.MAX_VALUE : r.endAt;
  }

  /** The call that ends first: it leaves its slot. */
  Run end() {
    return running.poll();
  }

  /** The call RunQ hands the slot just freed, or null when RunQ is empty. */
  Invocation nextWaiting() {
    return runQ.poll();
  }

  Run start(Invocation inv, long runMs, long now) {
    long end = runMs == SimCall.NEVER ? Long.MAX_VALUE : now + runMs;
    Run r = new Run(inv, now, end, seq++);
    running.add(r);
    return r;
  }

  int queued() {
    return runQ.size();
  }
}
