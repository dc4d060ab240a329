package io.xfaas.scheduler.wire;

import io.xfaas.scheduler.buffer.TenantEvent;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Flink's own contract for a serializer: round trips, copies, snapshots, duplicates, threads. */
class TenantEventSerializerTest extends SerializerTestBase<TenantEvent> {
  @Override
  protected TypeSerializer<TenantEvent> createSerializer() {
    return TenantEventSerializer.INSTANCE;
  }

  @Override
  protected int getLength() {
    return -1;
  }

  @Override
  protected Class<TenantEvent> getTypeClass() {
    return TenantEvent.class;
  }

  @Override
  protected boolean allowNullInstances(TypeSerializer<TenantEvent> serializer) {
    return true; // immutable records: there is nothing to reuse
  }

  @Override
  protected TenantEvent[] getTestData() {
    return new TenantEvent[] {
      TenantEvent.invocation(WireSamples.full()),
      TenantEvent.invocation(WireSamples.bare()),
      TenantEvent.invocation(WireSamples.empty()),
      TenantEvent.cancel("tenant-a", "id-ü-1"),
      TenantEvent.result(WireSamples.succeeded()),
      new TenantEvent("t", null, null, WireSamples.rejected()),
      new TenantEvent("only-a-tenant", null, null, null),
    };
  }
}
