package io.xfaas.sidecar;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Runs the batches that lanes start, on call threads, each with the call timeout: at the timeout
 * every call of the batch answers {@link CallResult.Kind#TIMEOUT} and the thread is interrupted. A
 * call that ignores the interrupt keeps its thread until it returns (the threads are daemons), but
 * no longer holds a slot of its window. Concurrency is bounded by the lanes' windows and the
 * sidecar's capacity, not here.
 *
 * <p><b>Runs.</b> Handing each batch to a thread of its own costs a thread hand-off and a timer per
 * batch, far more than a no-op call. So batches go in <em>runs</em>: the batches of one start that
 * together are expected to take at most {@code runBudget} (from the lane's measured batch time)
 * share one thread, one after the other; and a batch that a call thread's own answer starts (its
 * lane had calls waiting for the freed slot) joins that thread's run while it stays within the
 * budget. A lane not measured yet, or slower than the budget, gets a thread per batch, as before.
 * One timer per run watches it: a batch past its timeout is answered TIMEOUT and the run's waiting
 * batches move to another thread; so do they when the batch running has held them up for {@code
 * runBudget} times {@link #STALL_BUDGETS} (a function that turned slow), so that a run never holds
 * up calls that its lanes' windows allow to run at once for long.
 */
final class BatchRunner implements FunctionLane.Starter, AutoCloseable {
  /** Receives the answers of a batch, exactly once per batch. */
  interface Completion {
    void done(
        FunctionLane lane,
        List<FunctionLane.Queued> batch,
        List<CallResult> results,
        long startedAt,
        long latencyMs);
  }

  /** How many run budgets a batch may hold up the batches waiting behind it. */
  static final int STALL_BUDGETS = 10;

  private static final ThreadLocal<Run> CURRENT = new ThreadLocal<>();

  private final ExecutorService calls;
  private final ScheduledExecutorService timer;
  private final long timeoutNanos;
  private final long budgetNanos;
  private final long stallNanos;
  private final String timeoutDetail;
  private final LongSupplier clockMs;
  private final Completion completion;

  BatchRunner(
      String threadPrefix,
      ScheduledExecutorService timer,
      Duration timeout,
      Duration runBudget,
      String timeoutDetail,
      LongSupplier clockMs,
      Completion completion) {
    AtomicInteger n = new AtomicInteger();
    this.calls =
        new ThreadPoolExecutor(
            0,
            Integer.MAX_VALUE,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            r -> {
              Thread t = new Thread(r, threadPrefix + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.timer = timer;
    this.timeoutNanos = timeout.toNanos();
    this.budgetNanos = runBudget.toNanos();
    this.stallNanos = Math.max(1, budgetNanos * STALL_BUDGETS);
    this.timeoutDetail = timeoutDetail;
    this.clockMs = clockMs;
    this.completion = completion;
  }

  @Override
  public void start(FunctionLane lane, List<FunctionLane.Queued> batch) {
    startAll(lane, List.of(batch));
  }

  @Override
  public void startAll(FunctionLane lane, List<List<FunctionLane.Queued>> batches) {
    long each = lane.batchNanosEstimate();
    boolean fast = each >= 0 && each <= budgetNanos;
    int i = 0;
    Run here = CURRENT.get();
    if (fast && here != null && here.owner() == this) i = here.offer(lane, batches, each);
    while (i < batches.size()) {
      Run run = new Run();
      do {
        run.add(new Item(lane, batches.get(i++), Math.max(0, each)));
      } while (fast && i < batches.size() && run.queuedNanos + each <= budgetNanos);
      submit(run);
    }
  }

  private void submit(Run run) {
    try {
      calls.execute(run);
    } catch (RejectedExecutionException e) {
      // Closed: the sidecar is stopping and these calls stay uncommitted for the next owner.
    }
  }

  private static List<CallResult> errors(int n, String message) {
    return Collections.nCopies(n, CallResult.error(message, true));
  }

  /** Interrupts calls still running and stops the threads. */
  @Override
  public void close() {
    calls.shutdownNow();
  }

  /** One batch of a lane, with its expected run time. */
  private record Item(FunctionLane lane, List<FunctionLane.Queued> batch, long estimateNanos) {}

  /**
   * Batches run one after the other on one call thread; its timer times out the batch running, and
   * hands the waiting ones to another thread when that one holds them up.
   */
  private final class Run implements Runnable {
    // All guarded by this.
    private final ArrayDeque<Item> items = new ArrayDeque<>();
    private long queuedNanos;
    private Item current;
    private long currentStartNanos;
    private long currentStartedAtMs;
    private Thread thread;
    private boolean over; // no more batches: ended, or handed over after a timeout
    private ScheduledFuture<?> watch;
    private long watchDue;

    BatchRunner owner() {
      return BatchRunner.this;
    }

    /** Before the run starts. */
    synchronized void add(Item item) {
      items.add(item);
      queuedNanos += item.estimateNanos();
    }

    /**
     * From the run's own thread: takes the first of {@code batches} while they fit the budget.
     *
     * @return how many it took
     */
    synchronized int offer(FunctionLane lane, List<List<FunctionLane.Queued>> batches, long each) {
      if (over) return 0;
      int n = 0;
      while (n < batches.size() && queuedNanos + each <= budgetNanos) {
        items.add(new Item(lane, batches.get(n++), each));
        queuedNanos += each;
      }
      return n;
    }

    @Override
    public void run() {
      CURRENT.set(this);
      try {
        while (true) {
          Item item;
          synchronized (this) {
            item = items.poll();
            if (item == null || over) {
              over = true;
              if (watch != null) watch.cancel(false);
              return;
            }
            queuedNanos -= item.estimateNanos();
            thread = Thread.currentThread();
            current = item;
            currentStartNanos = System.nanoTime();
            currentStartedAtMs = clockMs.getAsLong();
            if (!watch(currentStartNanos)) return;
          }
          List<CallResult> results = invoke(item);
          long nanos = System.nanoTime() - currentStartNanos;
          synchronized (this) {
            if (current != item) {
              // The watch answered it TIMEOUT and took the rest: forget it all, and the interrupt.
              Thread.interrupted();
              return;
            }
            current = null;
          }
          Thread.interrupted(); // an interrupt that raced with the return was not for the next
          item.lane().observeBatchNanos(nanos);
          completion.done(
              item.lane(), item.batch(), results, currentStartedAtMs, nanos / 1_000_000);
        }
      } finally {
        CURRENT.remove();
      }
    }

    private List<CallResult> invoke(Item item) {
      List<FunctionLane.Queued> batch = item.batch();
      try {
        List<FunctionCall> input = new ArrayList<>(batch.size());
        for (FunctionLane.Queued q : batch) input.add(q.call().call());
        List<CallResult> results = item.lane().implementation().invokeBatch(input);
        if (results == null || results.size() != batch.size()) {
          return errors(
              batch.size(),
              "function answered "
                  + (results == null ? "null" : results.size() + " results")
                  + " for "
                  + batch.size()
                  + " calls");
        }
        return results;
      } catch (InterruptedException e) {
        return errors(batch.size(), "interrupted");
      } catch (Throwable t) {
        return errors(batch.size(), InvocationRunner.messageOf(t));
      }
    }

    /**
     * Makes sure the watch fires by the time the batch that started at {@code startNanos} times
     * out, or stalls the batches waiting behind it; false when the sidecar is stopping.
     */
    private boolean watch(long startNanos) {
      long due = startNanos + (items.isEmpty() ? timeoutNanos : Math.min(timeoutNanos, stallNanos));
      if (watch != null && watchDue - due <= 0) return true;
      if (watch != null) watch.cancel(false);
      try {
        watch = timer.schedule(this::check, due - System.nanoTime(), TimeUnit.NANOSECONDS);
        watchDue = due;
        return true;
      } catch (RejectedExecutionException stopping) {
        over = true;
        return false; // the calls stay uncommitted for the next owner
      }
    }

    /** The watch: times out the batch running, or hands the waiting ones over, or looks later. */
    private void check() {
      Item timedOut = null;
      long startedAt = 0;
      long startNanos = 0;
      List<Item> rest = List.of();
      synchronized (this) {
        watch = null;
        if (over) return;
        long now = System.nanoTime();
        if (current == null) {
          // Between batches: its thread is answering one, and will look at the rest itself.
          watch(now);
          return;
        }
        long running = now - currentStartNanos;
        if (running >= timeoutNanos) {
          timedOut = current;
          startedAt = currentStartedAtMs;
          startNanos = currentStartNanos;
          current = null;
          over = true;
          thread.interrupt();
          rest = drain();
        } else if (running >= stallNanos && !items.isEmpty()) {
          rest = drain();
          watch(currentStartNanos);
        } else {
          watch(currentStartNanos);
        }
      }
      if (timedOut != null) {
        List<CallResult> timeouts =
            Collections.nCopies(timedOut.batch().size(), CallResult.timeout(timeoutDetail));
        completion.done(
            timedOut.lane(),
            timedOut.batch(),
            timeouts,
            startedAt,
            (System.nanoTime() - startNanos) / 1_000_000);
      }
      if (!rest.isEmpty()) {
        Run next = new Run();
        rest.forEach(next::add);
        submit(next);
      }
    }

    private List<Item> drain() {
      List<Item> out = new ArrayList<>(items);
      items.clear();
      queuedNanos = 0;
      return out;
    }
  }
}
