package io.xfaas.local;

import io.xfaas.records.DeadLetter;
import io.xfaas.records.Outcome;

/**
 * Running totals of what passed through a region's topics, and what they imply: how many
 * invocations the scheduler still holds. Fed record by record by {@link StatusMonitor}; plain
 * logic, so it is tested without Kafka. Thread-safe: one thread counts while another takes
 * snapshots.
 *
 * <p>Every DurableQ record ends in exactly one of: dispatched to RunQ, an outcome decided by the
 * scheduler before dispatch (REJECTED, EXPIRED, CANCELLED, with no {@code dispatchedAt}), or a dead
 * letter too broken to carry an id (which gets no outcome). Whatever is in none of these is still
 * buffered.
 */
public final class StatusCounts {
  private long submitted;
  private long dispatched;
  private long succeeded;
  private long failed;
  private long expired;
  private long rejected;
  private long cancelled;
  private long decidedBeforeDispatch;
  private long deadLetters;
  private long deadLettersWithoutId;
  private long unreadable;

  /** A record on DurableQ: a submission, or a retry sent back by a sidecar. */
  public synchronized void durableQRecord() {
    submitted++;
  }

  /** A record on RunQ: released by the scheduler for execution. */
  public synchronized void runQRecord() {
    dispatched++;
  }

  public synchronized void outcome(Outcome outcome) {
    switch (outcome.status()) {
      case SUCCEEDED -> succeeded++;
      case FAILED -> failed++;
      case EXPIRED -> expired++;
      case REJECTED -> rejected++;
      case CANCELLED -> cancelled++;
    }
    if (outcome.dispatchedAt() == null && decidedByScheduler(outcome)) {
      decidedBeforeDispatch++;
    }
  }

  public synchronized void deadLetter(DeadLetter letter) {
    deadLetters++;
    if (letter.id() == null) deadLettersWithoutId++;
  }

  /** An outcome or dead letter that did not parse; it cannot be placed in any count. */
  public synchronized void unreadable() {
    unreadable++;
  }

  public synchronized StatusSnapshot snapshot(long atMillis) {
    long buffered = submitted - dispatched - decidedBeforeDispatch - deadLettersWithoutId;
    return new StatusSnapshot(
        atMillis,
        submitted,
        // Topics are read one after another, so a decision can be seen before its submission.
        Math.max(0, buffered),
        dispatched,
        succeeded,
        failed,
        expired,
        rejected,
        cancelled,
        deadLetters,
        unreadable);
  }

  private static boolean decidedByScheduler(Outcome outcome) {
    return switch (outcome.status()) {
      case REJECTED, EXPIRED, CANCELLED -> true;
      case SUCCEEDED, FAILED -> false;
    };
  }
}
