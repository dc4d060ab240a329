package io.xfaas.scheduler.operators;

import io.xfaas.records.Invocation;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Makes DurableQ record values for the parser fuzz: valid invocations and cancels, the same with
 * one to three mutations (truncation, flipped and inserted bytes, invalid UTF-8, duplicated keys,
 * huge numbers), hostile values in known fields, deep nesting and oversized parts, and random
 * bytes. The same seed always gives the same records, so a failure is reproduced by its seed and
 * index.
 */
final class DurableQFuzzer {
  /**
   * The fields the parser knows: the invocation's own (its record's components, but for {@code
   * extra}, where the parser keeps the fields it does not know) and a cancel's {@code kind}.
   */
  static final List<String> KNOWN_FIELDS =
      Stream.concat(
              Arrays.stream(Invocation.class.getRecordComponents())
                  .map(RecordComponent::getName)
                  .filter(name -> !name.equals("extra")),
              Stream.of("kind"))
          .toList();

  /** Byte sequences that are not UTF-8: stray continuation, overlong, surrogate, 5-byte, cut. */
  private static final byte[][] INVALID_UTF8 = {
    {(byte) 0x80},
    {(byte) 0xC0, (byte) 0x80},
    {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
    {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
    {(byte) 0xE2, (byte) 0x82},
    {(byte) 0xFF},
    {(byte) 0xFE, (byte) 0xFF},
    {0x00}
  };

  private static final String[] SNIPPETS = {
    "\"",
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "null",
    "1e999",
    "-",
    "\\",
    "\\u",
    "\\ud800",
    "\"id\":\"x\"",
    "\"tenant\":\"other\"",
    "\"kind\":\"cancel\"",
    "/*",
    "NaN",
    "\t",
    "\n"
  };

  private static final String[] HOSTILE_VALUES = {
    "1" + "0".repeat(30),
    "-" + "9".repeat(25),
    "1e400",
    "-1e400",
    "-0",
    "0.5",
    "1.0",
    "9223372036854775807",
    "-9223372036854775808",
    "9223372036854775808",
    "2147483648",
    "-2147483649",
    "0",
    "-1",
    "true",
    "null",
    "{}",
    "[]",
    "[1,2]",
    "{\"a\":{}}",
    "\"\"",
    "\" \"",
    "\"\\u0000\"",
    "\"\\ud800\"",
    "\"CRITICAL\\u0000\"",
    "\"critical\"",
    "\"URGENT\"",
    "\"" + "x".repeat(300) + "\"",
    "\"bad name!\"",
    "\"\\u00e9t\u00e9\"",
    "\"invoke\"",
    "\"cancel\"",
    "\"\\\"\""
  };

  static final long NOW = 1_700_000_000_000L;

  private final SplittableRandom random;

  DurableQFuzzer(long seed) {
    this.random = new SplittableRandom(seed);
  }

  /** The next record value (never null, possibly empty). */
  byte[] next() {
    int kind = random.nextInt(100);
    if (kind < 25) return utf8(invocation());
    if (kind < 30) return utf8(cancel());
    if (kind < 65) return mutate(utf8(random.nextInt(10) == 0 ? cancel() : invocation()));
    if (kind < 80) return utf8(withHostileValue());
    if (kind < 90) return structural();
    return randomBytes(random.nextInt(200));
  }

  /** A valid invocation, fields in any order, optional ones sometimes left out. */
  String invocation() {
    Json j = new Json();
    long submittedAt = NOW - random.nextLong(1_000_000);
    j.string("id", random.nextInt(20) == 0 ? "id-\u00e9\uD83D\uDE00-" + token() : "id-" + token());
    j.string("tenant", name());
    j.string("function", name());
    if (random.nextBoolean()) j.string("criticality", criticality());
    if (random.nextBoolean()) j.raw("priority", Integer.toString(random.nextInt(-5, 10)));
    boolean stamped = random.nextInt(4) != 0;
    if (stamped) j.raw("submittedAt", Long.toString(submittedAt));
    if (random.nextInt(3) == 0) {
      // Sometimes already past: the call expires on arrival (or, stamped before, is bad input).
      long base = stamped ? submittedAt : NOW;
      j.raw("deadline", Long.toString(base + random.nextLong(-2_000, 2_000_000)));
    }
    if (random.nextInt(5) == 0) j.raw("notBefore", Long.toString(NOW + random.nextLong(60_000)));
    if (random.nextInt(4) == 0) {
      int max = random.nextInt(1, 5);
      j.raw("maxAttempts", Integer.toString(max));
      j.raw("attempt", Integer.toString(random.nextInt(1, max + 1)));
    }
    if (random.nextInt(4) != 0) j.raw("payload", value(3));
    if (random.nextInt(4) == 0) {
      Json attrs = new Json();
      for (int i = random.nextInt(4); i > 0; i--) attrs.string("k" + token(), token());
      j.raw("attributes", attrs.close());
    }
    if (random.nextInt(5) == 0) j.raw("x-" + token(), value(2));
    if (random.nextInt(10) == 0) j.string("kind", "invoke");
    return j.close();
  }

  String cancel() {
    Json j = new Json();
    j.string("kind", "cancel");
    j.string("id", "id-" + token());
    j.string("tenant", name());
    return j.close();
  }

  /** A valid record with one known field set to a value of the wrong type, size or range. */
  private String withHostileValue() {
    String field = pick(KNOWN_FIELDS);
    String value =
        random.nextInt(10) == 0
            ? "1" + "7".repeat(random.nextInt(900, 5_000))
            : HOSTILE_VALUES[random.nextInt(HOSTILE_VALUES.length)];
    String base = random.nextInt(8) == 0 ? cancel() : invocation();
    // Appended last: a repeated key keeps its last value, so the hostile one is what is read.
    return base.substring(0, base.length() - 1) + ",\"" + field + "\":" + value + "}";
  }

  /** Deep nesting, oversized payloads, many or repeated fields. */
  private byte[] structural() {
    String base = invocation();
    String head = base.substring(0, base.length() - 1);
    return switch (random.nextInt(8)) {
      case 0 -> {
        int depth = pickDepth();
        yield utf8(head + ",\"payload\":" + "[".repeat(depth) + "]".repeat(depth) + "}");
      }
      case 1 -> {
        int depth = pickDepth();
        yield utf8(head + ",\"attributes\":" + "{\"a\":".repeat(depth) + "1" + "}".repeat(depth));
      }
      case 2 -> utf8(head + ",\"payload\":" + "[{\"a\":".repeat(pickDepth())); // never closed
      case 3 -> {
        int size = random.nextInt(10) == 0 ? 300 * 1024 : random.nextInt(1_000, 20_000);
        yield utf8(head + ",\"payload\":\"" + "p".repeat(size) + "\"}");
      }
      case 4 -> {
        StringBuilder sb = new StringBuilder(head);
        for (int i = random.nextInt(100, 3_000); i > 0; i--) {
          sb.append(",\"f").append(i).append("\":").append(i);
        }
        yield utf8(sb.append('}').toString());
      }
      case 5 -> {
        StringBuilder sb = new StringBuilder(head);
        String field = pick(KNOWN_FIELDS);
        for (int i = random.nextInt(2, 500); i > 0; i--) {
          sb.append(",\"").append(field).append("\":").append(value(1));
        }
        yield utf8(sb.append('}').toString());
      }
      case 6 -> utf8("[".repeat(pickDepth()) + base);
      default -> {
        // Not UTF-8: a parser that guesses the encoding would read these as JSON.
        String[] charsets = {"UTF-16LE", "UTF-16BE", "UTF-16", "UTF-32LE", "UTF-32BE"};
        yield base.getBytes(java.nio.charset.Charset.forName(charsets[random.nextInt(5)]));
      }
    };
  }

  private int pickDepth() {
    return switch (random.nextInt(4)) {
      case 0 -> random.nextInt(2, 999);
      case 1 -> 1_000 + random.nextInt(-2, 3);
      case 2 -> random.nextInt(1_001, 10_000);
      default -> random.nextInt(10) == 0 ? 200_000 : 20_000;
    };
  }

  /** One to three mutations of {@code bytes}. */
  byte[] mutate(byte[] bytes) {
    for (int n = random.nextInt(1, 4); n > 0; n--) bytes = mutateOnce(bytes);
    return bytes;
  }

  private byte[] mutateOnce(byte[] b) {
    int at = b.length == 0 ? 0 : random.nextInt(b.length + 1);
    switch (random.nextInt(9)) {
      case 0:
        return Arrays.copyOf(b, at);
      case 1:
        {
          int end = Math.min(b.length, at + random.nextInt(1, 20));
          return concat(Arrays.copyOf(b, at), Arrays.copyOfRange(b, end, b.length));
        }
      case 2:
        {
          if (b.length == 0) return b;
          byte[] c = b.clone();
          c[random.nextInt(c.length)] = (byte) random.nextInt(256);
          return c;
        }
      case 3:
        return insert(b, at, INVALID_UTF8[random.nextInt(INVALID_UTF8.length)]);
      case 4:
        return insert(b, at, utf8(SNIPPETS[random.nextInt(SNIPPETS.length)]));
      case 5:
        {
          // A duplicate of a known key, first in the object: the later original wins.
          int brace = indexOf(b, (byte) '{');
          if (brace < 0) return b;
          return insert(b, brace + 1, utf8("\"" + pick(KNOWN_FIELDS) + "\":" + value(1) + ","));
        }
      case 6:
        {
          int digit = indexOfDigit(b, at);
          if (digit < 0) return b;
          return insert(b, digit, utf8("9".repeat(random.nextInt(10, 2_000))));
        }
      case 7:
        return concat(concat(utf8("["), b), utf8("]"));
      default:
        return concat(b, b);
    }
  }

  /** A random JSON value at most {@code depth} deep. */
  String value(int depth) {
    int kind = random.nextInt(depth > 0 ? 9 : 7);
    return switch (kind) {
      case 0 -> "null";
      case 1 -> random.nextBoolean() ? "true" : "false";
      case 2 -> Long.toString(random.nextLong());
      case 3 -> Double.toString(random.nextDouble(-1e6, 1e6));
      case 4, 5 -> quote(text());
      case 6 -> Integer.toString(random.nextInt(100));
      case 7 -> {
        StringBuilder sb = new StringBuilder("[");
        for (int i = random.nextInt(4); i > 0; i--) {
          if (sb.length() > 1) sb.append(',');
          sb.append(value(depth - 1));
        }
        yield sb.append(']').toString();
      }
      default -> {
        Json j = new Json();
        for (int i = random.nextInt(4); i > 0; i--) j.raw(text(), value(depth - 1));
        yield j.close();
      }
    };
  }

  private String text() {
    return switch (random.nextInt(6)) {
      case 0 -> "";
      case 1 -> "line\nbreak\ttab \"quoted\" back\\slash";
      case 2 -> "\u00e9t\u00e9 \u4e2d\u6587 \uD83D\uDE00";
      case 3 -> "\u0000\u001f";
      default -> token();
    };
  }

  private String name() {
    String first = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    String rest = first + "._:-";
    StringBuilder sb = new StringBuilder().append(first.charAt(random.nextInt(first.length())));
    for (int i = random.nextInt(12); i > 0; i--)
      sb.append(rest.charAt(random.nextInt(rest.length())));
    return sb.toString();
  }

  private String token() {
    return Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
  }

  private String criticality() {
    String c = pick(List.of("CRITICAL", "NORMAL", "DEFERRABLE"));
    return random.nextBoolean() ? c : c.toLowerCase();
  }

  private byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) b[i] = (byte) random.nextInt(256);
    if (n > 0 && random.nextBoolean()) b[0] = '{';
    return b;
  }

