package io.xfaas.scheduler.wire;

import io.xfaas.records.Outcome;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** An {@link Outcome} between the scheduler's tasks (a worker's result on its way to dedup). */
public final class OutcomeSerializer extends ImmutableRecordSerializer<Outcome> {
  private static final long serialVersionUID = 1L;
  public static final OutcomeSerializer INSTANCE = new OutcomeSerializer();

  @Override
  public void serialize(Outcome o, DataOutputView out) throws IOException {
    WireFormat.writeOutcome(o, out);
  }

  @Override
  public Outcome deserialize(DataInputView in) throws IOException {
    return WireFormat.readOutcome(in);
  }

  @Override
  public TypeSerializerSnapshot<Outcome> snapshotConfiguration() {
    return new Snapshot();
  }

  /** No configuration: the format is the class's. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<Outcome> {
    public Snapshot() {
      super(() -> INSTANCE);
    }
  }
}
