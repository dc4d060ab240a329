package io.xfaas.scheduler.sim;

import io.xfaas.records.Invocation;
import io.xfaas.scheduler.buffer.CallEntry;
import io.xfaas.scheduler.buffer.InvocationCodec;
import io.xfaas.scheduler.buffer.TenantQueue;
import io.xfaas.scheduler.buffer.TenantRecord;
import io.xfaas.scheduler.buffer.TenantStore;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * One tenant's FuncBuffer on the heap, for the policy's unit tests and the what-if simulation:
 * sorted maps with RocksDB's unsigned byte order, and the record and call entries through their
 * codecs, as the job stores them.
 */
public final class HeapTenantStore implements TenantStore, TenantQueue {
  private byte[] record;
  private final Map<String, byte[]> calls = new HashMap<>();
  private final Map<Place, TreeMap<byte[], byte[]>> places = new HashMap<>();
  private final TreeMap<byte[], byte[]> deadlines = new TreeMap<>(Arrays::compareUnsigned);

  public HeapTenantStore() {
    for (Place p : Place.values()) places.put(p, new TreeMap<>(Arrays::compareUnsigned));
  }

  /** Nothing kept but the ids remembered for deduplication. */
  public boolean isEmptyButIds() {
    return record == null
        && deadlines.isEmpty()
        && places.values().stream().allMatch(Map::isEmpty)
        && calls.values().stream()
            .map(CallEntry::decode)
            .noneMatch(c -> c.is(CallEntry.Status.WAITING) || c.is(CallEntry.Status.IN_FLIGHT));
  }

  @Override
  public TenantRecord load() {
    return TenantRecord.decode(record);
  }

  @Override
  public void save(TenantRecord r) {
    record = r.isEmpty() ? null : r.encode();
  }

  @Override
  public CallEntry call(String id) {
    return CallEntry.decode(calls.get(id));
  }

  @Override
  public void call(String id, CallEntry entry) {
    calls.put(id, entry.encode());
  }

  @Override
  public TenantQueue queue() {
    return this;
  }

  @Override
  public void put(Place place, byte[] key, Invocation inv) {
    places.get(place).put(key, InvocationCodec.encode(inv));
  }

  @Override
  public Invocation get(Place place, byte[] key) {
    return InvocationCodec.decode(places.get(place).get(key));
  }

  @Override
  public void remove(Place place, byte[] key) {
    places.get(place).remove(key);
  }

  @Override
  public Iterator<Map.Entry<byte[], Invocation>> iterator(Place place) {
    return places.get(place).entrySet().stream()
        .map(e -> Map.entry(e.getKey(), InvocationCodec.decode(e.getValue())))
        .iterator();
  }

  @Override
  public void putDeadline(byte[] timeKey, byte[] locator) {
    deadlines.put(timeKey, locator);
  }

  @Override
  public void removeDeadline(byte[] timeKey) {
    deadlines.remove(timeKey);
  }

  @Override
  public Iterator<Map.Entry<byte[], byte[]>> deadlines() {
    return deadlines.entrySet().iterator();
  }
}
