package io.xfaas.scheduler.wire;

import io.xfaas.records.Invocation;

class InvocationSerializerTest extends WireSerializerTestBase<Invocation> {
  InvocationSerializerTest() {
    super(WireTypes.INVOCATION);
  }

  @Override
  protected Invocation[] getTestData() {
    return new Invocation[] {WireSamples.full(), WireSamples.bare(), WireSamples.empty()};
  }
}
