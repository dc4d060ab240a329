package io.xfaas.local;

import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What was started, to be stopped in reverse order: a consumer before the broker it reads, a job
 * before its cluster. Safe against a stop that comes in while things are still starting: whatever
 * is added after {@link #close()} is stopped at once, and the adder is told to give up.
 */
public final class ShutdownSequence implements AutoCloseable {
  private final Deque<Step> steps = new ArrayDeque<>();
  private final PrintWriter out;
  private boolean closed;

  /** One thing to stop, named for the console. */
  @FunctionalInterface
  public interface Stopper {
    void stop() throws Exception;
  }

  private record Step(String name, Stopper stopper) {}

  public ShutdownSequence(PrintWriter out) {
    this.out = out;
  }

  /**
   * Registers something just started.
   *
   * @throws IllegalStateException if the sequence was closed meanwhile; {@code stopper} has then
   *     been run already
   */
  public synchronized void add(String name, Stopper stopper) {
    if (closed) {
      stop(new Step(name, stopper));
      throw new IllegalStateException("stopping: not starting " + name);
    }
    steps.push(new Step(name, stopper));
  }

  public synchronized boolean isClosed() {
    return closed;
  }

  /** Stops everything, last started first; a failure is reported and the rest still stopped. */
  @Override
  public void close() {
    closeOnce();
  }

  /** {@link #close()}, telling whether this call did it (false when it was closed already). */
  public synchronized boolean closeOnce() {
    if (closed) return false;
    closed = true;
    while (!steps.isEmpty()) stop(steps.pop());
    return true;
  }

  private void stop(Step step) {
    long t0 = System.nanoTime();
    try {
      step.stopper().stop();
      out.printf("  stopped %s (%d ms)%n", step.name(), (System.nanoTime() - t0) / 1_000_000);
    } catch (Exception e) {
      if (e instanceof InterruptedException) Thread.currentThread().interrupt();
      out.printf("  failed to stop %s: %s%n", step.name(), e);
    }
    out.flush();
  }
}
