package io.xfaas.scheduler.wire;

import io.xfaas.records.Criticality;
import io.xfaas.records.Invocation;
import io.xfaas.records.Outcome;
import io.xfaas.records.OutcomeStatus;
import io.xfaas.records.ReasonCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * How invocations and outcomes travel between the scheduler's tasks. Strings go as UTF-8 bytes in
 * one bulk copy: Flink's own string serializer reads and writes them a character at a time, which
 * was a third of the FuncBuffer thread (JFR, 2026-12-06). Absent values are bits of a flags byte.
 */
final class WireFormat {
  private static final Criticality[] CRITICALITIES = Criticality.values();
  private static final OutcomeStatus[] STATUSES = OutcomeStatus.values();
  private static final ReasonCode[] REASONS = ReasonCode.values();

  private WireFormat() {}

  // Invocation flags.
  private static final int NOT_BEFORE = 1;
  private static final int DEADLINE = 2;
  private static final int DISPATCHED_AT = 4;

  static void writeInvocation(Invocation inv, DataOutputView out) throws IOException {
    out.writeByte(
        (inv.notBefore() != null ? NOT_BEFORE : 0)
            | (inv.deadline() != null ? DEADLINE : 0)
            | (inv.dispatchedAt() != null ? DISPATCHED_AT : 0));
    writeString(inv.id(), out);
    writeString(inv.tenant(), out);
    writeString(inv.function(), out);
    writeEnum(inv.criticality(), out);
    out.writeInt(inv.priority());
    out.writeLong(inv.submittedAt());
    if (inv.notBefore() != null) out.writeLong(inv.notBefore());
    if (inv.deadline() != null) out.writeLong(inv.deadline());
    out.writeInt(inv.attempt());
    out.writeInt(inv.maxAttempts());
    writeString(inv.payload(), out);
    writeMap(inv.attributes(), out);
    if (inv.dispatchedAt() != null) out.writeLong(inv.dispatchedAt());
    writeMap(inv.extra(), out);
  }

  static Invocation readInvocation(DataInputView in) throws IOException {
    int flags = in.readUnsignedByte();
    String id = readString(in);
    String tenant = readString(in);
    String function = readString(in);
    Criticality criticality = readEnum(CRITICALITIES, in);
    int priority = in.readInt();
    long submittedAt = in.readLong();
    Long notBefore = (flags & NOT_BEFORE) != 0 ? in.readLong() : null;
    Long deadline = (flags & DEADLINE) != 0 ? in.readLong() : null;
    int attempt = in.readInt();
    int maxAttempts = in.readInt();
    String payload = readString(in);
    Map<String, String> attributes = readMap(in);
    Long dispatchedAt = (flags & DISPATCHED_AT) != 0 ? in.readLong() : null;
    Map<String, String> extra = readMap(in);
    return new Invocation(
        id,
        tenant,
        function,
        criticality,
        priority,
        submittedAt,
        notBefore,
        deadline,
        attempt,
        maxAttempts,
        payload,
        attributes,
        dispatchedAt,
        extra);
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

  private static void writeMap(Map<String, String> m, DataOutputView out) throws IOException {
    writeVarInt(m.size(), out);
    for (Map.Entry<String, String> e : m.entrySet()) {
      writeString(e.getKey(), out);
      writeString(e.getValue(), out);
    }
  }

  private static Map<String, String> readMap(DataInputView in) throws IOException {
    int n = readVarInt(in);
    if (n == 0) return Map.of();
    Map<String, String> m = new HashMap<>(n * 2);
    for (int i = 0; i < n; i++) m.put(readString(in), readString(in));
    return m;
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
