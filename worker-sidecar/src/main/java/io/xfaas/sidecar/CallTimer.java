package io.xfaas.sidecar;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs calls with a time limit. Each call runs on a thread of its own, so that the caller can give
 * up at the limit even when the call ignores interruption. A call that ignores it keeps its thread
 * until it returns; the threads are daemons, so such a call cannot keep the JVM alive.
 */
final class CallTimer implements AutoCloseable {
  private final ExecutorService calls;

  CallTimer(String threadNamePrefix) {
    AtomicInteger n = new AtomicInteger();
    ThreadFactory threads =
        r -> {
          Thread t = new Thread(r, threadNamePrefix + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    // Unbounded but idle-reaped: concurrency is bounded by the callers (the sidecar's workers).
    this.calls =
        new ThreadPoolExecutor(
            0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), threads);
  }

  /**
   * Runs {@code call} and waits at most {@code timeout} for it.
   *
   * @throws TimeoutException if it did not return in time; it has been interrupted
   * @throws ExecutionException if it threw; the cause is what it threw
   * @throws InterruptedException if the waiting thread was interrupted; the call is interrupted too
   */
  <T> T call(Callable<T> call, Duration timeout)
      throws TimeoutException, ExecutionException, InterruptedException {
    Future<T> f = calls.submit(call);
    try {
      return f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException | InterruptedException e) {
      f.cancel(true);
      throw e;
    }
  }

  /** Interrupts calls still running and stops the threads. */
  @Override
  public void close() {
    calls.shutdownNow();
  }
}
