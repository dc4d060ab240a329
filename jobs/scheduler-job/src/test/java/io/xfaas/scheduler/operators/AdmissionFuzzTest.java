package io.xfaas.scheduler.operators;

import static io.xfaas.scheduler.operators.DurableQFuzzer.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.xfaas.kafka.RawRecord;
import io.xfaas.records.DeadLetter;
import io.xfaas.records.OutcomeStatus;
import io.xfaas.records.ReasonCode;
import io.xfaas.security.SigningKeySource;
import io.xfaas.security.SigningKeys;
import io.xfaas.serde.InvocationLimits;
import io.xfaas.serde.InvocationRules;
import io.xfaas.serde.InvocationSerde;
import io.xfaas.serde.Json;
import io.xfaas.serde.ParseResult;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The DurableQ parser fuzz: random and mutated records through {@link Admission} (the parser, the
 * rules and the dead-letter builder) and {@link ParseInvocations}. No exception escapes, and every
 * record is admitted, a cancel, expired on arrival, or a dead letter with a reason.
 *
 * <p>CI runs {@value #DEFAULT_RECORDS} records from a fixed seed in a few seconds. The long run:
 * {@code -Dxfaas.fuzz.records=1000000}, another stream of records: {@code -Dxfaas.fuzz.seed=N}
 * (docs/testing.md, "The parser fuzz").
 */
class AdmissionFuzzTest {
  private static final int DEFAULT_RECORDS = 5_000;
  private static final long SEED = Long.getLong("xfaas.fuzz.seed", 20261206L);
  private static final int RECORDS = Integer.getInteger("xfaas.fuzz.records", DEFAULT_RECORDS);
  private static final String TOPIC = "xfaas.local.durableq";

  /** Longest detail an outcome or dead letter may carry: the original is in the letter anyway. */
  static final int MAX_DETAIL = InvocationSerde.MAX_DETAIL;

  private final InvocationSerde serde = new InvocationSerde(InvocationLimits.DEFAULTS);
  private final Admission admission = new Admission(serde, "local");

  @Test
  void everyRecordIsAdmittedOrDeadLetteredWithAReason() {
    DurableQFuzzer fuzzer = new DurableQFuzzer(SEED);
    Map<String, Integer> fates = new TreeMap<>();
    Set<ReasonCode> reasons = EnumSet.noneOf(ReasonCode.class);
    long started = System.nanoTime();
    for (int i = 0; i < RECORDS; i++) {
      byte[] value = fuzzer.next();
      try {
        Admission.Decision d = admitAndCheck(value, i);
        fates.merge(d.getClass().getSimpleName(), 1, Integer::sum);
        if (d instanceof Admission.Decision.Rejected r) reasons.add(r.deadLetter().reason());
      } catch (Throwable t) {
        byte[] smallest = shrink(value, i);
        String cause = String.valueOf(t);
        throw new AssertionError(
            String.format(
                "record %d of seed %d, shrunk to (base64) %s%n  as text: %s%n  fails with: %s",
                i,
                SEED,
                Base64.getEncoder().encodeToString(smallest),
                new String(smallest, StandardCharsets.UTF_8),
                cause.length() > 2_000 ? cause.substring(0, 2_000) + "..." : cause),
            t);
      }
    }
    System.out.printf(
        "parser fuzz: %d records of seed %d in %d ms: %s, reasons %s%n",
        RECORDS, SEED, (System.nanoTime() - started) / 1_000_000, fates, reasons);
    if (RECORDS >= DEFAULT_RECORDS) {
      // The generator reaches every fate and the parser's reasons; else the fuzz tests little.
      assertThat(fates)
          .containsOnlyKeys("Admitted", "Cancel", "Expired", "Rejected")
          .allSatisfy((fate, n) -> assertThat(n).as(fate).isGreaterThan(RECORDS / 100));
      // Every parser reason: the bad-input block of ReasonCode, up to the tenant checks.
      assertThat(reasons)
          .containsAll(EnumSet.range(ReasonCode.MALFORMED_JSON, ReasonCode.PAYLOAD_TOO_LARGE));
    }
  }

  @Test
  void underRequiredSigningNoUnsignedOrForgedRecordGetsThrough() {
    byte[] master = new byte[32];
    Arrays.fill(master, (byte) 42);
    var keys = SigningKeys.of(new SigningKeys.Key("k1", master, null));
    var strict = new Admission(serde, "local", SigningKeySource.of(keys), 86_400_000L);
    DurableQFuzzer fuzzer = new DurableQFuzzer(SEED + 2);
    SplittableRandom random = new SplittableRandom(SEED);
    String[] keyIds = {null, "k1", "k2", "", "k1\u0000", "x".repeat(100)};
    for (int i = 0; i < RECORDS / 2; i++) {
      byte[] value = fuzzer.next();
      String keyId = keyIds[random.nextInt(keyIds.length)];
      String signature =
          switch (random.nextInt(4)) {
            case 0 -> null;
            case 1 -> "";
            case 2 -> Long.toHexString(random.nextLong()).repeat(4);
            default -> "zz" + Long.toHexString(random.nextLong());
          };
      var raw = new RawRecord(TOPIC, 3, i, NOW - 5, null, value, keyId, signature);
      var d = strict.admit(raw, NOW);
      assertThat(d).as("record %d", i).isInstanceOf(Admission.Decision.Rejected.class);
      var r = (Admission.Decision.Rejected) d;
      checkLetter(r.deadLetter());
      if (r.deadLetter().reason() == ReasonCode.UNAUTHENTICATED) {
        // Parsed, so it named its call: an invocation is owed an answer, a cancel is not.
        boolean cancel = admission.admit(raw, NOW) instanceof Admission.Decision.Cancel;
        assertThat(r.outcome() == null).as("record %d", i).isEqualTo(cancel);
      }
    }
  }

  @Test
  void everyCutOfAValidRecordIsMalformed() {
    DurableQFuzzer fuzzer = new DurableQFuzzer(SEED);
    for (int n = 0; n < 20; n++) {
      byte[] whole = DurableQFuzzer.utf8(n % 5 == 0 ? fuzzer.cancel() : fuzzer.invocation());
      for (int cut = 0; cut < whole.length; cut++) {
        var d = admitAndCheck(Arrays.copyOf(whole, cut), cut);
        assertThat(d)
            .as("%d bytes of %s", cut, new String(whole, StandardCharsets.UTF_8))
            .isInstanceOfSatisfying(
                Admission.Decision.Rejected.class,
                r -> assertThat(r.deadLetter().reason()).isEqualTo(ReasonCode.MALFORMED_JSON));
      }
    }
  }

  @Test
  void parseInvocationsSendsEachRecordOneWay() throws Exception {
    int records = 1_000;
    var fn = new ParseInvocations(admission, () -> NOW);
    try (var harness = new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(fn))) {
      harness.open();
      DurableQFuzzer fuzzer = new DurableQFuzzer(SEED + 1);
      for (int i = 0; i < records; i++) harness.processElement(raw(fuzzer.next(), i), NOW);

      var events = harness.extractOutputValues();
      var letters = harness.getSideOutput(ParseInvocations.DEAD_LETTERS);
      var outcomes = harness.getSideOutput(ParseInvocations.OUTCOMES);
      long expired =
          outcomes.stream()
              .filter(o -> o.getValue().outcome().status() == OutcomeStatus.EXPIRED)
              .count();
      long rejected =
          outcomes.stream()
              .filter(o -> o.getValue().outcome().status() == OutcomeStatus.REJECTED)
              .count();
      long lettersWithId = letters.stream().filter(l -> l.getValue().id() != null).count();

      assertThat(events.size() + expired + letters.size()).isEqualTo(records);
      assertThat(rejected).isEqualTo(lettersWithId);
      assertThat(outcomes.size()).isEqualTo(expired + rejected);
      assertThat(letters).extracting(StreamRecord::getValue).allSatisfy(l -> checkLetter(l));
      assertThat(events).isNotEmpty();
      assertThat(letters).isNotEmpty();
    }
  }

  private RawRecord raw(byte[] value, long offset) {
    return new RawRecord(TOPIC, 3, offset, NOW - 5, null, value);
  }

  /** Admits one record and checks its fate; throws what the fuzz reports. */
  private Admission.Decision admitAndCheck(byte[] value, long offset) {
    RawRecord raw = raw(value, offset);
    Admission.Decision d = admission.admit(raw, NOW);
    if (d instanceof Admission.Decision.Admitted a) {
      var inv = a.invocation();
      assertThat(InvocationRules.check(inv, serde.limits(), NOW, false)).isNull();
      assertThat(inv.deadline() == null || inv.deadline() > NOW).isTrue();
      // What the scheduler writes to RunQ reads back as the same call.
      assertThat(serde.parse(InvocationSerde.write(inv), NOW))
          .isEqualTo(new ParseResult.Accepted(inv));
    } else if (d instanceof Admission.Decision.Cancel c) {
      assertThat(c.id()).isNotBlank();
      assertThat(c.tenant()).isNotBlank();
    } else if (d instanceof Admission.Decision.Expired e) {
      assertThat(e.outcome().status()).isEqualTo(OutcomeStatus.EXPIRED);
      assertThat(e.outcome().reason()).isEqualTo(ReasonCode.DEADLINE_EXCEEDED);
      assertThat(Json.readOutcome(Json.write(e.outcome()))).isEqualTo(e.outcome());
    } else if (d instanceof Admission.Decision.Rejected r) {
      DeadLetter letter = r.deadLetter();
      checkLetter(letter);
      assertThat(letter.offset()).isEqualTo(offset);
      byte[] kept =
          letter.original() != null
              ? letter.original().getBytes(StandardCharsets.UTF_8)
              : Base64.getDecoder().decode(letter.originalBase64());
      assertThat(kept).isEqualTo(value);
      if (letter.id() == null) {
        assertThat(r.outcome()).isNull();
      } else {
        // Its submitter is owed exactly this answer.
        assertThat(r.outcome().status()).isEqualTo(OutcomeStatus.REJECTED);
        assertThat(r.outcome().reason()).isEqualTo(letter.reason());
        assertThat(r.outcome().id()).isEqualTo(letter.id());
        assertThat(r.outcome().tenant()).isEqualTo(letter.tenant());
        assertThat(Json.readOutcome(Json.write(r.outcome()))).isEqualTo(r.outcome());
      }
    } else {
      fail("no fate: " + d);
    }
    return d;
  }

  private static void checkLetter(DeadLetter letter) {
    assertThat(letter.reason()).isNotNull();
    assertThat(letter.detail()).isNotBlank().hasSizeLessThanOrEqualTo(MAX_DETAIL);
    assertThat(letter.topic()).isEqualTo(TOPIC);
    assertThat(letter.partition()).isEqualTo(3);
    assertThat(letter.failedAt()).isEqualTo(NOW);
    assertThat(Json.readDeadLetter(Json.write(letter))).isEqualTo(letter);
  }

  /**
   * The smallest part of a failing record that still fails, found by dropping ever smaller runs of
   * bytes: what the failure message shows.
   */
  private byte[] shrink(byte[] value, long offset) {
    byte[] current = value;
    for (int run = Math.max(1, current.length / 2); run >= 1; run /= 2) {
      for (int at = 0; at + run <= current.length; ) {
        byte[] candidate = new byte[current.length - run];
        System.arraycopy(current, 0, candidate, 0, at);
        System.arraycopy(current, at + run, candidate, at, current.length - at - run);
        if (fails(candidate, offset)) current = candidate;
        else at += run;
      }
    }
    return current;
  }

  private boolean fails(byte[] value, long offset) {
    try {
      admitAndCheck(value, offset);
      return false;
    } catch (Throwable t) {
      return true;
    }
  }
}
