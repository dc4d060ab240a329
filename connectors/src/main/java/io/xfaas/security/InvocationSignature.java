package io.xfaas.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What a signature covers and how keys are made: the one definition the signer and the verifier
 * share, and that docs/security.md spells out for signing without Java.
 *
 * <p>The signed text is seven lines joined by {@code \n}: {@code xfaas-sig-v1}, the kind ({@code
 * invoke} or {@code cancel}), tenant, id, function, {@code submittedAt} in decimal, and the
 * lowercase hex SHA-256 of the payload's JSON text as sent (of nothing when there is no payload). A
 * cancel signs an empty function, {@code submittedAt} 0 and no payload. The signature is the
 * lowercase hex HMAC-SHA256 of that text under the tenant's key.
 *
 * <p>A tenant's key is HKDF-Expand (RFC 5869) of the scheduler's master secret for a key id, with
 * info {@code xfaas-tenant-key-v1:<tenant>}, 32 bytes: one HMAC-SHA256 block.
 */
public final class InvocationSignature {
  /** The record header naming the key id the record was signed under. */
  public static final String KEY_ID_HEADER = "xfaas-key-id";

  /** The record header carrying the hex HMAC-SHA256. */
  public static final String SIGNATURE_HEADER = "xfaas-signature";

  static final String ALGORITHM = "HmacSHA256";
  private static final byte[] NO_PAYLOAD_DIGEST = sha256(new byte[0]);

  private InvocationSignature() {}

  /** The text an invocation's signature covers. */
  public static byte[] invocationText(
      String tenant, String id, String function, long submittedAt, String payload) {
    return text("invoke", tenant, id, function, submittedAt, payloadDigest(payload));
  }

  /** The text a cancel request's signature covers. */
  public static byte[] cancelText(String tenant, String id) {
    return text("cancel", tenant, id, "", 0, NO_PAYLOAD_DIGEST);
  }

  static byte[] text(
      String kind, String tenant, String id, String function, long submittedAt, byte[] digest) {
    return new StringBuilder(128 + id.length())
        .append("xfaas-sig-v1\n")
        .append(kind)
        .append('\n')
        .append(tenant)
        .append('\n')
        .append(id)
        .append('\n')
        .append(function)
        .append('\n')
        .append(submittedAt)
        .append('\n')
        .append(HexFormat.of().formatHex(digest))
        .toString()
        .getBytes(StandardCharsets.UTF_8);
  }

  /** SHA-256 of the payload's JSON text as UTF-8: the bytes it arrived as. */
  static byte[] payloadDigest(String payload) {
    return payload == null ? NO_PAYLOAD_DIGEST : sha256(payload.getBytes(StandardCharsets.UTF_8));
  }

  /** Tenant {@code tenant}'s key under {@code masterSecret}. */
  public static byte[] tenantKey(byte[] masterSecret, String tenant) {
    return expand(masterSecret, ("xfaas-tenant-key-v1:" + tenant).getBytes(StandardCharsets.UTF_8));
  }

  /** HKDF-Expand (RFC 5869) of {@code prk} with {@code info}, 32 bytes: T(1). */
  static byte[] expand(byte[] prk, byte[] info) {
    Mac mac = mac(prk);
    mac.update(info);
    mac.update((byte) 1);
    return mac.doFinal();
  }

  /** An HMAC-SHA256 under {@code key}, ready for data. */
  static Mac mac(byte[] key) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(key, ALGORITHM));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  static byte[] sha256(byte[] bytes) {
    return sha256().digest(bytes);
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
