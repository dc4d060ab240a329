package io.xfaas.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xfaas.records.Criticality;
import io.xfaas.records.Invocation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The signer and the verifier: what is covered, whose key verifies, and key rotation. */
class InvocationSignatureTest {
  private static final long T0 = 1_700_000_000_000L;
  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] SECRET_1 = bytes(1);
  private static final byte[] SECRET_2 = bytes(2);
  private static final SigningKeys ONE_KEY =
      SigningKeys.of(new SigningKeys.Key("k1", SECRET_1, null));

  private static byte[] bytes(int seed) {
    byte[] b = new byte[32];
    for (int i = 0; i < b.length; i++) b[i] = (byte) (seed * 31 + i);
    return b;
  }

  private static Invocation call(String tenant, String id, String payload) {
    return new Invocation(
        id,
        tenant,
        "resize",
        Criticality.NORMAL,
        0,
        T0,
        null,
        null,
        1,
        3,
        payload,
        Map.of(),
        null,
        Map.of());
  }

  private static InvocationSigner signerOf(String tenant, String keyId, byte[] secret) {
    return InvocationSigner.of(tenant, keyId, InvocationSignature.tenantKey(secret, tenant));
  }

  private static String verify(SignatureVerifier v, InvocationSigner.Signature s, Invocation inv) {
    return v.verifyInvocation(s.keyId(), s.hex(), inv, T0);
  }

  @Test
  void aCallSignedWithItsTenantsKeyVerifies() {
    Invocation inv = call("acme", "id-1", "{\"w\":640}");
    var signature = signerOf("acme", "k1", SECRET_1).sign(inv);
    assertThat(signature.keyId()).isEqualTo("k1");
    assertThat(signature.hex()).hasSize(64);
    assertThat(verify(new SignatureVerifier(SigningKeySource.of(ONE_KEY)), signature, inv))
        .isNull();
  }

  @Test
  void everySignedFieldIsCovered() {
    Invocation inv = call("acme", "id-1", "{\"w\":640}");
    var signature = signerOf("acme", "k1", SECRET_1).sign(inv);
    var verifier = new SignatureVerifier(SigningKeySource.of(ONE_KEY));
    for (Invocation changed :
        new Invocation[] {
          call("acme", "id-2", "{\"w\":640}"),
          call("acme", "id-1", "{\"w\":641}"),
          call("acme", "id-1", "{\"w\": 640}"),
          call("acme", "id-1", null),
          new Invocation(
              "id-1",
              "acme",
              "delete",
              Criticality.NORMAL,
              0,
              T0,
              null,
              null,
              1,
              3,
              "{\"w\":640}",
              Map.of(),
              null,
              Map.of()),
          new Invocation(
              "id-1",
              "acme",
              "resize",
              Criticality.NORMAL,
              0,
              T0 + 1,
              null,
              null,
              1,
              3,
              "{\"w\":640}",
              Map.of(),
              null,
              Map.of())
        }) {
      assertThat(verify(verifier, signature, changed))
          .as("%s", changed)
          .isEqualTo("signature does not match");
    }
  }

  @Test
  void anotherTenantsKeyOrAForgedSignatureDoesNotVerify() {
    Invocation forB = call("tenant-b", "id-1", null);
    var verifier = new SignatureVerifier(SigningKeySource.of(ONE_KEY));
    // Tenant A holds only its own key: signing B's call with it proves nothing about B.
    var withAsKey =
        InvocationSigner.of("tenant-b", "k1", InvocationSignature.tenantKey(SECRET_1, "tenant-a"))
            .sign(forB);
    assertThat(verify(verifier, withAsKey, forB)).isEqualTo("signature does not match");
    assertThat(verifier.verifyInvocation("k1", "ab".repeat(32), forB, T0))
        .isEqualTo("signature does not match");
    assertThat(verifier.verifyInvocation("k1", "not hex", forB, T0))
        .isEqualTo("the signature is not 64 hex digits");
    assertThat(verifier.verifyInvocation("k9", "ab".repeat(32), forB, T0))
        .isEqualTo("unknown signing key id k9");
    assertThat(verifier.verifyInvocation("k1\n{}", "ab".repeat(32), forB, T0))
        .isEqualTo("unknown signing key id (not a key id)");
    assertThat(verifier.verifyInvocation(null, null, forB, T0)).startsWith("unsigned");
    assertThat(signerOf("tenant-a", "k1", SECRET_1).sign(forB)).isNull();
  }

  @Test
  void aCancelsSignatureIsNotAnInvocationsAndBack() {
    var signer = signerOf("acme", "k1", SECRET_1);
    var verifier = new SignatureVerifier(SigningKeySource.of(ONE_KEY));
    var cancel = signer.signCancel("acme", "id-1");
    assertThat(verifier.verifyCancel(cancel.keyId(), cancel.hex(), "acme", "id-1", T0)).isNull();
    assertThat(verifier.verifyCancel(cancel.keyId(), cancel.hex(), "acme", "id-2", T0))
        .isEqualTo("signature does not match");
    var invoke = signer.sign(call("acme", "id-1", null));
    assertThat(verifier.verifyCancel(invoke.keyId(), invoke.hex(), "acme", "id-1", T0))
        .isEqualTo("signature does not match");
  }

  @Test
  void theSignedTextIsTheDocumentedOne() throws Exception {
    // docs/security.md signs with openssl over exactly these lines.
    byte[] tenantKey = InvocationSignature.tenantKey(SECRET_1, "acme");
    String payloadDigest =
        HEX.formatHex(
            java.security.MessageDigest.getInstance("SHA-256")
                .digest("{\"w\":640}".getBytes(StandardCharsets.UTF_8)));
    String text = "xfaas-sig-v1\ninvoke\nacme\nid-1\nresize\n" + T0 + "\n" + payloadDigest;
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(tenantKey, "HmacSHA256"));
    String expected = HEX.formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));

    var signature =
        InvocationSigner.of("acme", "k1", tenantKey).sign(call("acme", "id-1", "{\"w\":640}"));
    assertThat(signature.hex()).isEqualTo(expected);
  }

  @Test
  void tenantKeysAreHkdfExpandOfTheMasterSecret() {
    // RFC 5869, test case 1: the first 32 bytes of OKM are T(1).
    byte[] prk = HEX.parseHex("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5");
    byte[] info = HEX.parseHex("f0f1f2f3f4f5f6f7f8f9");
    assertThat(HEX.formatHex(InvocationSignature.expand(prk, info)))
        .isEqualTo("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf");
    assertThat(InvocationSignature.tenantKey(SECRET_1, "a"))
        .isNotEqualTo(InvocationSignature.tenantKey(SECRET_1, "b"))
        .isNotEqualTo(InvocationSignature.tenantKey(SECRET_2, "a"));
  }

  @Test
  void aRetiredKeyIsAcceptedUntilItsGracePeriodEnds() {
    Instant graceEnds = Instant.ofEpochMilli(T0 + 60_000);
    SigningKeys rotated =
        SigningKeys.of(
            new SigningKeys.Key("k1", SECRET_1, graceEnds),
            new SigningKeys.Key("k2", SECRET_2, null));
    var verifier = new SignatureVerifier(SigningKeySource.of(rotated));
    Invocation inv = call("acme", "id-1", null);
    var old = signerOf("acme", "k1", SECRET_1).sign(inv);
    var fresh = signerOf("acme", "k2", SECRET_2).sign(inv);

    assertThat(verifier.verifyInvocation("k1", old.hex(), inv, T0)).isNull();
    assertThat(verifier.verifyInvocation("k2", fresh.hex(), inv, T0)).isNull();
    assertThat(verifier.verifyInvocation("k1", old.hex(), inv, graceEnds.toEpochMilli() - 1))
        .isNull();
    assertThat(verifier.verifyInvocation("k1", old.hex(), inv, graceEnds.toEpochMilli()))
        .isEqualTo("signing key k1 was retired at " + graceEnds);
    assertThat(verifier.verifyInvocation("k2", fresh.hex(), inv, graceEnds.toEpochMilli()))
        .isNull();
    assertThat(rotated.current().id()).isEqualTo("k2");
  }

  @Test
  void aKeysFileIsReadAgainSoARotationNeedsNoRestart(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("signing.keys");
    Files.writeString(file, "key.k1=" + HEX.formatHex(SECRET_1) + "\n");
    AtomicLong clock = new AtomicLong(T0);
    var verifier = new SignatureVerifier(SigningKeySource.file(file.toString(), 30_000));
    Invocation inv = call("acme", "id-1", null);
    var old = signerOf("acme", "k1", SECRET_1).sign(inv);
    var fresh = signerOf("acme", "k2", SECRET_2).sign(inv);
    assertThat(verifier.verifyInvocation("k1", old.hex(), inv, clock.get())).isNull();
    assertThat(verifier.verifyInvocation("k2", fresh.hex(), inv, clock.get()))
        .isEqualTo("unknown signing key id k2");

    // The rotation: k2 added, k1 valid for one more minute.
    Files.writeString(
        file,
        "key.k2="
            + HEX.formatHex(SECRET_2)
            + "\nkey.k1="
            + HEX.formatHex(SECRET_1)
            + "\nnot-after.k1="
            + (T0 + 90_000)
            + "\n");
    clock.addAndGet(29_999);
    assertThat(verifier.verifyInvocation("k2", fresh.hex(), inv, clock.get()))
        .as("not read again before the reload interval")
        .isEqualTo("unknown signing key id k2");
    clock.addAndGet(1);
    assertThat(verifier.verifyInvocation("k2", fresh.hex(), inv, clock.get())).isNull();
    assertThat(verifier.verifyInvocation("k1", old.hex(), inv, clock.get())).isNull();
    clock.set(T0 + 90_000);
    assertThat(verifier.verifyInvocation("k1", old.hex(), inv, clock.get()))
        .startsWith("signing key k1 was retired");

    // A broken file later keeps the last good keys.
    Files.writeString(file, "key.k3=zz\n");
    clock.addAndGet(30_000);
    assertThat(verifier.verifyInvocation("k2", fresh.hex(), inv, clock.get())).isNull();
  }

  @Test
  void secretsAppearInNoTextAndShortOrMalformedOnesAreRefused(@TempDir Path dir) throws Exception {
    String secret = HEX.formatHex(SECRET_1);
    SigningKeys keys =
        SigningKeys.of(
            new SigningKeys.Key("k1", SECRET_1, Instant.ofEpochMilli(T0)),
            new SigningKeys.Key("k2", SECRET_2, null));
    assertThat(keys.toString())
        .isEqualTo("[k1 (retired at " + Instant.ofEpochMilli(T0) + "), k2]")
        .doesNotContain(secret);
    byte[] tenantKey = InvocationSignature.tenantKey(SECRET_1, "acme");
    assertThat(InvocationSigner.of("acme", "k1", tenantKey).toString())
        .doesNotContain(HEX.formatHex(tenantKey));

    Path file = dir.resolve("bad.keys");
    Files.writeString(file, "key.k1=" + secret.substring(0, 62) + "\n");
    assertThatThrownBy(() -> SigningKeys.load(file))
        .hasMessageContaining("shorter than 32 bytes")
        .hasMessageNotContaining(secret.substring(0, 62));
    Files.writeString(file, "key.k1=" + secret + "\nnot-after.k2=1\n");
    assertThatThrownBy(() -> SigningKeys.load(file))
        .hasMessageContaining("not-after.k2 names no key");
    Files.writeString(file, "acme=k1:" + secret.substring(0, 60) + "\n");
    assertThatThrownBy(() -> InvocationSigner.load(file))
        .hasMessageContaining("tenant acme")
        .hasMessageNotContaining(secret.substring(0, 60));
  }

  @Test
  void aTenantKeyLineReadsBackAsTheSameSigner(@TempDir Path dir) throws Exception {
    byte[] tenantKey = InvocationSignature.tenantKey(SECRET_1, "team:a.b");
    Path file = dir.resolve("tenant.keys");
    Files.writeString(file, InvocationSigner.keyLine("team:a.b", "k1", tenantKey) + "\n");
    Invocation inv = call("team:a.b", "id-1", "[1]");
    assertThat(InvocationSigner.load(file).sign(inv))
        .isEqualTo(InvocationSigner.of("team:a.b", "k1", tenantKey).sign(inv));
  }
}
