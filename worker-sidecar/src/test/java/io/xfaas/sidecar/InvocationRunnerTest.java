package io.xfaas.sidecar;

import static io.xfaas.sidecar.TestFunction.fn;
import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.config.XfaasConfig;
import io.xfaas.records.Criticality;
import io.xfaas.records.DeadLetter;
import io.xfaas.records.Invocation;
import io.xfaas.records.Outcome;
import io.xfaas.records.OutcomeStatus;
import io.xfaas.records.ReasonCode;
import io.xfaas.serde.InvocationSerde;
import io.xfaas.time.WallClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InvocationRunnerTest {
  /** The wall clock stands still: every timestamp the runner writes is NOW. */
  private static final long NOW = 1_700_000_000_000L;

  private static final long SUBMITTED = NOW - 5_000;
  private static final long DISPATCHED = NOW - 1_000;
  private static final long BACKOFF_MS = 1_500;
  private static final String RUNQ = "xfaas.eu.runq";

  private final CountDownLatch neverReleased = new CountDownLatch(1);
  private final CountDownLatch interrupted = new CountDownLatch(1);
  private SidecarSettings settings;
  private FunctionRegistry functions;
  private InvocationRunner runner;

  @BeforeEach
  void setUp() {
    settings =
        SidecarSettings.from(
                XfaasConfig.of(
                    Map.of(
                        "xfaas.region",
                        "eu",
                        "xfaas.sidecar.retry-backoff-ms",
                        Long.toString(BACKOFF_MS),
                        "xfaas.sidecar.retry-jitter",
                        "0")))
            .withCallTimeout(Duration.ofMillis(200));
    functions = FunctionRegistry.fromServiceLoader();
    functions.register(fn("block", (payload, ctx) -> block()));
    functions.register(fn("not-json", (payload, ctx) -> "{oops"));
    functions.register(fn("empty", (payload, ctx) -> " "));
    functions.register(
        fn(
            "throws-no-message",
            (payload, ctx) -> {
              throw new UnsupportedOperationException();
            }));
    String big = "\"" + "x".repeat(settings.limits().maxPayloadBytes()) + "\"";
    functions.register(fn("big", (payload, ctx) -> big));
    runner = new InvocationRunner(functions, settings, fixedClock());
  }

  @AfterEach
  void tearDown() {
    runner.close();
  }

  @Test
  void successIsASucceededOutcomeWithTheResult() throws Exception {
    Invocation inv = invocation("echo", "{\"n\":[1,2]}", 1, 3);

    Outcome o = expect(Decision.Succeeded.class, runner.run(record(inv, 7))).outcome();

    assertThat(o.id()).isEqualTo("id-1");
    assertThat(o.tenant()).isEqualTo("acme");
    assertThat(o.function()).isEqualTo("echo");
    assertThat(o.status()).isEqualTo(OutcomeStatus.SUCCEEDED);
    assertThat(o.reason()).isNull();
    assertThat(o.result()).isEqualTo("{\"n\":[1,2]}");
    assertThat(o.attempts()).isEqualTo(1);
    assertThat(o.submittedAt()).isEqualTo(SUBMITTED);
    assertThat(o.dispatchedAt()).isEqualTo(DISPATCHED);
    assertThat(o.startedAt()).isEqualTo(NOW);
    assertThat(o.finishedAt()).isEqualTo(NOW);
    assertThat(o.region()).isEqualTo("eu");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "no payload and no result are fine | echo  |                  | 1 | 1 |",
        "functions see their attempt       | fail  | {\"failures\":1} | 2 | 3 | {\"attempt\":2}",
        "sleep sleeps and says how long    | sleep | {\"ms\":1}       | 1 | 1 | {\"sleptMs\":1}"
      })
  void aCallThatSucceedsAnswersItsResult(
      String what, String function, String payload, int attempt, int maxAttempts, String result)
      throws Exception {
    Decision d = runner.run(record(invocation(function, payload, attempt, maxAttempts), 0));

    assertThat(((Decision.Succeeded) d).outcome().result()).isEqualTo(result);
  }

  @Test
  void theBackoffDoublesWithTheAttempt() throws Exception {
    Decision d = runner.run(record(invocation("fail", "{\"failures\":5}", 2, 5), 0));

    assertThat(((Decision.Retry) d).next().notBefore()).isEqualTo(NOW + 2 * BACKOFF_MS);
  }

  @Test
  void anAnswerThatRetryingCannotHelpFailsAtOnce() throws Exception {
    InvocationRunner.Prepared.Ready ready =
        (InvocationRunner.Prepared.Ready) runner.prepare(record(invocation("echo", null, 1, 3), 4));

    Decision d = runner.decide(ready, CallResult.error("no such user", false), NOW);

    Decision.Failed f = (Decision.Failed) d;
    assertThat(f.outcome().reason()).isEqualTo(ReasonCode.FUNCTION_ERROR);
    assertThat(f.outcome().detail()).isEqualTo("not retryable: no such user");
    assertThat(f.deadLetter().offset()).isEqualTo(4);
  }

  @Test
  void aThrottledCallIsRetriedLater() throws Exception {
    InvocationRunner.Prepared.Ready ready =
        (InvocationRunner.Prepared.Ready) runner.prepare(record(invocation("echo", null, 1, 3), 0));

    Decision d = runner.decide(ready, CallResult.throttled("busy"), NOW);

    assertThat(((Decision.Retry) d).error()).isEqualTo("throttled: busy");
    assertThat(((Decision.Retry) d).next().attempt()).isEqualTo(2);
  }

  @Test
  void unknownFunctionFailsAndIsDeadLettered() throws Exception {
    Invocation inv = invocation("nope", "{}", 1, 3);

    Decision.Failed f = expect(Decision.Failed.class, runner.run(record(inv, 11)));
    assertThat(f.outcome().status()).isEqualTo(OutcomeStatus.FAILED);
    assertThat(f.outcome().reason()).isEqualTo(ReasonCode.UNKNOWN_FUNCTION);
    assertThat(f.outcome().detail()).contains("nope").contains("echo");
    assertThat(f.outcome().finishedAt()).isEqualTo(NOW);
    // Attempts left do not matter: another attempt here would not find the function either.
    assertThat(f.deadLetter().reason()).isEqualTo(ReasonCode.UNKNOWN_FUNCTION);
    assertThat(f.deadLetter().id()).isEqualTo("id-1");
    assertThat(f.deadLetter().offset()).isEqualTo(11);
  }

  @Test
  void failureWithAttemptsLeftIsRetriedAfterTheBackoff() throws Exception {
    Invocation inv = invocation("fail", "{\"failures\":2}", 1, 3);

    Decision.Retry r = expect(Decision.Retry.class, runner.run(record(inv, 0)));
    assertThat(r.error()).isEqualTo("planned failure 1 of 2 for id-1");
    Invocation next = r.next();
    assertThat(next.attempt()).isEqualTo(2);
    assertThat(next.notBefore()).isEqualTo(NOW + BACKOFF_MS);
    assertThat(next.dispatchedAt()).as("the scheduler stamps it again").isNull();
    assertThat(next)
        .usingRecursiveComparison()
        .ignoringFields("attempt", "notBefore", "dispatchedAt")
        .isEqualTo(inv);
  }

  @Test
  void failureOnTheLastAttemptFailsWithTheLastErrorAndIsDeadLettered() throws Exception {
    Invocation inv = invocation("fail", "{\"failures\":5}", 3, 3);
    RunQRecord rec = record(inv, 42);

    Decision.Failed f = expect(Decision.Failed.class, runner.run(rec));
    assertThat(f.outcome().status()).isEqualTo(OutcomeStatus.FAILED);
    assertThat(f.outcome().reason()).isEqualTo(ReasonCode.FUNCTION_ERROR);
    assertThat(f.outcome().detail()).isEqualTo("planned failure 3 of 5 for id-1");
    assertThat(f.outcome().attempts()).isEqualTo(3);
    assertThat(f.outcome().result()).isNull();
    DeadLetter dl = f.deadLetter();
    assertThat(dl.reason()).isEqualTo(ReasonCode.FUNCTION_ERROR);
    assertThat(dl.detail()).isEqualTo("planned failure 3 of 5 for id-1");
    assertThat(dl.id()).isEqualTo("id-1");
    assertThat(dl.tenant()).isEqualTo("acme");
    assertThat(dl.function()).isEqualTo("fail");
    assertThat(dl.original()).isEqualTo(new String(rec.value(), StandardCharsets.UTF_8));
    assertThat(dl.originalBase64()).isNull();
    assertCameFrom(dl, 3, 42);
  }

  @Test
  void errorWithoutMessageIsNamedByItsClass() throws Exception {
    Decision d = runner.run(record(invocation("throws-no-message", null, 1, 1), 0));

    assertThat(((Decision.Failed) d).outcome().detail())
        .isEqualTo(UnsupportedOperationException.class.getName());
  }

  @Test
  void timeoutOnTheLastAttemptFailsWithTimeoutAndInterruptsTheCall() throws Exception {
    Decision.Failed f =
        expect(Decision.Failed.class, runner.run(record(invocation("block", null, 2, 2), 0)));
    assertThat(f.outcome().reason()).isEqualTo(ReasonCode.TIMEOUT);
    assertThat(f.outcome().detail()).isEqualTo("no answer within 200 ms");
    assertThat(f.deadLetter().reason()).isEqualTo(ReasonCode.TIMEOUT);
    assertThat(interrupted.await(10, TimeUnit.SECONDS)).as("the call was interrupted").isTrue();
  }

  @Test
  void timeoutWithAttemptsLeftIsRetried() throws Exception {
    Decision d = runner.run(record(invocation("block", null, 1, 2), 0));

    Decision.Retry r = expect(Decision.Retry.class, d);
    assertThat(r.next().attempt()).isEqualTo(2);
    assertThat(r.error()).isEqualTo("no answer within 200 ms");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "a result that is not JSON      | not-json |                 | result is not JSON",
        "a blank result                 | empty    |                 | result is empty",
        "a result larger than a payload | big      |                 | result is larger than",
        "sleep with a bad argument      | sleep    | {\"ms\":\"soon\"} | ms must be an integer"
      })
  void aFunctionErrorOnTheLastAttemptFailsAndSaysWhy(
      String what, String function, String payload, String detailStart) throws Exception {
    Decision d = runner.run(record(invocation(function, payload, 1, 1), 0));

    assertThat(((Decision.Failed) d).outcome().detail()).startsWith(detailStart);
  }

  @Test
  void aCancelMessageOnRunQIsDeadLetteredNotRun() throws Exception {
    byte[] bytes =
        "{\"kind\":\"cancel\",\"id\":\"c1\",\"tenant\":\"t\"}".getBytes(StandardCharsets.UTF_8);

    Decision d = runner.run(new RunQRecord(RUNQ, 0, 5, bytes));

    DeadLetter dl = expect(Decision.Unparseable.class, d).deadLetter();
    assertThat(dl.reason()).isEqualTo(ReasonCode.INVALID_FIELD);
    assertThat(dl.id()).isEqualTo("c1");
  }

  @Test
  void unparseableRecordIsDeadLetteredWithItsOriginalText() throws Exception {
    byte[] bytes = "{not json".getBytes(StandardCharsets.UTF_8);

    Decision.Unparseable u =
        expect(Decision.Unparseable.class, runner.run(new RunQRecord(RUNQ, 1, 99, bytes)));
    assertThat(u.rejection()).as("no id, so nobody to tell").isNull();
    DeadLetter dl = u.deadLetter();
    assertThat(dl.reason()).isEqualTo(ReasonCode.MALFORMED_JSON);
    assertThat(dl.detail()).isNotBlank();
    assertThat(dl.original()).isEqualTo("{not json");
    assertThat(dl.originalBase64()).isNull();
    assertCameFrom(dl, 1, 99);
  }

  @Test
  void unparseableBinaryRecordKeepsItsBytesInBase64() throws Exception {
    byte[] bytes = {(byte) 0xff, (byte) 0xfe, 0x00, 0x7b};

    Decision d = runner.run(new RunQRecord(RUNQ, 0, 1, bytes));

    DeadLetter dl = ((Decision.Unparseable) d).deadLetter();
    assertThat(dl.original()).isNull();
    assertThat(Base64.getDecoder().decode(dl.originalBase64())).isEqualTo(bytes);
  }

  @Test
  void emptyRecordIsDeadLettered() throws Exception {
    Decision d = runner.run(new RunQRecord(RUNQ, 0, 1, null));

    DeadLetter dl = ((Decision.Unparseable) d).deadLetter();
    assertThat(dl.reason()).isEqualTo(ReasonCode.MALFORMED_JSON);
    assertThat(dl.original()).isNull();
    assertThat(dl.originalBase64()).isNull();
  }

  @Test
  void invalidInvocationWithAnIdIsAlsoRejectedToItsSubmitter() throws Exception {
    String json = "{\"id\":\"id-9\",\"function\":\"echo\",\"submittedAt\":" + SUBMITTED + "}";

    Decision d = runner.run(new RunQRecord(RUNQ, 0, 5, json.getBytes(StandardCharsets.UTF_8)));

    Decision.Unparseable u = (Decision.Unparseable) d;
    assertThat(u.deadLetter().reason()).isEqualTo(ReasonCode.MISSING_FIELD);
    assertThat(u.deadLetter().original()).isEqualTo(json);
    assertThat(u.rejection()).isNotNull();
    assertThat(u.rejection().id()).isEqualTo("id-9");
    assertThat(u.rejection().function()).isEqualTo("echo");
    assertThat(u.rejection().status()).isEqualTo(OutcomeStatus.REJECTED);
    assertThat(u.rejection().reason()).isEqualTo(ReasonCode.MISSING_FIELD);
    assertThat(u.rejection().finishedAt()).isEqualTo(NOW);
  }

  /** {@code d}, which must be a {@code T}. */
  private static <T extends Decision> T expect(Class<T> type, Decision d) {
    assertThat(d).isInstanceOf(type);
    return type.cast(d);
  }

  /** A dead letter names the RunQ record it came from, and when and where it failed. */
  private static void assertCameFrom(DeadLetter dl, int partition, long offset) {
    assertThat(dl.topic()).isEqualTo(RUNQ);
    assertThat(dl.partition()).isEqualTo(partition);
    assertThat(dl.offset()).isEqualTo(offset);
    assertThat(dl.failedAt()).isEqualTo(NOW);
    assertThat(dl.region()).isEqualTo("eu");
  }

  private static WallClock fixedClock() {
    return () -> NOW;
  }

  private static Invocation invocation(
      String function, String payload, int attempt, int maxAttempts) {
    return new Invocation(
        "id-1",
        "acme",
        function,
        Criticality.NORMAL,
        0,
        SUBMITTED,
        null,
        NOW + 60_000,
        attempt,
        maxAttempts,
        payload,
        Map.of("trace", "t-1"),
        DISPATCHED,
        Map.of());
  }

  private static RunQRecord record(Invocation inv, long offset) {
    return new RunQRecord(RUNQ, 3, offset, InvocationSerde.write(inv));
  }

  private String block() throws InterruptedException {
    try {
      neverReleased.await();
      return null;
    } catch (InterruptedException e) {
      interrupted.countDown();
      throw e;
    }
  }
}
