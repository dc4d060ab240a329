package io.xfaas.scheduler.wire;

import io.xfaas.records.Outcome;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Flink's own contract for a serializer: round trips, copies, snapshots, duplicates, threads. */
class OutcomeSerializerTest extends SerializerTestBase<Outcome> {
  @Override
  protected TypeSerializer<Outcome> createSerializer() {
    return OutcomeSerializer.INSTANCE;
  }

  @Override
  protected int getLength() {
    return -1;
  }

  @Override
  protected Class<Outcome> getTypeClass() {
    return Outcome.class;
  }

  @Override
  protected boolean allowNullInstances(TypeSerializer<Outcome> serializer) {
    return true; // immutable records: there is nothing to reuse
  }

  @Override
  protected Outcome[] getTestData() {
    return new Outcome[] {WireSamples.succeeded(), WireSamples.rejected()};
  }
}
