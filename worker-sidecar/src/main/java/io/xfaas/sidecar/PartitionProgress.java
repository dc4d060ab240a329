package io.xfaas.sidecar;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Which records of one RunQ partition are done, and so which offset may be committed: the first
 * offset that is not done yet (every record before it has its outputs acknowledged), or the
 * consumer's position when all are. Records finish out of order (functions differ in speed), so
 * done offsets past a gap wait for the gap to close.
 *
 * <p>Thread-safe: the poll thread adds records and commits; producer callbacks complete them.
 */
final class PartitionProgress {
  // Received and not known complete at the head, in offset order (a partition is read in order).
  private final ArrayDeque<Long> pending = new ArrayDeque<>();
  private final Set<Long> done = new HashSet<>();
  private int abandoned;
  private long position = -1;
  private long committed = -1;

  /** A record was polled; it now holds back the commit until it is done. */
  synchronized void received(long offset) {
    pending.add(offset);
    position = Math.max(position, offset + 1);
  }

  /** The consumer's next offset; it may skip transaction markers past the last record. */
  synchronized void advancePosition(long next) {
    position = Math.max(position, next);
  }

  /** Every output of the record at {@code offset} is acknowledged. */
  synchronized void completed(long offset) {
    done.add(offset);
    notifyAll();
  }

  /** The record will not run here (its partition is being handed over); it stays uncommitted. */
  synchronized void abandoned(long offset) {
    abandoned++;
    notifyAll();
  }

  /** Records received and neither done nor abandoned: queued, running or awaiting their acks. */
  synchronized int outstanding() {
    return pending.size() - done.size() - abandoned;
  }

  /** The offset to commit, if it moved since the last commit. */
  synchronized OptionalLong toCommit() {
    while (!pending.isEmpty() && done.remove(pending.peekFirst())) pending.pollFirst();
    long next = pending.isEmpty() ? position : pending.peekFirst();
    return next > committed ? OptionalLong.of(next) : OptionalLong.empty();
  }

  /** {@code offset} was committed. */
  synchronized void committed(long offset) {
    committed = Math.max(committed, offset);
  }

  /**
   * Waits until nothing is outstanding.
   *
   * @return true if nothing is, false if {@code timeoutMs} passed first
   */
  synchronized boolean awaitQuiet(long timeoutMs) throws InterruptedException {
    long end = System.nanoTime() + timeoutMs * 1_000_000;
    while (outstanding() > 0) {
      long left = (end - System.nanoTime()) / 1_000_000;
      if (left <= 0) return false;
      wait(left);
    }
    return true;
  }
}
