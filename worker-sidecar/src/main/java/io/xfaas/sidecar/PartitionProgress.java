package io.xfaas.sidecar;

import java.util.Arrays;
import java.util.OptionalLong;

/**
 * Which records of one RunQ partition are done, and so which offset may be committed: the first
 * offset that is not done yet (every record before it has its outputs acknowledged), or the
 * consumer's position when all are. Records finish out of order (functions differ in speed), so
 * done offsets past a gap wait for the gap to close.
 *
 * <p>Kept in primitive arrays, in offset order (a partition is read in order): a record costs no
 * allocation here.
 *
 * <p>Thread-safe: the poll thread adds records and commits; producer callbacks complete them.
 */
final class PartitionProgress {
  // Received and not known complete at the head: offsets[head..tail), ascending, with done flags.
  private long[] offsets = new long[64];
  private boolean[] done = new boolean[64];
  private int head;
  private int tail;
  private int doneCount; // done flags set in [head, tail)
  private int abandoned;
  private long position = -1;
  private long committed = -1;
  private int waiters;

  /** A record was polled; it now holds back the commit until it is done. */
  synchronized void received(long offset) {
    if (tail == offsets.length) makeRoom();
    offsets[tail] = offset;
    done[tail++] = false;
    position = Math.max(position, offset + 1);
  }

  private void makeRoom() {
    int size = tail - head;
    if (size * 2 > offsets.length) {
      offsets = Arrays.copyOf(offsets, offsets.length * 2);
      done = Arrays.copyOf(done, done.length * 2);
    }
    System.arraycopy(offsets, head, offsets, 0, size);
    System.arraycopy(done, head, done, 0, size);
    head = 0;
    tail = size;
  }

  /** The consumer's next offset; it may skip transaction markers past the last record. */
  synchronized void advancePosition(long next) {
    position = Math.max(position, next);
  }

  /** Every output of the record at {@code offset} is acknowledged. */
  synchronized void completed(long offset) {
    int i = Arrays.binarySearch(offsets, head, tail, offset);
    if (i >= 0 && !done[i]) {
      done[i] = true;
      doneCount++;
    }
    if (waiters > 0) notifyAll();
  }

  /** The record will not run here (its partition is being handed over); it stays uncommitted. */
  synchronized void abandoned(long offset) {
    abandoned++;
    if (waiters > 0) notifyAll();
  }

  /** Records received and neither done nor abandoned: queued, running or awaiting their acks. */
  synchronized int outstanding() {
    return tail - head - doneCount - abandoned;
  }

  /** The offset to commit, if it moved since the last commit. */
  synchronized OptionalLong toCommit() {
    while (head < tail && done[head]) {
      head++;
      doneCount--;
    }
    long next = head == tail ? position : offsets[head];
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
    waiters++;
    try {
      while (outstanding() > 0) {
        long left = (end - System.nanoTime()) / 1_000_000;
        if (left <= 0) return false;
        wait(left);
      }
      return true;
    } finally {
      waiters--;
    }
  }
}
