package io.xfaas.scheduler.operators;

import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.kafka.RawRecord;
import io.xfaas.records.Criticality;
import io.xfaas.records.Invocation;
import io.xfaas.records.OutcomeStatus;
import io.xfaas.records.ReasonCode;
import io.xfaas.security.InvocationSignature;
import io.xfaas.security.InvocationSigner;
import io.xfaas.security.SigningKeySource;
import io.xfaas.security.SigningKeys;
import io.xfaas.serde.InvocationLimits;
import io.xfaas.serde.InvocationSerde;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Admission under {@code xfaas.security.signing=required}, under a clock the test sets. */
class AdmissionSigningTest {
  private static final long NOW = 1_700_000_000_000L;
  private static final long WINDOW = Duration.ofDays(1).toMillis();
  private static final byte[] MASTER_1 = secret(1);
  private static final byte[] MASTER_2 = secret(2);
  private static final Instant GRACE_ENDS = Instant.ofEpochMilli(NOW + 60_000);
  private static final SigningKeys KEYS =
      SigningKeys.of(
          new SigningKeys.Key("k1", MASTER_1, GRACE_ENDS),
          new SigningKeys.Key("k2", MASTER_2, null));

  private final InvocationSerde serde = new InvocationSerde(InvocationLimits.DEFAULTS);
  private final Admission required =
      new Admission(serde, "local", SigningKeySource.of(KEYS), WINDOW);

  private static byte[] secret(int seed) {
    byte[] b = new byte[32];
    for (int i = 0; i < b.length; i++) b[i] = (byte) (seed + 7 * i);
    return b;
  }

  private static InvocationSigner signer(String tenant, String keyId, byte[] master) {
    return InvocationSigner.of(tenant, keyId, InvocationSignature.tenantKey(master, tenant));
  }

  private static Invocation call(String tenant, String id) {
    return new Invocation(
        id,
        tenant,
        "echo",
        Criticality.NORMAL,
        0,
        NOW - 10,
        null,
        null,
        1,
        3,
        "{\"n\":1}",
        Map.of(),
        null,
        Map.of());
  }

  private static RawRecord record(Invocation inv, InvocationSigner.Signature s, long writtenAt) {
    return new RawRecord(
        "xfaas.local.durableq",
        0,
        7,
        writtenAt,
        null,
        InvocationSerde.write(inv),
        s == null ? null : s.keyId(),
        s == null ? null : s.hex());
  }

  private static RawRecord signed(Invocation inv, InvocationSigner signer) {
    return record(inv, signer.sign(inv), NOW - 5);
  }

  private Admission.Decision.Rejected refused(RawRecord r, long now, String why) {
    var d = required.admit(r, now);
    assertThat(d).isInstanceOf(Admission.Decision.Rejected.class);
    var rejected = (Admission.Decision.Rejected) d;
    assertThat(rejected.deadLetter().reason()).isEqualTo(ReasonCode.UNAUTHENTICATED);
    assertThat(rejected.deadLetter().detail()).startsWith(why);
    assertThat(rejected.deadLetter().original()).isNotNull();
    return rejected;
  }

  private static void assertRejectedOutcome(Admission.Decision.Rejected r, String id) {
    assertThat(r.outcome().id()).isEqualTo(id);
    assertThat(r.outcome().status()).isEqualTo(OutcomeStatus.REJECTED);
    assertThat(r.outcome().reason()).isEqualTo(ReasonCode.UNAUTHENTICATED);
  }

  @Test
  void aCallSignedByItsTenantIsAdmitted() {
    Invocation inv = call("tenant-b", "b-1");
    var d = required.admit(signed(inv, signer("tenant-b", "k2", MASTER_2)), NOW);
    assertThat(d).isEqualTo(new Admission.Decision.Admitted(inv));
  }

  @Test
  void tenantACannotGetACallOfTenantBAdmitted() {
    Invocation forB = call("tenant-b", "b-1");
    InvocationSigner a = signer("tenant-a", "k2", MASTER_2);
    // Unsigned.
    assertRejectedOutcome(refused(record(forB, null, NOW - 5), NOW, "unsigned"), "b-1");
    // Signed with A's own key.
    var withAsKey =
        InvocationSigner.of("tenant-b", "k2", InvocationSignature.tenantKey(MASTER_2, "tenant-a"))
            .sign(forB);
    assertRejectedOutcome(
        refused(record(forB, withAsKey, NOW - 5), NOW, "signature does not match"), "b-1");
    // A forged signature, and one of A's own calls relabelled as B's.
    var forged = new InvocationSigner.Signature("k2", "0f".repeat(32));
    assertRejectedOutcome(
        refused(record(forB, forged, NOW - 5), NOW, "signature does not match"), "b-1");
    var asOwnCall = a.sign(call("tenant-a", "b-1"));
    var r = refused(record(forB, asOwnCall, NOW - 5), NOW, "signature does not match");
    assertRejectedOutcome(r, "b-1");
    // A's own call goes through.
    assertThat(required.admit(signed(call("tenant-a", "a-1"), a), NOW))
        .isInstanceOf(Admission.Decision.Admitted.class);
  }

