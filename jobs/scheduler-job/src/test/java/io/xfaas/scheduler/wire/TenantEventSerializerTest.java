package io.xfaas.scheduler.wire;

import io.xfaas.records.SerializedOutcome;
import io.xfaas.scheduler.buffer.TenantEvent;

class TenantEventSerializerTest extends WireSerializerTestBase<TenantEvent> {
  TenantEventSerializerTest() {
    super(WireTypes.TENANT_EVENT);
  }

  @Override
  protected TenantEvent[] getTestData() {
    return new TenantEvent[] {
      TenantEvent.invocation(WireSamples.full()),
      TenantEvent.invocation(WireSamples.bare()),
      TenantEvent.invocation(WireSamples.empty()),
      TenantEvent.cancel("tenant-a", "id-ü-1"),
      TenantEvent.result(WireSamples.succeeded()),
      new TenantEvent("t", null, null, SerializedOutcome.of(WireSamples.rejected())),
      new TenantEvent("only-a-tenant", null, null, null),
    };
  }
}
