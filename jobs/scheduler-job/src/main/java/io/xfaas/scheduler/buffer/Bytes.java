package io.xfaas.scheduler.buffer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A small writer and reader of compact binary values (varints, zig-zag, UTF-8 strings) for the
 * FuncBuffer's state: hand-written codecs instead of Flink's reflective POJO serializers, which
 * were the largest part of the operator's time.
 */
public final class Bytes {
  private Bytes() {}

  /** Appends to a growing array. */
  public static final class Writer {
    private byte[] buf;
    private int n;

    public Writer(int capacity) {
      buf = new byte[capacity];
    }

    private void room(int more) {
      if (n + more > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, n + more));
    }

    public Writer put(int b) {
      room(1);
      buf[n++] = (byte) b;
      return this;
    }

    public Writer bytes(byte[] b) {
      room(b.length);
      System.arraycopy(b, 0, buf, n, b.length);
      n += b.length;
      return this;
    }

    public Writer varLong(long v) {
      room(10);
      while ((v & ~0x7FL) != 0) {
        buf[n++] = (byte) ((v & 0x7F) | 0x80);
        v >>>= 7;
      }
      buf[n++] = (byte) v;
      return this;
    }

    public Writer varInt(int v) {
      return varLong(v & 0xFFFFFFFFL);
    }

    public Writer zigZag(long v) {
      return varLong((v << 1) ^ (v >> 63));
    }

    public Writer fixedLong(long v) {
      room(8);
      for (int i = 7; i >= 0; i--) buf[n++] = (byte) (v >>> (8 * i));
      return this;
    }

    public Writer string(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      varInt(b.length);
      return bytes(b);
    }

    public byte[] toArray() {
      return n == buf.length ? buf : Arrays.copyOf(buf, n);
    }

    /** Bytes written so far. */
    public int size() {
      return n;
    }

    /** Copies what was written into {@code dst} at {@code at}; returns the index after it. */
    public int copyTo(byte[] dst, int at) {
      System.arraycopy(buf, 0, dst, at, n);
      return at + n;
    }
  }

  /** Reads what a {@link Writer} wrote, in the same order. */
  public static final class Reader {
    private final byte[] buf;
    private int at;

    public Reader(byte[] buf) {
      this.buf = buf;
    }

    public int get() {
      return buf[at++] & 0xFF;
    }

    public boolean hasMore() {
      return at < buf.length;
    }

    public long varLong() {
      long v = 0;
      for (int shift = 0; ; shift += 7) {
        byte b = buf[at++];
        v |= (long) (b & 0x7F) << shift;
        if (b >= 0) return v;
      }
    }

    public int varInt() {
      return (int) varLong();
    }

    public long zigZag() {
      long v = varLong();
      return (v >>> 1) ^ -(v & 1);
    }

    public long fixedLong() {
      long v = 0;
      for (int i = 0; i < 8; i++) v = (v << 8) | (buf[at++] & 0xFF);
      return v;
    }

    public String string() {
      int len = varInt();
      String s = new String(buf, at, len, StandardCharsets.UTF_8);
      at += len;
      return s;
    }

    public byte[] bytes(int n) {
      byte[] b = Arrays.copyOfRange(buf, at, at + n);
      at += n;
      return b;
    }

    public byte[] rest() {
      return Arrays.copyOfRange(buf, at, buf.length);
    }
  }
}
