package io.xfaas.scheduler.wire;

import io.xfaas.records.Outcome;

class OutcomeSerializerTest extends WireSerializerTestBase<Outcome> {
  OutcomeSerializerTest() {
    super(WireTypes.OUTCOME);
  }

  @Override
  protected Outcome[] getTestData() {
    return new Outcome[] {WireSamples.succeeded(), WireSamples.rejected()};
  }
}
