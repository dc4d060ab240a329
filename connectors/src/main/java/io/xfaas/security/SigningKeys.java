package io.xfaas.security;

import java.io.Serializable;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The scheduler's master secrets, one per key id; each tenant's key is derived from them ({@link
 * InvocationSignature#tenantKey}). A key with a {@code not-after} time is being retired: records
 * signed under it are accepted until then, the grace period of a rotation.
 *
 * <p>The file, a Java properties file that only the scheduler and operators can read:
 *
 * <pre>
 * # key.ID = the master secret, at least 32 random bytes in hex (openssl rand -hex 32)
 * key.k2=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
 * key.k1=60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752
 * # k1 is retired: valid until then (ISO-8601 instant or epoch milliseconds)
 * not-after.k1=2026-12-07T00:00:00Z
 * </pre>
 *
 * <p>{@link #toString} names key ids only: secrets never reach a log.
 */
public final class SigningKeys implements Serializable {
  /** Shortest master secret, in bytes. */
  public static final int MIN_SECRET_BYTES = 32;

  private final Map<String, Key> keys;

  private SigningKeys(Map<String, Key> keys) {
    this.keys = Collections.unmodifiableMap(new TreeMap<>(keys));
  }

  /** One master secret; {@code notAfter} is null for a key that is not being retired. */
  public record Key(String id, byte[] secret, Instant notAfter) implements Serializable {
    public Key {
      if (!isKeyId(id)) {
        throw new IllegalArgumentException(
            "a key id is 1-64 characters of [A-Za-z0-9._-], not " + id);
      }
      if (secret.length < MIN_SECRET_BYTES) {
        throw new IllegalArgumentException(
            "the secret of key " + id + " is shorter than " + MIN_SECRET_BYTES + " bytes");
      }
      secret = secret.clone();
    }

    /** Whether records signed under this key are accepted at {@code now}. */
    public boolean validAt(long now) {
      return notAfter == null || now < notAfter.toEpochMilli();
    }

    @Override
    public byte[] secret() {
      return secret.clone();
    }

    @Override
    public String toString() {
      return notAfter == null ? id : id + " (retired at " + notAfter + ")";
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k
          && id.equals(k.id)
          && java.util.Arrays.equals(secret, k.secret)
          && java.util.Objects.equals(notAfter, k.notAfter);
    }

    @Override
    public int hashCode() {
      return id.hashCode();
    }
  }

  public static SigningKeys of(Key... keys) {
    Map<String, Key> map = new TreeMap<>();
    for (Key k : keys) {
      if (map.put(k.id(), k) != null) throw new IllegalArgumentException("two keys " + k.id());
    }
    if (map.isEmpty()) throw new IllegalArgumentException("no signing keys");
    return new SigningKeys(map);
  }

  /** Reads a keys file; a malformed one is refused whole, naming the line's key, never a value. */
  public static SigningKeys load(Path file) {
    return parse(KeyFiles.read(file, "signing keys"), file.toString());
  }

  static SigningKeys parse(Properties p, String source) {
    Map<String, Key> keys = new TreeMap<>();
    for (String name : p.stringPropertyNames()) {
      if (name.startsWith("key.")) {
        String id = name.substring(4);
        byte[] secret;
        try {
          secret = HexFormat.of().parseHex(p.getProperty(name).trim());
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(source + ": " + name + " is not hex");
        }
        keys.put(id, new Key(id, secret, notAfter(p, id, source)));
      } else if (!name.startsWith("not-after.")) {
        throw new IllegalArgumentException(source + ": unknown entry " + name);
      } else if (p.getProperty("key." + name.substring(10)) == null) {
        throw new IllegalArgumentException(source + ": " + name + " names no key");
      }
    }
    if (keys.isEmpty()) throw new IllegalArgumentException(source + ": no key.ID entries");
    return new SigningKeys(keys);
  }

  private static Instant notAfter(Properties p, String id, String source) {
    String text = p.getProperty("not-after." + id);
    if (text == null) return null;
    text = text.trim();
    try {
      return text.chars().allMatch(Character::isDigit)
          ? Instant.ofEpochMilli(Long.parseLong(text))
          : Instant.parse(text);
    } catch (DateTimeParseException | NumberFormatException e) {
      throw new IllegalArgumentException(
          source + ": not-after." + id + " is neither an ISO-8601 instant nor epoch ms");
    }
  }

  /** The key with this id, or null. */
  public Key get(String id) {
    return keys.get(id);
  }

  /** The key tenant keys are handed out under: the only one not being retired. */
  public Key current() {
    var current = keys.values().stream().filter(k -> k.notAfter() == null).toList();
    if (current.size() != 1) {
      throw new IllegalStateException(
          "expected exactly one key without not-after, found " + current + "; name the key id");
    }
    return current.get(0);
  }

  static boolean isKeyId(String s) {
    if (s == null || s.isEmpty() || s.length() > 64) return false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == '-';
      if (!ok) return false;
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SigningKeys k && keys.equals(k.keys);
  }

  @Override
  public int hashCode() {
    return keys.hashCode();
  }

  @Override
  public String toString() {
    return keys.values().stream().map(Key::toString).collect(Collectors.joining(", ", "[", "]"));
  }
}