  private <T> T pick(List<T> list) {
    return list.get(random.nextInt(list.size()));
  }

  private static int indexOf(byte[] b, byte c) {
    for (int i = 0; i < b.length; i++) if (b[i] == c) return i;
    return -1;
  }

  private static int indexOfDigit(byte[] b, int from) {
    for (int i = 0; i < b.length; i++) {
      int j = (from + i) % b.length;
      if (b[j] >= '0' && b[j] <= '9') return j;
    }
    return -1;
  }

  private static byte[] insert(byte[] b, int at, byte[] piece) {
    byte[] c = new byte[b.length + piece.length];
    System.arraycopy(b, 0, c, 0, at);
    System.arraycopy(piece, 0, c, at, piece.length);
    System.arraycopy(b, at, c, at + piece.length, b.length - at);
    return c;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    return insert(a, a.length, b);
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') sb.append('\\').append(c);
      else if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
      else sb.append(c);
    }
    return sb.append('"').toString();
  }

  /** A JSON object written field by field; its fields come out in a random order. */
  private final class Json {
    private final List<String> fields = new java.util.ArrayList<>();

    void string(String name, String value) {
      raw(name, quote(value));
    }

    void raw(String name, String json) {
      fields.add(quote(name) + ":" + json);
    }

    String close() {
      for (int i = fields.size() - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        fields.set(i, fields.set(j, fields.get(i)));
      }
      return "{" + String.join(",", fields) + "}";
    }
  }
}
