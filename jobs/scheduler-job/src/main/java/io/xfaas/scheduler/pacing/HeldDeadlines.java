package io.xfaas.scheduler.pacing;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.TreeMap;

/**
 * The deadlines of one subtask's held DEFERRABLE calls, counted in buckets, for an
 * earliest-deadline-first plan: the least rate at which the held calls must leave so that each
 * starts by its deadline less a lead. Held work released at that rate or more from now on leaves as
 * a flat stream; below it, calls come due by their latest starts and leave in bursts.
 */
public final class HeldDeadlines {
  private final long bucketMs;
  private final TreeMap<Long, long[]> byBucket = new TreeMap<>();
  private long total;

  /**
   * @param bucketMs width of a deadline bucket: a deadline counts at its bucket's start
   */
  public HeldDeadlines(long bucketMs) {
    this.bucketMs = Math.max(1, bucketMs);
  }

  /** A held call with {@code deadline} came ({@code +1}) or went ({@code -1}). */
  public void add(long deadline, int delta) {
    long bucket = Math.floorDiv(deadline, bucketMs) * bucketMs;
    long[] n = byBucket.get(bucket);
    if (n == null) {
      if (delta <= 0) return; // not counted (held before a restart): nothing to take back
      byBucket.put(bucket, n = new long[1]);
    }
    long before = n[0];
    n[0] = Math.max(0, n[0] + delta);
    total += n[0] - before;
    if (n[0] == 0) byBucket.remove(bucket);
  }

  /** Held calls counted. */
  public long total() {
    return total;
  }

  /**
   * Calls per second the held calls must leave at from {@code now} for each to start by its
   * deadline less {@code leadMs}: the largest, over deadlines D, of the calls due by D over the
   * time left until D − lead, that time at least {@code leastMs} (calls already past it count as
   * due within it). 0 when none is held.
   */
  public double requiredRate(long now, long leadMs, long leastMs) {
    double rate = 0;
    long due = 0;
    for (Map.Entry<Long, long[]> e : byBucket.entrySet()) {
      due += e.getValue()[0];
      long left = Math.max(Math.max(1, leastMs), e.getKey() - leadMs - now);
      rate = Math.max(rate, due * 1000.0 / left);
    }
    return rate;
  }

  /** The counts, for a checkpoint: pairs of bucket start and count. */
  public byte[] toBytes() {
    ByteBuffer b = ByteBuffer.allocate(4 + byBucket.size() * 16);
    b.putInt(byBucket.size());
    for (Map.Entry<Long, long[]> e : byBucket.entrySet()) {
      b.putLong(e.getKey()).putLong(e.getValue()[0]);
    }
    return b.array();
  }

  /** Adds the counts {@link #toBytes} wrote (read from {@code b}'s position). */
  public void restore(ByteBuffer b) {
    int n = b.getInt();
    for (int i = 0; i < n; i++) {
      long bucket = b.getLong();
      long count = b.getLong();
      if (count > 0) {
        byBucket.computeIfAbsent(bucket, k -> new long[1])[0] += count;
        total += count;
      }
    }
  }
}
