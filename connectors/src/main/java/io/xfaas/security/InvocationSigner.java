package io.xfaas.security;

import io.xfaas.records.Invocation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import javax.crypto.Mac;

/**
 * Signs invocations for the tenants whose keys it holds, as the submitter sends them. Thread-safe.
 *
 * <p>A tenant keys file (what {@code xfaas keys tenant} writes; a Java properties file) holds one
 * line per tenant, {@code TENANT=KEY_ID:HEX_KEY}:
 *
 * <pre>
 * acme=k2:3c0f2f0e0a5d...
 * </pre>
 */
public final class InvocationSigner {
  private final Map<String, TenantKey> keys;
  private final SigningKeySource source; // null: only the fixed keys above
  private final Map<String, TenantKey> derived = new HashMap<>(); // guarded by itself
  private SigningKeys derivedFor; // guarded by derived

  /** The key a tenant signs with, and its id. */
  private record TenantKey(String keyId, Mac mac) {}

  /** What goes in the record headers. */
  public record Signature(String keyId, String hex) {}

  private InvocationSigner(Map<String, TenantKey> keys) {
    this(keys, null);
  }

  private InvocationSigner(Map<String, TenantKey> keys, SigningKeySource source) {
    this.keys = keys;
    this.source = source;
  }

  /**
   * Signs for every tenant, deriving each one's key from the current master secret of {@code
   * source}: for the platform's own writers of DurableQ (the sidecars re-enqueue retries there),
   * which hold the scheduler's keys file.
   */
  public static InvocationSigner deriving(SigningKeySource source) {
    return new InvocationSigner(Map.of(), source);
  }

  private TenantKey key(String tenant) {
    TenantKey k = keys.get(tenant);
    if (k != null || source == null) return k;
    synchronized (derived) {
      SigningKeys current = source.keys(System.currentTimeMillis());
      if (current != derivedFor || derived.size() >= SignatureVerifier.CACHED_TENANTS) {
        derived.clear();
        derivedFor = current;
      }
      return derived.computeIfAbsent(
          tenant,
          t -> {
            SigningKeys.Key master = current.current();
            return tenantKey(master.id(), InvocationSignature.tenantKey(master.secret(), t));
          });
    }
  }

  /** Signs for one tenant with its key {@code key} under key id {@code keyId}. */
  public static InvocationSigner of(String tenant, String keyId, byte[] key) {
    Map<String, TenantKey> keys = new HashMap<>();
    keys.put(tenant, tenantKey(keyId, key));
    return new InvocationSigner(keys);
  }

  /** Signs for the tenants in a tenant keys file. */
  public static InvocationSigner load(Path file) {
    Properties p = KeyFiles.read(file, "tenant keys");
    Map<String, TenantKey> keys = new HashMap<>();
    for (String tenant : p.stringPropertyNames()) {
      String value = p.getProperty(tenant).trim();
      int colon = value.indexOf(':');
      try {
        if (colon < 0) throw new IllegalArgumentException();
        keys.put(
            tenant,
            tenantKey(
                value.substring(0, colon), HexFormat.of().parseHex(value.substring(colon + 1))));
      } catch (IllegalArgumentException e) {
        // Never quote the value: it is a key.
        throw new IllegalArgumentException(
            file + ": the entry of tenant " + tenant + " is not KEY_ID:HEX_KEY of 32 bytes");
      }
    }
    if (keys.isEmpty()) throw new IllegalArgumentException(file + ": no tenant keys");
    return new InvocationSigner(keys);
  }

  /** A tenant keys file's line for {@code tenant}. */
  public static String keyLine(String tenant, String keyId, byte[] key) {
    Properties p = new Properties();
    p.setProperty(tenant, keyId + ":" + HexFormat.of().formatHex(key));
    var out = new java.io.StringWriter();
    try {
      p.store(out, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // store() writes a date comment first; the entry, with its key escaped, is the last line.
    String[] lines = out.toString().split("\\R");
    return lines[lines.length - 1];
  }

  private static TenantKey tenantKey(String keyId, byte[] key) {
    if (!SigningKeys.isKeyId(keyId) || key.length != 32) throw new IllegalArgumentException();
    return new TenantKey(keyId, InvocationSignature.mac(key));
  }

  public Set<String> tenants() {
    return keys.keySet();
  }

  /** The signature of {@code inv}, or null when this signer holds no key for its tenant. */
  public Signature sign(Invocation inv) {
    TenantKey k = key(inv.tenant());
    if (k == null) return null;
    return sign(
        k,
        InvocationSignature.invocationText(
            inv.tenant(), inv.id(), inv.function(), inv.submittedAt(), inv.payload()));
  }

  /** The signature of a cancel request, or null when this signer holds no key for the tenant. */
  public Signature signCancel(String tenant, String id) {
    TenantKey k = key(tenant);
    return k == null ? null : sign(k, InvocationSignature.cancelText(tenant, id));
  }

  private static Signature sign(TenantKey k, byte[] text) {
    byte[] mac;
    synchronized (k) {
      mac = k.mac().doFinal(text);
    }
    return new Signature(k.keyId(), HexFormat.of().formatHex(mac));
  }

  @Override
  public String toString() {
    return source == null ? "InvocationSigner" + keys.keySet() : "InvocationSigner[every tenant]";
  }
}
