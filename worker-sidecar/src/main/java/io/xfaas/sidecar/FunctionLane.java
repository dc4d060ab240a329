package io.xfaas.sidecar;

import io.xfaas.records.FunctionFeedback;
import io.xfaas.window.AimdWindow;
import io.xfaas.window.WindowSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One function's calls on one sidecar: the calls waiting, its {@link AimdWindow}, and the batches
 * it starts. A lane starts a batch only while its calls in flight stay within its window and the
 * sidecar's {@link Capacity} grants the slots, so a slow function fills its own window, not the
 * sidecar. A partial batch waits up to the linger time for more calls. Calls start in arrival
 * order, except those due before the lane would get to them ({@link LaneQueue}).
 *
 * <p>Thread-safe: the poll thread adds calls; call threads finish them; a timer ends lingering.
 */
final class FunctionLane {
  /** Starts a batch: runs it somewhere and calls {@link #finished} when it has answered. */
  interface Starter {
    void start(FunctionLane lane, List<Queued> batch);

    /** Starts the batches of one pump; a starter may run them together. */
    default void startAll(FunctionLane lane, List<List<Queued>> batches) {
      for (List<Queued> b : batches) start(lane, b);
    }
  }

  /**
   * What all the lanes of one sidecar share: how calls are batched, how each lane's window adapts,
   * the sidecar's slots, the starter, the timer that ends lingering, and the clock.
   */
  record Shared(
      int batchSize,
      long lingerMs,
      WindowSettings window,
      Capacity capacity,
      Starter starter,
      ScheduledExecutorService timer,
      LongSupplier clockMs) {}

  /** A call waiting in the lane, with the partition progress its offset belongs to. */
  record Queued(InvocationRunner.Prepared.Ready call, PartitionProgress progress, long queuedAtMs) {
    long offset() {
      return call.record().offset();
    }
  }

  private final String function;
  private final XfaasFunction implementation;
  private final int maxBatch;
  private final long lingerMs;
  private final AimdWindow window;
  private final Capacity capacity;
  private final Starter starter;
  private final ScheduledExecutorService timer;
  private final LongSupplier clockMs;

  private final LaneQueue queue = new LaneQueue();
  private int inFlight;
  private boolean lingering;
  // How long a batch takes to run, smoothed; -1 until one has run. Written by call threads without
  // a lock: a lost update only delays the estimate by a batch.
  private volatile long batchNanos = -1;

  // The current feedback period, and totals for the metrics endpoint.
  private final LatencyRecorder latencies = new LatencyRecorder(1024);
  private long periodStart;
  private long completions;
  private long errors;
  private long timeouts;
  private long throttles;
  private final long[] totals = new long[4];

  /**
   * @param function the function's name as called (a prefix-served name has a lane of its own, so
   *     that its calls are isolated and reported under their own name)
   * @param implementation what runs its calls
   */
  FunctionLane(String function, XfaasFunction implementation, Shared shared) {
    this.function = function;
    this.implementation = implementation;
    this.maxBatch = Math.max(1, Math.min(shared.batchSize(), implementation.maxBatch()));
    this.lingerMs = shared.lingerMs();
    this.window = new AimdWindow(shared.window(), shared.clockMs());
    this.capacity = shared.capacity();
    this.starter = shared.starter();
    this.timer = shared.timer();
    this.clockMs = shared.clockMs();
    this.periodStart = clockMs.getAsLong();
  }

  String function() {
    return function;
  }

  XfaasFunction implementation() {
    return implementation;
  }

  int maxBatch() {
    return maxBatch;
  }

  synchronized int window() {
    return window.limit();
  }

  synchronized int inFlight() {
    return inFlight;
  }

  synchronized int queued() {
    return queue.size();
  }

  /** Adds a call; {@link #pump} starts it when there is room. */
  synchronized void add(Queued q) {
    queue.add(q);
    capacity.setActive(this, true);
  }

  /** Adds calls, in order; {@link #pump} starts them when there is room. */
  synchronized void addAll(List<Queued> calls) {
    for (Queued q : calls) queue.add(q);
    capacity.setActive(this, true);
  }

  /** A batch of this function ran for {@code nanos}. */
  void observeBatchNanos(long nanos) {
    long b = batchNanos;
    batchNanos = b < 0 ? nanos : b + (nanos - b) / 8;
  }

  /** How long a batch of this function is expected to run, in ns; -1 when none has run yet. */
  long batchNanosEstimate() {
    return batchNanos;
  }

