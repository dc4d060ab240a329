package io.xfaas.scheduler.operators;

import io.xfaas.records.Invocation;
import io.xfaas.scheduler.buffer.CallEntry;
import io.xfaas.scheduler.buffer.InvocationCodec;
import io.xfaas.scheduler.buffer.TenantQueue;
import io.xfaas.scheduler.buffer.TenantRecord;
import io.xfaas.scheduler.buffer.TenantStore;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * A tenant's FuncBuffer in Flink keyed state (RocksDB in the job), scoped to the current key: the
 * record in one {@code byte[]} value (through a {@link TenantRecordCache}, written back before each
 * checkpoint), the ids (the entries written since the last checkpoint held on the heap too) in one
 * map with the dedup window as TTL, and the queue in four maps with byte keys (RocksDB keeps them
 * sorted: the first entry is the next to go) and {@link InvocationCodec} values. No reflective
 * serializer anywhere.
 *
 * <p>This layout (FuncBuffer v2, version byte 1 in the record and each invocation) replaced the
 * POJO-serialized states of v1: a savepoint taken before it cannot be restored into this job. Drain
 * the scheduler (or start from empty state) when upgrading.
 */
final class StateTenantStore implements TenantStore, TenantQueue {
  /** The state names, for tests that check nothing is left behind. */
  static final String RECORD = "tenant";

  static final String CALLS = "calls";
  static final String[] QUEUE = {"ready", "delayed", "parked", "by-deadline"};

  private final ValueState<byte[]> record;
  private final MapState<String, byte[]> calls;
  private final MapState<byte[], byte[]>[] places;
  private final MapState<byte[], byte[]> byDeadline;
  private final TenantRecordCache cache;
  private final Map<CallKey, HeldCall> heldCalls = new HashMap<>();
  private final int maxHeldCalls;
  private String tenant;

  /** Where a call entry held on the heap belongs: its tenant (the key) and its id. */
  private record CallKey(String tenant, String id) {}

  /**
   * A call entry on the heap: written since the last flush (to write at the next), or written at
   * the last flush and kept one interval more, so that a result a little slower than a checkpoint
   * interval still finds its entry without a RocksDB read.
   */
  private static final class HeldCall {
    final CallEntry entry;
    boolean written;

    HeldCall(CallEntry entry) {
      this.entry = entry;
    }
  }

  @SuppressWarnings("unchecked")
  StateTenantStore(RuntimeContext ctx, Duration dedupWindow, int maxCachedRecords) {
    cache = new TenantRecordCache(maxCachedRecords);
    maxHeldCalls = 2 * maxCachedRecords;
    TypeInformation<byte[]> bytes = PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO;
    record = ctx.getState(new ValueStateDescriptor<>(RECORD, bytes));
    MapStateDescriptor<String, byte[]> callsDescriptor =
        new MapStateDescriptor<>(CALLS, Types.STRING, bytes);
    callsDescriptor.enableTimeToLive(StateTtlConfig.newBuilder(dedupWindow).build());
    calls = ctx.getMapState(callsDescriptor);
    places = new MapState[3];
    for (Place p : Place.values()) {
      places[p.ordinal()] =
          ctx.getMapState(new MapStateDescriptor<>(QUEUE[p.ordinal()], bytes, bytes));
    }
    byDeadline = ctx.getMapState(new MapStateDescriptor<>(QUEUE[3], bytes, bytes));
  }

  /** Scopes the record cache to {@code tenant}, the current key, for the coming event. */
  void at(String tenant) {
    this.tenant = tenant;
  }

  @Override
  public TenantRecord load() {
    return cache.load(tenant, this::stored);
  }

  private byte[] stored() {
    try {
      return record.value();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void save(TenantRecord r) {
    cache.save(tenant, r);
  }

  /** Whether the caches should be flushed after this event. */
  boolean flushDue() {
    return cache.full() || heldCalls.size() > maxHeldCalls;
  }

  /**
   * Writes the changed records and call entries to keyed state, each under its own key ({@code
   * setKey} sets the backend's current key): before every checkpoint barrier, and when the cache is
   * full.
   */
  void flush(Consumer<String> setKey) throws Exception {
    cache.flush(
        (t, bytes) -> {
          setKey.accept(t);
          if (bytes == null) record.clear();
          else record.update(bytes);
        });
    for (Iterator<Map.Entry<CallKey, HeldCall>> it = heldCalls.entrySet().iterator();
        it.hasNext(); ) {
      Map.Entry<CallKey, HeldCall> e = it.next();
      HeldCall held = e.getValue();
      if (held.written) {
        it.remove(); // kept for one interval already
      } else {
        setKey.accept(e.getKey().tenant());
        calls.put(e.getKey().id(), held.entry.encode());
        held.written = true;
      }
    }
  }

  @Override
  public CallEntry call(String id) {
    HeldCall held = heldCalls.get(new CallKey(tenant, id));
    if (held != null) return held.entry;
    try {
      return CallEntry.decode(calls.get(id));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Written back like the records, and kept on the heap one interval after it is written: a call's
   * result usually comes within two checkpoint intervals of its dispatch, so its entry is then read
   * from the heap, not from RocksDB.
   */
  @Override
  public void call(String id, CallEntry entry) {
    heldCalls.put(new CallKey(tenant, id), new HeldCall(entry));
  }

  @Override
  public TenantQueue queue() {
    return this;
  }

  @Override
  public void put(Place place, byte[] key, Invocation inv) {
    try {
      places[place.ordinal()].put(key, InvocationCodec.encode(inv));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public Invocation get(Place place, byte[] key) {
    try {
      return InvocationCodec.decode(places[place.ordinal()].get(key));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void remove(Place place, byte[] key) {
    try {
      places[place.ordinal()].remove(key);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public Iterator<Map.Entry<byte[], Invocation>> iterator(Place place) {
    Iterator<Map.Entry<byte[], byte[]>> it = entries(places[place.ordinal()]);
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public Map.Entry<byte[], Invocation> next() {
        Map.Entry<byte[], byte[]> e = it.next();
        return Map.entry(e.getKey(), InvocationCodec.decode(e.getValue()));
      }
    };
  }

  @Override
  public void putDeadline(byte[] timeKey, byte[] locator) {
    try {
      byDeadline.put(timeKey, locator);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void removeDeadline(byte[] timeKey) {
    try {
      byDeadline.remove(timeKey);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public Iterator<Map.Entry<byte[], byte[]>> deadlines() {
    return entries(byDeadline);
  }

  private static Iterator<Map.Entry<byte[], byte[]>> entries(MapState<byte[], byte[]> map) {
    try {
      return map.iterator();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
