package io.xfaas.scheduler.wire;

import io.xfaas.records.Outcome;

class OutcomeSerializerTest extends WireSerializerTestBase<Outcome> {
  OutcomeSerializerTest() {
    super(OutcomeSerializer.INSTANCE, Outcome.class);
  }

  @Override
  protected Outcome[] getTestData() {
    return new Outcome[] {WireSamples.succeeded(), WireSamples.rejected()};
  }
}
