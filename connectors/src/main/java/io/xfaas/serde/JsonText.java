package io.xfaas.serde;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Checks that a record is JSON text as RFC 8259 exchanges it: well-formed UTF-8 (no overlong forms,
 * no surrogates, nothing past U+10FFFF) and no NUL byte. The parser alone is lenient: it reads a
 * surrogate's bytes as a character, passes bad bytes inside a skipped payload on, and takes bytes
 * with NULs in them for UTF-16 or UTF-32. ASCII, most records, is checked eight bytes at a time.
 */
final class JsonText {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long HIGH_BITS = 0x8080808080808080L;
  private static final long LOW_BITS = 0x0101010101010101L;

  private JsonText() {}

  /** The index of the first byte that is not part of JSON text, or -1 when all are. */
  static int firstInvalidByte(byte[] b) {
    int n = b.length;
    int i = 0;
    while (i < n) {
      if (i + 8 <= n) {
        long v = (long) LONGS.get(b, i);
        // Eight ASCII bytes, none of them zero: the common case, skipped at once.
        if ((v & HIGH_BITS) == 0 && ((v - LOW_BITS) & ~v & HIGH_BITS) == 0) {
          i += 8;
          continue;
        }
      }
      int c = b[i] & 0xFF;
      if (c < 0x80) {
        if (c == 0) return i;
        i++;
      } else if (c < 0xC2) {
        return i; // a continuation byte with no lead, or an overlong two-byte form
      } else if (c < 0xE0) {
        if (!continuation(b, i + 1)) return i;
        i += 2;
      } else if (c < 0xF0) {
        if (i + 2 >= n) return i;
        int c1 = b[i + 1] & 0xFF;
        if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 > 0x9F)) return i; // overlong, surrogate
        if (!continuation(b, i + 1) || !continuation(b, i + 2)) return i;
        i += 3;
      } else if (c < 0xF5) {
        if (i + 3 >= n) return i;
        int c1 = b[i + 1] & 0xFF;
        if ((c == 0xF0 && c1 < 0x90) || (c == 0xF4 && c1 > 0x8F)) return i; // overlong, too big
        if (!continuation(b, i + 1) || !continuation(b, i + 2) || !continuation(b, i + 3)) {
          return i;
        }
        i += 4;
      } else {
        return i;
      }
    }
    return -1;
  }

  private static boolean continuation(byte[] b, int i) {
    return i < b.length && (b[i] & 0xC0) == 0x80;
  }
}
