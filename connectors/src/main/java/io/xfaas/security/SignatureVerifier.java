package io.xfaas.security;

import io.xfaas.records.Invocation;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;

/**
 * Checks that a DurableQ record was signed with its tenant's key ({@link InvocationSignature}). One
 * per operator instance: not thread-safe. It keeps an initialized HMAC per key id and tenant, so
 * that a check is one HMAC and one payload digest; the cache is bounded and emptied when the keys
 * change.
 */
public final class SignatureVerifier {
  /** Tenants whose derived key is kept, per key id. */
  static final int CACHED_TENANTS = 10_000;

  private final SigningKeySource source;
  private final MessageDigest sha256 = InvocationSignature.sha256();
  private final Map<String, Map<String, Mac>> macs = new HashMap<>();
  private SigningKeys cachedFor;

  public SignatureVerifier(SigningKeySource source) {
    this.source = source;
  }

  /**
   * Null when the invocation carries a valid signature of its tenant at {@code now}; otherwise why
   * not, for a dead letter (it names key ids, never key material).
   */
  public String verifyInvocation(String keyId, String signature, Invocation inv, long now) {
    if (keyId == null || signature == null) return unsigned();
    String payload = inv.payload();
    byte[] digest =
        payload == null
            ? InvocationSignature.payloadDigest(null)
            : sha256.digest(payload.getBytes(StandardCharsets.UTF_8));
    byte[] text =
        InvocationSignature.text(
            "invoke", inv.tenant(), inv.id(), inv.function(), inv.submittedAt(), digest);
    return verify(keyId, signature, inv.tenant(), text, now);
  }

  /** As {@link #verifyInvocation}, for a cancel request. */
  public String verifyCancel(String keyId, String signature, String tenant, String id, long now) {
    if (keyId == null || signature == null) return unsigned();
    return verify(keyId, signature, tenant, InvocationSignature.cancelText(tenant, id), now);
  }

  private static String unsigned() {
    return "unsigned: no "
        + InvocationSignature.KEY_ID_HEADER
        + " and "
        + InvocationSignature.SIGNATURE_HEADER
        + " headers";
  }

  private String verify(String keyId, String signature, String tenant, byte[] text, long now) {
    SigningKeys keys = source.keys(now);
    if (keys != cachedFor) {
      macs.clear();
      cachedFor = keys;
    }
    SigningKeys.Key key = keys.get(keyId);
    if (key == null) {
      return "unknown signing key id " + (SigningKeys.isKeyId(keyId) ? keyId : "(not a key id)");
    }
    if (!key.validAt(now)) return "signing key " + keyId + " was retired at " + key.notAfter();
    byte[] given = hex(signature);
    if (given == null) return "the signature is not 64 hex digits";
    Map<String, Mac> byTenant = macs.computeIfAbsent(keyId, k -> new HashMap<>());
    Mac mac = byTenant.get(tenant);
    if (mac == null) {
      if (byTenant.size() >= CACHED_TENANTS) byTenant.clear();
      mac = InvocationSignature.mac(InvocationSignature.tenantKey(key.secret(), tenant));
      byTenant.put(tenant, mac);
    }
    // doFinal leaves the HMAC ready for the next text under the same key.
    return MessageDigest.isEqual(mac.doFinal(text), given) ? null : "signature does not match";
  }

  private static byte[] hex(String s) {
    if (s.length() != 64) return null;
    try {
      return HexFormat.of().parseHex(s);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
