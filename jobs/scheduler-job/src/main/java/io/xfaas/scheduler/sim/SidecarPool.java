package io.xfaas.scheduler.sim;

import io.xfaas.records.FunctionFeedback;
import io.xfaas.records.Invocation;
import io.xfaas.window.AimdWindow;
import io.xfaas.window.WindowSettings;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The region's sidecars, modelled as the real ones share their slots. With a {@link SidecarLayout}
 * each sidecar runs the functions of its RunQ partitions: a dispatched call waits in its function's
 * lane there, first in first out, and starts when the function's concurrency window has room
 * ({@link AimdWindow}, the sidecar's own) and the sidecar has a free slot, or, at capacity, when
 * its function runs fewer calls than its fair share of the slots (the sidecar's {@code Capacity}:
 * slots over active functions), so one busy function cannot keep the others out. A freed slot goes
 * first to the lanes that waited, those running fewest calls first. Without a layout it is one pool
 * of all the slots: RunQ's order over all functions, never over capacity, every function's window
 * the slots. Each sidecar reports on its own clock, per function, what the real one reports:
 * completions, latency p50/p99, its window, in flight, queued, and its utilization averaged over
 * the period. Calls run one at a time per slot (the sidecar's batching and lingering are not
 * modelled). Plain data for the {@link PolicySimulator}'s event loop.
 */
final class SidecarPool {
  /** A call that runs, or ran, on a slot of sidecar {@code sidecar}. */
  record Run(Invocation inv, int sidecar, long startAt, long endAt, long seq) {}

  /** A dispatched call waiting at its sidecar; {@code order} is its place in RunQ. */
  private record Pending(Invocation inv, long runMs, long order) {}

  private final List<Sidecar> sidecars = new ArrayList<>();
  private final SidecarLayout layout;
  private final long start;
  private final PriorityQueue<Run> running =
      new PriorityQueue<>(
          (a, b) ->
              a.endAt != b.endAt ? Long.compare(a.endAt, b.endAt) : Long.compare(a.seq, b.seq));
  private long seq;
  private long clockMs; // the virtual time of the completion being handled: the windows' clock
  private long dispatches;

  /**
   * One sidecar of {@code slots} (0 or less for no limit) that runs every function: the pool as
   * one, where no layout is known.
   */
  SidecarPool(int slots, long start, long feedbackMs) {
    this.layout = null;
    this.start = start;
    sidecars.add(new Sidecar("sim-sidecars", Math.max(0, slots), true, start, start + feedbackMs));
  }

  /** The sidecars of {@code layout}, their reports due from {@code start} at their phases. */
  SidecarPool(SidecarLayout layout, long start, long feedbackMs) {
    this.layout = layout;
    this.start = start;
    for (int i = 0; i < layout.sidecars(); i++) {
      long phase = feedbackMs > 0 ? Math.floorMod(layout.phasesMs().get(i), feedbackMs) : 0;
      sidecars.add(
          new Sidecar(
              "sim-sidecar-" + (i + 1),
              layout.capacities().get(i),
              false,
              start,
              start + (phase == 0 ? feedbackMs : phase)));
    }
  }

  private Sidecar sidecarOf(String function, long now) {
    return sidecars.get(layout == null ? 0 : layout.sidecarOf(function, now - start));
  }

  /** A call reaches RunQ at {@code now}; returns the runs that start at once (it, or none). */
  List<Run> dispatched(Invocation inv, long runMs, long now) {
    Sidecar s = sidecarOf(inv.function(), now);
    Lane lane = s.lane(inv.function());
    lane.queue.add(new Pending(inv, runMs, dispatches++));
    s.active.add(lane);
    List<Run> started = new ArrayList<>(1);
    s.pump(lane, now, started);
    return started;
  }

  /** When the next running call ends; Long.MAX_VALUE when none runs. */
  long nextEndAt() {
    Run r = running.peek();
    return r == null ? Long.MAX_VALUE : r.endAt;
  }

  /**
   * The call that ends first leaves its slot; the sidecar hands the slot on at once. Returns the
   * runs that start, the ended one's first ({@code ended} receives it).
   */
  List<Run> end(List<Run> ended) {
    Run done = running.poll();
    ended.add(done);
    Sidecar s = sidecars.get(done.sidecar());
    Lane lane = s.lane(done.inv().function());
    long now = done.endAt();
    s.accrue(now);
    s.inUse--;
    lane.running--;
    lane.completions++;
    lane.latencies.add(done.endAt() - done.startAt());
    clockMs = now;
    if (lane.window != null) lane.window.onSuccess(done.endAt() - done.startAt());
    List<Run> started = new ArrayList<>();
    if (s.fifo) {
      s.startOldest(now, started);
      if (lane.queue.isEmpty() && lane.running == 0) s.active.remove(lane);
      return started;
    }
    List<Lane> wake = new ArrayList<>(s.waiting);
    s.waiting.clear();
    // Those running fewest calls first, then longest waiting, as the sidecar's Capacity wakes them.
    wake.sort(Comparator.comparingInt(l -> l.running));
    for (Lane other : wake) if (other != lane) s.pump(other, now, started);
    s.pump(lane, now, started);
    if (lane.queue.isEmpty() && lane.running == 0) s.active.remove(lane);
    return started;
  }

  /** The calls still waiting in the sidecars' lanes (taken out). */
  List<Invocation> drainWaiting() {
    List<Invocation> left = new ArrayList<>();
    for (Sidecar s : sidecars) {
      for (Lane l : s.lanes.values()) {
        for (Pending p : l.queue) left.add(p.inv());
        l.queue.clear();
      }
    }
    return left;
  }

  /** When the next sidecar reports; Long.MAX_VALUE without feedback. */
  long nextReportAt() {
    long at = Long.MAX_VALUE;
    for (Sidecar s : sidecars) at = Math.min(at, s.nextReportAt);
    return at;
  }

  /**
   * The report of the sidecar due first, one feedback per function active in its period, as a real
   * sidecar sends them; its next report is due {@code feedbackMs} later.
   */
  List<FunctionFeedback> report(String region, long feedbackMs) {
    Sidecar s = sidecars.get(0);
    for (Sidecar o : sidecars) if (o.nextReportAt < s.nextReportAt) s = o;
    long now = s.nextReportAt;
    s.nextReportAt += feedbackMs;
    return s.report(region, now);
  }

  /** One sidecar: its slots, its functions' lanes, and its period's busy slot-time. */
  private final class Sidecar {
    final String name;
    final int capacity; // 0: no limit
    // One pool for the whole region: RunQ's order, first in first out over all functions, and
    // never over capacity (no partitions, no per-function fair share: no layout says them).
    final boolean fifo;
    final Map<String, Lane> lanes = new LinkedHashMap<>();
    final Set<Lane> active = new LinkedHashSet<>();
    final Set<Lane> waiting = new LinkedHashSet<>();
    int inUse;
    double busySlotMs;
    long lastChange;
    long periodStart;
    long nextReportAt;

    Sidecar(String name, int capacity, boolean fifo, long start, long firstReportAt) {
      this.name = name;
      this.capacity = capacity;
      this.fifo = fifo;
      this.lastChange = this.periodStart = start;
      this.nextReportAt = firstReportAt > start ? firstReportAt : Long.MAX_VALUE;
    }

    Lane lane(String function) {
      return lanes.computeIfAbsent(
          function, f -> new Lane(f, layout == null ? null : layout.windows(), () -> clockMs));
    }

    /** In the one pool, starts the calls that waited longest while there are free slots. */
    void startOldest(long now, List<Run> started) {
      while (capacity <= 0 || inUse < capacity) {
        Lane oldest = null;
        for (Lane l : lanes.values()) {
          if (l.queue.isEmpty()) continue;
          if (oldest == null || l.queue.peek().order() < oldest.queue.peek().order()) oldest = l;
        }
        if (oldest == null) return;
        start(oldest, oldest.queue.poll(), now, started);
      }
    }

    /** Starts the lane's calls while the sidecar grants them slots. */
    void pump(Lane lane, long now, List<Run> started) {
      while (!lane.queue.isEmpty()) {
        if (lane.window != null && lane.running >= lane.window.limit()) {
          waiting.remove(lane); // its own calls' ends pump it again
          return;
        }
        if (!grants(lane)) {
          waiting.add(lane);
          return;
        }
        start(lane, lane.queue.poll(), now, started);
      }
      waiting.remove(lane);
    }

    private void start(Lane lane, Pending p, long now, List<Run> started) {
      accrue(now);
      inUse++;
      lane.running++;
      long end = p.runMs() == SimCall.NEVER ? Long.MAX_VALUE : now + p.runMs();
      Run r = new Run(p.inv(), sidecars.indexOf(this), now, end, seq++);
      running.add(r);
      started.add(r);
    }

    /**
     * Whether one more call of {@code lane} may start: below capacity, or below its fair share of
     * it (slots over active functions, whole slots), as the sidecar's Capacity grants a slot.
     */
    boolean grants(Lane lane) {
      if (capacity <= 0) return true;
      if (fifo) return inUse < capacity;
      int share = capacity / Math.max(1, active.size());
      return Math.max(capacity - inUse, share - lane.running) >= 1;
    }

    int windowSum(int slots) {
      int sum = 0;
      for (Lane l : lanes.values()) sum += l.window(slots);
      return sum;
    }

    void accrue(long now) {
      if (now > lastChange) busySlotMs += (double) inUse * (now - lastChange);
      lastChange = Math.max(lastChange, now);
    }

    List<FunctionFeedback> report(String region, long now) {
      accrue(now);
      int slots = capacity > 0 ? capacity : Math.max(1, inUse);
      long period = now - periodStart;
      double utilization =
          Math.min(
              1.0, period <= 0 ? (double) inUse / slots : busySlotMs / ((double) period * slots));
      List<FunctionFeedback> out = new ArrayList<>();
      for (Lane l : lanes.values()) {
        if (l.completions == 0 && l.running == 0 && l.queue.isEmpty()) continue;
        l.latencies.sort();
        out.add(
            new FunctionFeedback(
                l.function,
                name,
                region,
                periodStart,
                now,
                l.completions,
                0,
                0,
                0,
                l.latencies.quantile(0.5),
                l.latencies.quantile(0.99),
                l.window(slots),
                l.running,
                l.queue.size(),
                slots,
                windowSum(slots),
                utilization));
        l.completions = 0;
        l.latencies = new Longs();
      }
      periodStart = now;
      busySlotMs = 0;
      return out;
    }
  }

  /** One function at one sidecar: its calls waiting, running, and done in this period. */
  private static final class Lane {
    final String function;
    final ArrayDeque<Pending> queue = new ArrayDeque<>();
    int running;
    long completions;
    Longs latencies = new Longs();
    final AimdWindow window; // null: not modelled, the sidecar's slots

    Lane(String function, WindowSettings windows, LongSupplier clock) {
      this.function = function;
      this.window = windows == null ? null : new AimdWindow(windows, clock);
    }

    int window(int slots) {
      return window == null ? slots : window.limit();
    }
  }
}
