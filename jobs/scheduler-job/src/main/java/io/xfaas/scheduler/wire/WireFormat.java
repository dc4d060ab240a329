package io.xfaas.scheduler.wire;

import io.xfaas.records.Criticality;
import io.xfaas.records.Invocation;
import io.xfaas.records.Outcome;
import io.xfaas.records.OutcomeStatus;
import io.xfaas.records.ReasonCode;
import io.xfaas.scheduler.buffer.InvocationCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * How invocations and outcomes travel between the scheduler's tasks. Strings go as UTF-8 bytes in
 * one bulk copy (invocations in the FuncBuffer's state layout, which writes them so): Flink's own
 * string serializer reads and writes them a character at a time, which was a third of the
 * FuncBuffer thread (JFR, 2026-12-06). Absent values are bits of a flags byte.
 */
final class WireFormat {
  private static final Criticality[] CRITICALITIES = Criticality.values();
  private static final OutcomeStatus[] STATUSES = OutcomeStatus.values();
  private static final ReasonCode[] REASONS = ReasonCode.values();

  private WireFormat() {}

  /** In the FuncBuffer's own compact layout ({@link InvocationCodec}), behind its length. */
  static void writeInvocation(Invocation inv, DataOutputView out) throws IOException {
    byte[] bytes = InvocationCodec.encode(inv);
    writeVarInt(bytes.length, out);
    out.write(bytes);
  }

  static Invocation readInvocation(DataInputView in) throws IOException {
    byte[] bytes = new byte[readVarInt(in)];
    in.readFully(bytes);
    return InvocationCodec.decode(bytes);
  }

  // Outcome flags.
  private static final int OUTCOME_DISPATCHED_AT = 1;
  private static final int STARTED_AT = 2;

  static void writeOutcome(Outcome o, DataOutputView out) throws IOException {
    out.writeByte(
        (o.dispatchedAt() != null ? OUTCOME_DISPATCHED_AT : 0)
            | (o.startedAt() != null ? STARTED_AT : 0));
    writeString(o.id(), out);
    writeString(o.tenant(), out);
    writeString(o.function(), out);
    writeEnum(o.criticality(), out);
    writeEnum(o.status(), out);
    writeEnum(o.reason(), out);
    writeString(o.detail(), out);
    out.writeInt(o.attempts());
    out.writeLong(o.submittedAt());
    if (o.dispatchedAt() != null) out.writeLong(o.dispatchedAt());
    if (o.startedAt() != null) out.writeLong(o.startedAt());
    out.writeLong(o.finishedAt());
    writeString(o.region(), out);
    writeString(o.result(), out);
  }

  static Outcome readOutcome(DataInputView in) throws IOException {
    int flags = in.readUnsignedByte();
    String id = readString(in);
    String tenant = readString(in);
    String function = readString(in);
    Criticality criticality = readEnum(CRITICALITIES, in);
    OutcomeStatus status = readEnum(STATUSES, in);
    ReasonCode reason = readEnum(REASONS, in);
    String detail = readString(in);
    int attempts = in.readInt();
    long submittedAt = in.readLong();
    Long dispatchedAt = (flags & OUTCOME_DISPATCHED_AT) != 0 ? in.readLong() : null;
    Long startedAt = (flags & STARTED_AT) != 0 ? in.readLong() : null;
    long finishedAt = in.readLong();
    String region = readString(in);
    String result = readString(in);
    return new Outcome(
        id,
        tenant,
        function,
        criticality,
        status,
        reason,
        detail,
        attempts,
        submittedAt,
        dispatchedAt,
        startedAt,
        finishedAt,
        region,
        result);
  }

  /** Length + 1 as a varint (0 for null), then the UTF-8 bytes. */
  static void writeString(String s, DataOutputView out) throws IOException {
    if (s == null) {
      out.writeByte(0);
      return;
    }
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    writeVarInt(bytes.length + 1, out);
    out.write(bytes);
  }

  static String readString(DataInputView in) throws IOException {
    int n = readVarInt(in) - 1;
    if (n < 0) return null;
    byte[] bytes = new byte[n];
    in.readFully(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** Ordinal + 1 (0 for null). */
  private static void writeEnum(Enum<?> e, DataOutputView out) throws IOException {
    out.writeByte(e == null ? 0 : e.ordinal() + 1);
  }

  private static <E> E readEnum(E[] values, DataInputView in) throws IOException {
    int n = in.readUnsignedByte();
    return n == 0 ? null : values[n - 1];
  }

  private static void writeVarInt(int v, DataOutputView out) throws IOException {
    while ((v & ~0x7F) != 0) {
      out.writeByte((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    out.writeByte(v);
  }

  private static int readVarInt(DataInputView in) throws IOException {
    int v = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      int b = in.readUnsignedByte();
      v |= (b & 0x7F) << shift;
      if ((b & 0x80) == 0) return v;
    }
    throw new IOException("malformed varint");
  }
}