  /** Starts as many batches as the window, the capacity and lingering allow. */
  void pump() {
    List<List<Queued>> batches = new ArrayList<>(2);
    synchronized (this) {
      while (!queue.isEmpty()) {
        int room = window.limit() - inFlight;
        if (room <= 0) break;
        int n = Math.min(Math.min(queue.size(), maxBatch), room);
        if (n < maxBatch && queue.size() < maxBatch && lingerMs > 0 && !lingerOver()) break;
        int granted = capacity.acquire(this, n, inFlight);
        if (granted == 0) break;
        long now = clockMs.getAsLong();
        long urgentWithinMs = drainMs();
        List<Queued> batch = new ArrayList<>(granted);
        for (int i = 0; i < granted; i++) batch.add(queue.poll(now, urgentWithinMs));
        inFlight += granted;
        batches.add(batch);
      }
    }
    if (!batches.isEmpty()) starter.startAll(this, batches);
  }

  /**
   * How long the lane needs to start and run the calls waiting in it: they run as many at a time as
   * its window and its share of the sidecar allow, each batch for the learned batch time. A call
   * due sooner than that would finish late in arrival order, so it goes first ({@link LaneQueue});
   * 0 (arrival order only) until a batch has run.
   */
  private long drainMs() {
    long b = batchNanos;
    if (b < 0) return 0;
    int parallel = Math.max(1, Math.min(window.limit(), capacity.share()));
    return (long) Math.ceil((queue.size() / (double) parallel + 1) * b / 1e6);
  }

  /** True when the oldest call has waited the linger time; else pumps again when it has. */
  private boolean lingerOver() {
    long waited = clockMs.getAsLong() - queue.oldestQueuedAtMs();
    if (waited >= lingerMs) return true;
    if (!lingering) {
      try {
        timer.schedule(this::lingerEnded, lingerMs - waited, TimeUnit.MILLISECONDS);
        lingering = true;
      } catch (java.util.concurrent.RejectedExecutionException stopping) {
        // The sidecar is stopping: the calls stay uncommitted for the next owner.
      }
    }
    return false;
  }

  private void lingerEnded() {
    synchronized (this) {
      lingering = false;
    }
    pump();
  }

  /**
   * A batch answered: frees its slots, feeds each result to the window, and starts what now fits.
   */
  void finished(List<Queued> batch, List<CallResult> results, long latencyMs) {
    List<FunctionLane> wake;
    synchronized (this) {
      inFlight -= batch.size();
      for (CallResult r : results) {
        completions++;
        latencies.record(latencyMs);
        switch (r.kind()) {
          case OK -> window.onSuccess(latencyMs);
          case ERROR, FATAL -> {
            errors++;
            window.onError();
          }
          case TIMEOUT -> {
            timeouts++;
            window.onTimeout();
          }
          case THROTTLED -> {
            throttles++;
            window.onThrottle();
          }
        }
      }
      wake = capacity.release(this, batch.size());
      if (queue.isEmpty() && inFlight == 0) capacity.setActive(this, false);
    }
    // The lanes that waited go first: the releasing lane may be the one holding the capacity.
    for (FunctionLane other : wake) {
      if (other != this) other.pump();
    }
    pump();
  }

  /**
   * Takes the waiting calls of a partition out of the lane (the partition is handed over, or the
   * sidecar drains); they stay uncommitted, so their next owner runs them.
   */
  synchronized void dropQueued(PartitionProgress progress) {
    for (Queued q : queue.removeIf(q -> progress == null || q.progress() == progress)) {
      q.progress().abandoned(q.offset());
    }
    if (queue.isEmpty() && inFlight == 0) capacity.setActive(this, false);
  }

  /**
   * The report of the period since the last one, which starts a new period; null when the function
   * was idle throughout (nothing done, nothing waiting or running).
   */
  synchronized FunctionFeedback report(
      String sidecar, String region, int windowSum, double utilization) {
    long now = clockMs.getAsLong();
    FunctionFeedback f = null;
    if (completions > 0 || inFlight > 0 || !queue.isEmpty()) {
      f =
          new FunctionFeedback(
              function,
              sidecar,
              region,
              periodStart,
              now,
              completions,
              errors,
              timeouts,
              throttles,
              latencies.quantile(0.5),
              latencies.quantile(0.99),
              window.limit(),
              inFlight,
              queue.size(),
              capacity.capacity(),
              windowSum,
              utilization);
    }
    totals[0] += completions;
    totals[1] += errors;
    totals[2] += timeouts;
    totals[3] += throttles;
    completions = errors = timeouts = throttles = 0;
    latencies.reset();
    periodStart = now;
    return f;
  }

  /** Totals since start: completions, errors, timeouts, throttles (up to the last report). */
  synchronized long[] totals() {
    return new long[] {
      totals[0] + completions, totals[1] + errors, totals[2] + timeouts, totals[3] + throttles
    };
  }
}
