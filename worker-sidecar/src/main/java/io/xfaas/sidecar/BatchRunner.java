package io.xfaas.sidecar;

import java.time.Duration;
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
 * Runs the batches that lanes start, each on a call thread, with the call timeout: at the timeout
 * every call of the batch answers {@link CallResult.Kind#TIMEOUT} and the thread is interrupted. A
 * call that ignores the interrupt keeps its thread until it returns (the threads are daemons), but
 * no longer holds a slot of its window. Concurrency is bounded by the lanes' windows and the
 * sidecar's capacity, not here.
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

  private final ExecutorService calls;
  private final ScheduledExecutorService timer;
  private final Duration timeout;
  private final String timeoutDetail;
  private final LongSupplier clockMs;
  private final Completion completion;

  BatchRunner(
      String threadPrefix,
      ScheduledExecutorService timer,
      Duration timeout,
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
    this.timeout = timeout;
    this.timeoutDetail = timeoutDetail;
    this.clockMs = clockMs;
    this.completion = completion;
  }

  @Override
  public void start(FunctionLane lane, List<FunctionLane.Queued> batch) {
    try {
      calls.execute(() -> run(lane, batch));
    } catch (RejectedExecutionException e) {
      // Closed: the sidecar is stopping and these calls stay uncommitted for the next owner.
    }
  }

  private void run(FunctionLane lane, List<FunctionLane.Queued> batch) {
    long startedAt = clockMs.getAsLong();
    long t0 = System.nanoTime();
    Attempt attempt = new Attempt(Thread.currentThread());
    ScheduledFuture<?> timer;
    try {
      timer =
          this.timer.schedule(
              () -> {
                if (attempt.finish()) {
                  attempt.interruptIfRunning();
                  List<CallResult> timedOut =
                      Collections.nCopies(batch.size(), CallResult.timeout(timeoutDetail));
                  completion.done(lane, batch, timedOut, startedAt, elapsedMs(t0));
                }
              },
              timeout.toNanos(),
              TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException stopping) {
      return; // the sidecar is stopping: the calls stay uncommitted for the next owner
    }
    List<CallResult> results;
    try {
      List<FunctionCall> input = new ArrayList<>(batch.size());
      batch.forEach(q -> input.add(q.call().call()));
      results = lane.implementation().invokeBatch(input);
      if (results == null || results.size() != batch.size()) {
        results =
            errors(
                batch.size(),
                "function answered "
                    + (results == null ? "null" : results.size() + " results")
                    + " for "
                    + batch.size()
                    + " calls");
      }
    } catch (InterruptedException e) {
      results = errors(batch.size(), "interrupted");
    } catch (Throwable t) {
      results = errors(batch.size(), InvocationRunner.messageOf(t));
    }
    attempt.leave();
    if (attempt.finish()) {
      timer.cancel(false);
      completion.done(lane, batch, results, startedAt, elapsedMs(t0));
    }
  }

  private static List<CallResult> errors(int n, String message) {
    return Collections.nCopies(n, CallResult.error(message, true));
  }

  private static long elapsedMs(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }

  /** Interrupts calls still running and stops the threads. */
  @Override
  public void close() {
    calls.shutdownNow();
  }

  /** One batch's race between its answer and its timeout; the first to finish wins. */
  private static final class Attempt {
    private final Thread thread;
    private boolean finished;
    private boolean running = true;

    Attempt(Thread thread) {
      this.thread = thread;
    }

    synchronized boolean finish() {
      if (finished) return false;
      finished = true;
      return true;
    }

    synchronized void interruptIfRunning() {
      if (running) thread.interrupt();
    }

    /** The call returned: from now on an interrupt would hit the thread's next task. */
    void leave() {
      synchronized (this) {
        running = false;
      }
      Thread.interrupted(); // clears an interrupt that raced with the return
    }
  }
}