  @Test
  void noKeyMaterialReachesTheDeadLetterOrTheOutcome() {
    Invocation forB = call("tenant-b", "b-1");
    var withAsKey =
        InvocationSigner.of("tenant-b", "k2", InvocationSignature.tenantKey(MASTER_2, "tenant-a"))
            .sign(forB);
    var r = refused(record(forB, withAsKey, NOW - 5), NOW, "signature does not match");
    HexFormat hex = HexFormat.of();
    var expected = signer("tenant-b", "k2", MASTER_2).sign(forB).hex();
    for (String secret :
        new String[] {
          hex.formatHex(MASTER_2),
          hex.formatHex(InvocationSignature.tenantKey(MASTER_2, "tenant-b")),
          expected
        }) {
      assertThat(r.deadLetter().toString()).doesNotContain(secret);
      assertThat(r.outcome().toString()).doesNotContain(secret);
    }
  }

  @Test
  void anOldKeyWorksDuringItsGracePeriodOnly() {
    Invocation inv = call("tenant-b", "b-1");
    var old = signer("tenant-b", "k1", MASTER_1);
    assertThat(required.admit(signed(inv, old), GRACE_ENDS.toEpochMilli() - 1))
        .isInstanceOf(Admission.Decision.Admitted.class);
    assertRejectedOutcome(
        refused(signed(inv, old), GRACE_ENDS.toEpochMilli(), "signing key k1 was retired"), "b-1");
    assertThat(required.admit(signed(inv, signer("tenant-b", "k2", MASTER_2)), NOW + WINDOW))
        .isInstanceOf(Admission.Decision.Admitted.class);
  }

  @Test
  void aSignedRecordReplayedAfterTheDedupWindowIsRefused() {
    Invocation inv = call("tenant-b", "b-1");
    var s = signer("tenant-b", "k2", MASTER_2).sign(inv);
    long later = inv.submittedAt() + WINDOW + 1;
    assertRejectedOutcome(refused(record(inv, s, later), later, "signed at "), "b-1");
    // Within the window the id dedup catches it downstream: admission lets it through.
    long within = inv.submittedAt() + WINDOW;
    assertThat(required.admit(record(inv, s, within), within))
        .isInstanceOf(Admission.Decision.Admitted.class);
  }

  @Test
  void anUnsignedCancelIsDeadLetteredWithoutAnsweringForTheCall() {
    byte[] cancel =
        "{\"kind\":\"cancel\",\"id\":\"b-1\",\"tenant\":\"tenant-b\"}"
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    var r =
        refused(new RawRecord("xfaas.local.durableq", 0, 8, NOW, null, cancel), NOW, "unsigned");
    assertThat(r.outcome()).isNull();
    assertThat(r.deadLetter().id()).isEqualTo("b-1");

    var s = signer("tenant-b", "k2", MASTER_2).signCancel("tenant-b", "b-1");
    var signedCancel =
        new RawRecord("xfaas.local.durableq", 0, 9, NOW, null, cancel, s.keyId(), s.hex());
    assertThat(required.admit(signedCancel, NOW))
        .isEqualTo(new Admission.Decision.Cancel("tenant-b", "b-1"));
  }

  @Test
  void badInputStaysBadInputAndSigningOffReadsNoHeaders() {
    var garbage = new RawRecord("xfaas.local.durableq", 0, 1, NOW, null, new byte[] {'{'});
    assertThat(((Admission.Decision.Rejected) required.admit(garbage, NOW)).deadLetter().reason())
        .isEqualTo(ReasonCode.MALFORMED_JSON);
    Invocation inv = call("tenant-b", "b-1");
    assertThat(new Admission(serde, "local").admit(record(inv, null, NOW - 5), NOW))
        .isEqualTo(new Admission.Decision.Admitted(inv));
  }
}
