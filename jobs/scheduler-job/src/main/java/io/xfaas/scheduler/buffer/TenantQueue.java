package io.xfaas.scheduler.buffer;

import io.xfaas.records.Invocation;
import java.util.Iterator;
import java.util.Map;

/**
 * One tenant's waiting calls: the ordered buffer ({@link Place#READY}, keyed by {@link
 * BufferKeys#order}), the calls waiting for their notBefore ({@link Place#DELAYED}, by {@link
 * BufferKeys#time}), the calls parked because their function is paced ({@link Place#PARKED}, by
 * order key), and the deadline index (time key to {@link Locator}). Iteration is in unsigned key
 * order. Implemented on Flink map state for the job and on the heap for tests.
 */
public interface TenantQueue {
  /** Where a waiting call is. */
  enum Place {
    READY,
    DELAYED,
    PARKED
  }

  void put(Place place, byte[] key, Invocation inv);

  Invocation get(Place place, byte[] key);

  void remove(Place place, byte[] key);

  /** The calls in {@code place}, first key first. Do not change the queue while iterating. */
  Iterator<Map.Entry<byte[], Invocation>> iterator(Place place);

  void putDeadline(byte[] timeKey, byte[] locator);

  void removeDeadline(byte[] timeKey);

  /** The deadline index, earliest first. Do not change the queue while iterating. */
  Iterator<Map.Entry<byte[], byte[]>> deadlines();
}
