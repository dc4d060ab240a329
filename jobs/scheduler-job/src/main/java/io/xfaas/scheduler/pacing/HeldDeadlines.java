package io.xfaas.scheduler.pacing;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.TreeMap;

/**
 * The deadlines of one subtask's held DEFERRABLE calls, counted in buckets, for an
 * earliest-deadline-first plan: whether the room ahead (the troughs below a fill level) lets each
 * held call start by its deadline less a lead. Held work released at a level that fits leaves as a
 * steady stream; below it, calls come due by their latest starts and leave in bursts.
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

  /** Calls that may leave between two times: what the troughs ahead hold at some fill level. */
  @FunctionalInterface
  public interface Room {
    double callsBetween(long from, long until);
  }

  /**
   * Whether the held calls can each start by its deadline less {@code leadMs} when they leave only
   * into {@code room}, earliest deadline first: for every deadline D at least {@code leastMs} away
   * (less the lead), the room from {@code now} to D − lead holds the calls due by D. Calls due
   * sooner are not checked on their own (they leave by their latest starts, at the drain rate, not
   * into the room: asking the room to take them within that moment would raise the level for every
   * held call) but take their place before the later ones. True when none is held.
   */
  public boolean fits(long now, long leadMs, long leastMs, Room room) {
    long due = 0;
    long until = now;
    double held = 0; // the room from now to until
    for (Map.Entry<Long, long[]> e : byBucket.entrySet()) {
      due += e.getValue()[0];
      long by = e.getKey() - leadMs;
      if (by - now < Math.max(1, leastMs)) continue;
      held += room.callsBetween(until, by);
      until = by;
      if (held < due) return false;
    }
    return true;
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
