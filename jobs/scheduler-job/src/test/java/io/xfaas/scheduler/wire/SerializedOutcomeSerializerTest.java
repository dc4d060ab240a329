package io.xfaas.scheduler.wire;

import io.xfaas.records.SerializedOutcome;

class SerializedOutcomeSerializerTest extends WireSerializerTestBase<SerializedOutcome> {
  SerializedOutcomeSerializerTest() {
    super(WireTypes.SERIALIZED_OUTCOME);
  }

  @Override
  protected SerializedOutcome[] getTestData() {
    return new SerializedOutcome[] {
      SerializedOutcome.of(WireSamples.succeeded()), SerializedOutcome.of(WireSamples.rejected())
    };
  }
}
