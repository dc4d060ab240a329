package io.xfaas.scheduler.operators;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * A scheduler subtask's waiting counts (calls by criticality) in operator state, tagged with the
 * subtask and the parallelism that wrote them. They are right only for the same subtask at the same
 * parallelism, which holds the same keys: after a rescale no entry matches and the counts start
 * from zero.
 */
final class WaitingCounts {
  private WaitingCounts() {}

  static byte[] pack(int subtask, int parallelism, long[] counts) {
    ByteBuffer b = ByteBuffer.allocate(12 + 8 * counts.length);
    b.putInt(subtask).putInt(parallelism).putInt(counts.length);
    for (long c : counts) b.putLong(c);
    return b.array();
  }

  /** The counts {@code subtask} of {@code parallelism} wrote, or null if none of the entries is. */
  static long[] find(List<byte[]> entries, int subtask, int parallelism) {
    for (byte[] e : entries) {
      ByteBuffer b = ByteBuffer.wrap(e);
      if (b.getInt() != subtask || b.getInt() != parallelism) continue;
      long[] counts = new long[b.getInt()];
      for (int i = 0; i < counts.length; i++) counts[i] = b.getLong();
      return counts;
    }
    return null;
  }
}
