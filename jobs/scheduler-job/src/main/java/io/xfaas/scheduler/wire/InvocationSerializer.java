package io.xfaas.scheduler.wire;

import io.xfaas.records.Invocation;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** A dispatched {@link Invocation} on its way from the FuncBuffer to the RunQ writer. */
public final class InvocationSerializer extends ImmutableRecordSerializer<Invocation> {
  private static final long serialVersionUID = 1L;
  public static final InvocationSerializer INSTANCE = new InvocationSerializer();

  @Override
  public void serialize(Invocation inv, DataOutputView out) throws IOException {
    WireFormat.writeInvocation(inv, out);
  }

  @Override
  public Invocation deserialize(DataInputView in) throws IOException {
    return WireFormat.readInvocation(in);
  }

  @Override
  public TypeSerializerSnapshot<Invocation> snapshotConfiguration() {
    return new Snapshot();
  }

  /** No configuration: the format is the class's. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<Invocation> {
    public Snapshot() {
      super(() -> INSTANCE);
    }
  }
}
