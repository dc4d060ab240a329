package io.xfaas.scheduler.operators;

import io.xfaas.scheduler.buffer.TenantRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The tenants' records of one FuncBuffer subtask, written back to keyed state once per checkpoint
 * instead of once per event: the mini-batch of FuncBuffer v2. A busy tenant's record is read from
 * RocksDB once and written once per checkpoint interval, however many events it has in between; the
 * keyed state is complete at every checkpoint because the operator flushes before the barrier
 * ({@link FuncBufferOperator}).
 *
 * <p>Bounded: once more than {@code maxCached} tenants are held, the operator flushes at the end of
 * the event and the cache starts again empty, so a million tenants cost what they cost without it.
 */
final class TenantRecordCache {
  /** Where a flushed record goes: its encoded bytes, or null to delete it. */
  interface Writer {
    void write(String tenant, byte[] bytes) throws Exception;
  }

  private static final class Cached {
    final String tenant;
    final TenantRecord record;
    byte[] stored; // what keyed state holds: null when nothing
    boolean dirty;

    Cached(String tenant, TenantRecord record, byte[] stored) {
      this.tenant = tenant;
      this.record = record;
      this.stored = stored;
    }
  }

  private final int maxCached;
  private final Map<String, Cached> records = new HashMap<>();
  // Saved since the last flush: a flush visits these, not every tenant held.
  private final List<Cached> dirty = new ArrayList<>();

  TenantRecordCache(int maxCached) {
    this.maxCached = maxCached;
  }

  /** The tenant's record, read through {@code stored} if it is not held yet. */
  TenantRecord load(String tenant, Supplier<byte[]> stored) {
    Cached c = records.get(tenant);
    if (c == null) {
      byte[] bytes = stored.get();
      c = new Cached(tenant, TenantRecord.decode(bytes), bytes);
      records.put(tenant, c);
    }
    return c.record;
  }

  /** The tenant's record changed (or may have): written at the next flush. */
  void save(String tenant, TenantRecord record) {
    Cached c = records.get(tenant);
    if (c == null || c.record != record) {
      throw new IllegalStateException("saving a record of " + tenant + " that was not loaded");
    }
    if (!c.dirty) {
      c.dirty = true;
      dirty.add(c);
    }
  }

  /** Whether the operator should flush after this event: too many tenants held. */
  boolean full() {
    return records.size() > maxCached;
  }

  int size() {
    return records.size();
  }

  /**
   * Writes every changed record (an empty one is deleted, an unchanged one not written). Empty
   * records leave the cache; all do when it is full.
   */
  void flush(Writer out) throws Exception {
    for (Cached c : dirty) {
      c.dirty = false;
      if (c.record.isEmpty()) {
        if (c.stored != null) out.write(c.tenant, null);
        records.remove(c.tenant);
      } else {
        byte[] bytes = c.record.encode();
        if (!Arrays.equals(bytes, c.stored)) {
          out.write(c.tenant, bytes);
          c.stored = bytes;
        }
      }
    }
    dirty.clear();
    if (full()) records.clear();
  }
}
