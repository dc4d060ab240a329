package io.xfaas.scheduler.operators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xfaas.scheduler.buffer.TenantRecord;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The write-back cache of tenant records, against a map standing for keyed state. */
class TenantRecordCacheTest {
  private final Map<String, byte[]> state = new HashMap<>();
  private final Map<String, Integer> reads = new HashMap<>();
  private int writes;

  private TenantRecord load(TenantRecordCache cache, String tenant) {
    return cache.load(
        tenant,
        () -> {
          reads.merge(tenant, 1, Integer::sum);
          return state.get(tenant);
        });
  }

  /** An event that takes a concurrency slot of {@code tenant}: load, change, save. */
  private TenantRecord dispatchOne(TenantRecordCache cache, String tenant) {
    TenantRecord r = load(cache, tenant);
    r.dispatched();
    cache.save(tenant, r);
    return r;
  }

  private void flush(TenantRecordCache cache) throws Exception {
    cache.flush(
        (tenant, bytes) -> {
          writes++;
          if (bytes == null) state.remove(tenant);
          else state.put(tenant, bytes);
        });
  }

  @Test
  void aBusyTenantIsReadOnceAndWrittenOncePerFlush() throws Exception {
    TenantRecordCache cache = new TenantRecordCache(100);
    for (int i = 0; i < 5; i++) dispatchOne(cache, "a");
    assertThat(state).isEmpty(); // nothing written before the flush
    flush(cache);
    assertThat(reads).containsEntry("a", 1);
    assertThat(writes).isEqualTo(1);
    assertThat(TenantRecord.decode(state.get("a")).inFlight()).isEqualTo(5);

    flush(cache); // nothing changed since
    assertThat(writes).isEqualTo(1);
  }

  @Test
  void aRecordSavedUnchangedIsNotWritten() throws Exception {
    TenantRecord seeded = TenantRecord.empty();
    seeded.dispatched();
    state.put("a", seeded.encode());
    TenantRecordCache cache = new TenantRecordCache(100);
    cache.save("a", load(cache, "a"));
    flush(cache);
    assertThat(writes).isZero();
  }

  @Test
  void anEmptiedRecordIsDeletedAndLeavesTheCache() throws Exception {
    TenantRecordCache cache = new TenantRecordCache(100);
    TenantRecord r = dispatchOne(cache, "a");
    flush(cache);
    r.slotFreed();
    cache.save("a", r);
    flush(cache);
    assertThat(state).doesNotContainKey("a");
    assertThat(cache.size()).isZero();
    load(cache, "a");
    assertThat(reads).containsEntry("a", 2); // read again
  }

  @Test
  void aFullCacheIsWrittenAndStartsAgainEmpty() throws Exception {
    TenantRecordCache cache = new TenantRecordCache(1);
    dispatchOne(cache, "a");
    dispatchOne(cache, "b");
    assertThat(cache.full()).isTrue();
    flush(cache);
    assertThat(state).containsOnlyKeys("a", "b");
    assertThat(cache.size()).isZero();
    assertThat(cache.full()).isFalse();
    assertThat(load(cache, "a").inFlight()).isEqualTo(1); // from state
  }

  @Test
  void withNoRoomEveryEventIsWrittenAtOnce() throws Exception {
    TenantRecordCache cache = new TenantRecordCache(0);
    dispatchOne(cache, "a");
    assertThat(cache.full()).isTrue();
    flush(cache);
    assertThat(writes).isEqualTo(1);
  }

  @Test
  void savingARecordThatWasNotLoadedIsABug() {
    TenantRecordCache cache = new TenantRecordCache(100);
    assertThatThrownBy(() -> cache.save("a", TenantRecord.empty()))
        .isInstanceOf(IllegalStateException.class);
  }
}
