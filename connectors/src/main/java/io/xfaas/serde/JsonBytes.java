package io.xfaas.serde;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A JSON object written straight into UTF-8 bytes, for the records written once per call (the RunQ
 * invocation): no generator, context or buffer recycler to set up for each record. Strings are
 * escaped as Jackson escapes them by default (quote, backslash and control characters); raw values
 * are JSON text that is copied as it is.
 */
final class JsonBytes {
  private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

  // One writer per thread, its buffer kept between records: a record costs one exact-size copy,
  // not an allocation that grows while it is written.
  private static final ThreadLocal<JsonBytes> WRITER =
      ThreadLocal.withInitial(() -> new JsonBytes(1024));

  private static final int MAX_KEPT = 1 << 16; // a buffer grown past this by a big payload goes

  private byte[] buf;
  private int len;
  private boolean first = true;

  JsonBytes(int capacity) {
    buf = new byte[Math.max(16, capacity)];
    put('{');
  }

  /** This thread's writer, emptied and with the object opened. */
  static JsonBytes reused() {
    JsonBytes w = WRITER.get();
    if (w.buf.length > MAX_KEPT) w.buf = new byte[1024];
    w.len = 0;
    w.first = true;
    w.put('{');
    return w;
  }

  JsonBytes field(String name, String value) {
    name(name);
    string(value);
    return this;
  }

  JsonBytes field(String name, long value) {
    name(name);
    number(value);
    return this;
  }

  /** {@code json} is already JSON text (a payload or an unknown field as it arrived). */
  JsonBytes rawField(String name, String json) {
    name(name);
    utf8(json);
    return this;
  }

  /** Starts a nested object; its fields follow, then {@link #end}. */
  JsonBytes object(String name) {
    name(name);
    put('{');
    first = true;
    return this;
  }

  JsonBytes end() {
    put('}');
    first = false;
    return this;
  }

  byte[] toBytes() {
    put('}');
    return Arrays.copyOf(buf, len);
  }

  private void name(String name) {
    if (!first) put(',');
    first = false;
    string(name);
    put(':');
  }

  private void string(String s) {
    // The common case, plain ASCII with nothing to escape, in one pass with one bounds check.
    int n = s.length();
    ensure(n + 2);
    byte[] b = buf;
    int p = len;
    b[p++] = '"';
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
        b[p++] = (byte) c;
      } else {
        len = p;
        escaped(s, i);
        return;
      }
    }
    b[p++] = '"';
    len = p;
  }

  /** The rest of {@code s} from {@code from}, where the first character to escape or encode is. */
  private void escaped(String s, int from) {
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        put('\\');
        put(c);
      } else if (c < 0x20) {
        escapeControl(c);
      } else if (c < 0x80) {
        put(c);
      } else {
        // Not ASCII: encode the rest of the string as UTF-8 through the JDK, escaping as above.
        utf8Escaped(s, i);
        break;
      }
    }
    put('"');
  }

  private void utf8Escaped(String s, int from) {
    StringBuilder rest = new StringBuilder(s.length() - from + 8);
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') rest.append('\\').append(c);
      else if (c < 0x20) rest.append(controlEscape(c));
      else if (!Character.isSurrogate(c)) rest.append(c);
      else if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        rest.append(c).append(s.charAt(++i));
      } else {
        // A lone surrogate (read from an escape) has no UTF-8 form: escaped again, as it came.
        rest.append("\\u").append((char) HEX[c >> 12]).append((char) HEX[(c >> 8) & 0xF]);
        rest.append((char) HEX[(c >> 4) & 0xF]).append((char) HEX[c & 0xF]);
      }
    }
    utf8(rest.toString());
  }

  private void escapeControl(char c) {
    String e = controlEscape(c);
    for (int i = 0; i < e.length(); i++) put(e.charAt(i));
  }

  private static String controlEscape(char c) {
    return switch (c) {
      case '\b' -> "\\b";
      case '\f' -> "\\f";
      case '\n' -> "\\n";
      case '\r' -> "\\r";
      case '\t' -> "\\t";
      default ->
          new String(
              new byte[] {'\\', 'u', '0', '0', HEX[c >> 4], HEX[c & 0xF]},
              StandardCharsets.US_ASCII);
    };
  }

  private void number(long v) {
    if (v == Long.MIN_VALUE) {
      ascii(Long.toString(v));
      return;
    }
    ensure(20);
    if (v < 0) {
      buf[len++] = '-';
      v = -v;
    }
    int digits = 1;
    for (long rest = v / 10; rest != 0; rest /= 10) digits++;
    int end = len + digits;
    for (int p = end - 1; p >= len; p--, v /= 10) buf[p] = (byte) ('0' + v % 10);
    len = end;
  }

  private void ascii(String s) {
    ensure(s.length());
    for (int i = 0; i < s.length(); i++) buf[len++] = (byte) s.charAt(i);
  }

  /**
   * The JDK's encoder copies an all-ASCII string in bulk; a loop over charAt is several times
   * slower.
   */
  private void utf8(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    ensure(b.length);
    System.arraycopy(b, 0, buf, len, b.length);
    len += b.length;
  }

  private void put(char c) {
    ensure(1);
    buf[len++] = (byte) c;
  }

  private void ensure(int more) {
    if (len + more > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
  }
}
