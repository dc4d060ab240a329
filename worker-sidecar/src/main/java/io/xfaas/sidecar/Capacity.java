package io.xfaas.sidecar;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The sidecar's capacity: most calls running at once over all functions, shared fairly. A function
 * may start calls while the sidecar is below capacity; at capacity, a function still below its fair
 * share ({@code capacity / active functions}, whole slots) may start calls too, so a function that
 * holds many slots cannot keep the others out: it gets no new slot until it is back under its
 * share. With more active functions than slots the share is under one slot and nobody goes over
 * capacity; a freed slot then goes first to the functions that waited for one ({@link #release}),
 * so none is starved either.
 *
 * <p>Thread-safe. Lanes call in while holding their own lock (lane, then capacity: one order).
 */
final class Capacity {
  private final int capacity;
  private final Set<FunctionLane> active = new LinkedHashSet<>();
  private final Set<FunctionLane> waiting = new LinkedHashSet<>();
  private final Map<FunctionLane, Integer> running = new HashMap<>();
  private int inUse;
  private final LongSupplier clockMs;
  // Slot-milliseconds in use since the period started: utilization is a period's average, not a
  // snapshot (with a few slots, a snapshot reads 0 or 1 and little between).
  private long periodStart;
  private long lastChange;
  private double busySlotMs;

  Capacity(int capacity) {
    this(capacity, System::currentTimeMillis);
  }

  Capacity(int capacity, LongSupplier clockMs) {
    this.capacity = capacity;
    this.clockMs = clockMs;
    this.periodStart = this.lastChange = clockMs.getAsLong();
  }

  /**
   * The average share of the slots in use since the last call (or since start), at most 1; starts
   * the next period.
   */
  synchronized double periodUtilization() {
    long now = clockMs.getAsLong();
    accrue(now);
    long period = now - periodStart;
    double u = period <= 0 ? (double) inUse / capacity : busySlotMs / ((double) period * capacity);
    periodStart = now;
    busySlotMs = 0;
    return Math.max(0, Math.min(1.0, u));
  }

  private void accrue(long now) {
    if (now > lastChange) busySlotMs += (double) inUse * (now - lastChange);
    lastChange = Math.max(lastChange, now);
  }

  int capacity() {
    return capacity;
  }

  /** The slots each active lane is due: the capacity over the lanes with work, at least one. */
  synchronized int share() {
    return Math.max(1, capacity / Math.max(1, active.size()));
  }

  synchronized int inUse() {
    return inUse;
  }

  /** Whether {@code lane} has work (queued or running); only active lanes share the capacity. */
  synchronized void setActive(FunctionLane lane, boolean hasWork) {
    if (hasWork) {
      active.add(lane);
    } else {
      active.remove(lane);
      waiting.remove(lane);
      running.remove(lane);
    }
  }

  /**
   * Takes up to {@code wanted} slots for a lane that runs {@code laneInFlight} calls now.
   *
   * @return the slots granted: all of them or, for a lane with nothing running, at least one; 0
   *     when none: the lane is then woken by {@link #release}
   */
  synchronized int acquire(FunctionLane lane, int wanted, int laneInFlight) {
    int share = capacity / Math.max(1, active.size());
    int allowed = Math.max(capacity - inUse, share - laneInFlight);
    int granted = Math.max(0, Math.min(wanted, allowed));
    // A lane with calls running waits for a whole batch rather than fragment its batches: the
    // slots its running calls free will wake it.
    if (granted < wanted && laneInFlight > 0) granted = 0;
    if (granted > 0) accrue(clockMs.getAsLong());
    inUse += granted;
    if (granted > 0) running.merge(lane, granted, Integer::sum);
    if (granted < wanted) {
      waiting.add(lane);
    } else {
      waiting.remove(lane);
    }
    return granted;
  }

  /**
   * Gives back {@code n} slots of {@code lane}.
   *
   * @return the lanes that waited for slots, those running fewest calls first, then longest
   *     waiting: the caller pumps them in that order, outside any lock, before the releasing lane
   *     takes the slots again
   */
  synchronized List<FunctionLane> release(FunctionLane lane, int n) {
    accrue(clockMs.getAsLong());
    inUse -= n;
    running.computeIfPresent(lane, (l, r) -> r > n ? r - n : null);
    if (waiting.isEmpty()) return List.of();
    List<FunctionLane> wake = new ArrayList<>(waiting);
    wake.sort(Comparator.comparingInt(l -> running.getOrDefault(l, 0)));
    waiting.clear();
    return wake;
  }
}
