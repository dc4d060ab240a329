package io.xfaas.scheduler.wire;

import io.xfaas.scheduler.buffer.TenantEvent;
import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * A {@link TenantEvent} on its way to the FuncBuffer: a kind byte, the tenant, then its one part.
 */
public final class TenantEventSerializer extends ImmutableRecordSerializer<TenantEvent> {
  private static final long serialVersionUID = 1L;
  public static final TenantEventSerializer INSTANCE = new TenantEventSerializer();

  private static final int INVOCATION = 1;
  private static final int CANCEL = 2;
  private static final int RESULT = 3;
  private static final int NONE = 0;

  public TenantEventSerializer() {
    super(TenantEvent.class, TenantEventSerializer::write, TenantEventSerializer::read);
  }

  private static void write(TenantEvent e, DataOutputView out) throws IOException {
    if (e.invocation() != null) {
      out.writeByte(INVOCATION);
      WireFormat.writeString(e.tenant(), out);
      WireFormat.writeInvocation(e.invocation(), out);
    } else if (e.cancelId() != null) {
      out.writeByte(CANCEL);
      WireFormat.writeString(e.tenant(), out);
      WireFormat.writeString(e.cancelId(), out);
    } else if (e.result() != null) {
      out.writeByte(RESULT);
      WireFormat.writeString(e.tenant(), out);
      WireFormat.writeSerializedOutcome(e.result(), out);
    } else {
      out.writeByte(NONE);
      WireFormat.writeString(e.tenant(), out);
    }
  }

  private static TenantEvent read(DataInputView in) throws IOException {
    int kind = in.readUnsignedByte();
    String tenant = WireFormat.readString(in);
    return switch (kind) {
      case INVOCATION -> new TenantEvent(tenant, WireFormat.readInvocation(in), null, null);
      case CANCEL -> new TenantEvent(tenant, null, WireFormat.readString(in), null);
      case RESULT -> new TenantEvent(tenant, null, null, WireFormat.readSerializedOutcome(in));
      case NONE -> new TenantEvent(tenant, null, null, null);
      default -> throw new IOException("unknown tenant event kind " + kind);
    };
  }
}
