package io.xfaas.scheduler.wire;

import io.xfaas.records.Invocation;
import io.xfaas.records.SerializedOutcome;
import io.xfaas.scheduler.buffer.InvocationCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * How invocations and outcomes travel between the scheduler's tasks. Strings go as UTF-8 bytes in
 * one bulk copy (invocations in the FuncBuffer's state layout, which writes them so): Flink's own
 * string serializer reads and writes them a character at a time, which was a third of the
 * FuncBuffer thread (JFR, 2026-12-06). Outcomes go as the JSON they will be written as.
 */
final class WireFormat {
  private WireFormat() {}

  /** In the FuncBuffer's own compact layout ({@link InvocationCodec}), behind its length. */
  static void writeInvocation(Invocation inv, DataOutputView out) throws IOException {
    writeBytes(InvocationCodec.encode(inv), out);
  }

  static Invocation readInvocation(DataInputView in) throws IOException {
    return InvocationCodec.decode(readBytes(in));
  }

  /** An outcome as the outcomes topic carries it: its id, then its JSON behind its length. */
  static void writeSerializedOutcome(SerializedOutcome o, DataOutputView out) throws IOException {
    writeString(o.id(), out);
    writeBytes(o.json(), out);
  }

  static SerializedOutcome readSerializedOutcome(DataInputView in) throws IOException {
    String id = readString(in);
    return new SerializedOutcome(id, readBytes(in));
  }

  /** Bytes behind their length as a varint. */
  private static void writeBytes(byte[] bytes, DataOutputView out) throws IOException {
    writeVarInt(bytes.length, out);
    out.write(bytes);
  }

  private static byte[] readBytes(DataInputView in) throws IOException {
    byte[] bytes = new byte[readVarInt(in)];
    in.readFully(bytes);
    return bytes;
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
