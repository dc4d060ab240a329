package io.xfaas.scheduler.buffer;

import io.xfaas.records.Invocation;
import java.nio.ByteBuffer;

/**
 * Byte keys whose unsigned lexicographic order is the dispatch order. RocksDB keeps map state
 * sorted by key bytes, so the first entry of a tenant's FuncBuffer is the next to dispatch: no
 * scan, no heap-side index.
 */
public final class BufferKeys {
  public static final int ORDER_LENGTH = 21;
  public static final int TIME_LENGTH = 16;

  private BufferKeys() {}

  /**
   * Criticality (CRITICAL first), then earliest deadline (none last), then highest priority, then
   * arrival.
   */
  public static byte[] order(Invocation inv, long deadline, long seq) {
    return ByteBuffer.allocate(ORDER_LENGTH)
        .put((byte) inv.criticality().ordinal())
        .putLong(deadline)
        .putInt(-inv.priority() ^ Integer.MIN_VALUE) // flips the sign bit: signed order as unsigned
        .putLong(seq)
        .array();
  }

  /** A time (deadline or notBefore) then arrival: the earliest first. */
  public static byte[] time(long at, long seq) {
    return ByteBuffer.allocate(TIME_LENGTH).putLong(at).putLong(seq).array();
  }

  public static long timeOf(byte[] timeKey) {
    return ByteBuffer.wrap(timeKey).getLong(0);
  }

  /** The arrival sequence inside a time key. */
  public static long seqOfTime(byte[] timeKey) {
    return ByteBuffer.wrap(timeKey).getLong(8);
  }

  /** The deadline inside an order key. */
  public static long deadlineOf(byte[] orderKey) {
    return ByteBuffer.wrap(orderKey).getLong(1);
  }

  /** The arrival sequence inside an order key. */
  public static long seqOf(byte[] orderKey) {
    return ByteBuffer.wrap(orderKey).getLong(13);
  }

  /** Unsigned lexicographic comparison, as RocksDB's default comparator does. */
  public static int compare(byte[] a, byte[] b) {
    return java.util.Arrays.compareUnsigned(a, b);
  }
}
