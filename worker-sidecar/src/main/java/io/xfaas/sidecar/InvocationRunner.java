package io.xfaas.sidecar;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.xfaas.dlq.DeadLetters;
import io.xfaas.records.Invocation;
import io.xfaas.records.Outcome;
import io.xfaas.records.ReasonCode;
import io.xfaas.serde.Json;
import io.xfaas.serde.ParseResult;
import io.xfaas.time.WallClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what becomes of one RunQ record: parse it, find its function, run it with a time limit,
 * and answer a {@link Decision}. Knows nothing of Kafka, so it is tested with a fixed clock.
 *
 * <ul>
 *   <li>not a valid invocation: dead letter (and a REJECTED outcome when it has an id);
 *   <li>function unknown here: FAILED {@code UNKNOWN_FUNCTION}, dead-lettered;
 *   <li>the function answered: SUCCEEDED with its result;
 *   <li>it threw, answered no JSON, was throttled or timed out with attempts left: a retry, attempt
 *       + 1, not before now + the retry backoff (exponential, with jitter);
 *   <li>it failed and said that retrying cannot help: FAILED {@code FUNCTION_ERROR} now;
 *   <li>the same on the last attempt: FAILED {@code FUNCTION_ERROR} or {@code TIMEOUT} with the
 *       last error, dead-lettered.
 * </ul>
 *
 * <p>Thread-safe: the sidecar's workers share one runner.
 */
public final class InvocationRunner implements AutoCloseable {

  /** A record parsed and its function found: either decided already, or a call to run. */
  public sealed interface Prepared {
    /** Nothing to run: not an invocation, or its function is not known here. */
    record Decided(Decision decision) implements Prepared {}

    /** A call to run. */
    record Ready(
        RunQRecord record, Invocation invocation, XfaasFunction function, FunctionCall call)
        implements Prepared {}
  }

  private static final Logger LOG = LoggerFactory.getLogger(InvocationRunner.class);

  /** Longest {@code detail}: an error message can be anything, and an outcome must stay small. */
  static final int MAX_DETAIL_CHARS = 2000;

  /** Checks results: each must be exactly one JSON value, as it is embedded raw in the outcome. */
  private static final JsonFactory JSON = Json.MAPPER.getFactory();

  private final FunctionRegistry functions;
  private final SidecarSettings settings;
  private final WallClock clock;
  private final RunQParser parser;
  private final CallTimer timer;
  private final RetryBackoff backoff;
  private final DeadLetters deadLetters;

  public InvocationRunner(FunctionRegistry functions, SidecarSettings settings, WallClock clock) {
    this(functions, settings, clock, "xfaas-call-");
  }

  /** With the threads that run calls named {@code callThreadPrefix + n}. */
  InvocationRunner(
      FunctionRegistry functions,
      SidecarSettings settings,
      WallClock clock,
      String callThreadPrefix) {
    this.functions = functions;
    this.settings = settings;
    this.clock = clock;
    this.parser = new RunQParser(settings.limits());
    this.timer = new CallTimer(callThreadPrefix);
    this.backoff = settings.retryBackoff(() -> ThreadLocalRandom.current().nextDouble());
    this.deadLetters = new DeadLetters(settings.region());
  }

  /**
   * Decides one record, running its function here with the call timeout. Never throws for bad input
   * or a failing function.
   *
   * @throws InterruptedException if this thread is interrupted while the function runs: the record
   *     is then undecided and must be run again
   */
  public Decision run(RunQRecord record) throws InterruptedException {
    Prepared p = prepare(record);
    if (p instanceof Prepared.Decided d) return d.decision();
    Prepared.Ready ready = (Prepared.Ready) p;
    long startedAt = clock.now();
    CallResult result;
    try {
      result =
          timer.call(
              () -> ready.function().invokeBatch(List.of(ready.call())).get(0),
              settings.callTimeout());
    } catch (TimeoutException e) {
      result = CallResult.timeout(timeoutDetail());
    } catch (ExecutionException e) {
      result = CallResult.error(messageOf(e.getCause()), true);
    }
    return decide(ready, result, startedAt);
  }

  /**
   * Parses a record and finds its function: either a decision already (not an invocation, or no
   * such function here) or a call ready to run.
   */
  public Prepared prepare(RunQRecord record) {
    long now = clock.now();
    ParseResult parsed = parser.parse(record.value(), now);
    if (parsed instanceof ParseResult.Cancel c) {
      // Cancels are for the scheduler's FuncBuffer; on RunQ one is a misrouted record.
      parsed =
          new ParseResult.Rejected(
              ReasonCode.INVALID_FIELD,
              "a cancel message belongs on DurableQ, not RunQ",
              c.id(),
              c.tenant(),
              null);
    }
    if (parsed instanceof ParseResult.Rejected rejected) {
      return new Prepared.Decided(unparseable(record, rejected, now));
    }
    Invocation inv = ((ParseResult.Accepted) parsed).invocation();
    XfaasFunction fn = functions.get(inv.function());
    if (fn == null) {
      String detail =
          "function '" + inv.function() + "' is not known here; known: " + functions.names();
      return new Prepared.Decided(
          giveUp(record, inv, ReasonCode.UNKNOWN_FUNCTION, detail, now, now));
    }
    return new Prepared.Ready(
        record, inv, fn, new FunctionCall(inv.payload(), CallContext.of(inv)));
  }

  /** What becomes of a call that started at {@code startedAt} and answered {@code result}. */
  public Decision decide(Prepared.Ready call, CallResult result, long startedAt) {
    RunQRecord record = call.record();
    Invocation inv = call.invocation();
    return switch (result.kind()) {
      case OK -> {
        String badResult = checkResult(result.result(), call.call().payloadJson());
        yield badResult != null
            ? failedAttempt(record, inv, ReasonCode.FUNCTION_ERROR, badResult, startedAt)
            : new Decision.Succeeded(
                Outcome.succeeded(inv, startedAt, clock.now(), settings.region(), result.result()));
      }
      case ERROR ->
          failedAttempt(record, inv, ReasonCode.FUNCTION_ERROR, detail(result), startedAt);
      case THROTTLED ->
          failedAttempt(
              record, inv, ReasonCode.FUNCTION_ERROR, "throttled: " + detail(result), startedAt);
      case TIMEOUT -> failedAttempt(record, inv, ReasonCode.TIMEOUT, detail(result), startedAt);
      case FATAL ->
          giveUp(
              record,
              inv,
              ReasonCode.FUNCTION_ERROR,
              "not retryable: " + detail(result),
              startedAt,
              clock.now());
    };
  }

  /** The detail of a timed-out attempt. */
  String timeoutDetail() {
    return "no answer within " + settings.callTimeout().toMillis() + " ms";
  }

  private static String detail(CallResult r) {
    String e = r.error() == null || r.error().isBlank() ? r.kind().toString() : r.error();
    return e.length() <= MAX_DETAIL_CHARS ? e : e.substring(0, MAX_DETAIL_CHARS) + "...";
  }

  private Decision failedAttempt(
      RunQRecord record, Invocation inv, ReasonCode reason, String detail, long startedAt) {
    long now = clock.now();
    if (inv.attempt() < inv.maxAttempts()) {
      LOG.debug("Attempt {} of {} failed, retrying: {}", inv.attempt(), inv.id(), detail);
      return new Decision.Retry(inv.retry(now + backoff.delayMs(inv.attempt())), detail);
    }
    return giveUp(record, inv, reason, detail, startedAt, now);
  }

  private Decision giveUp(
      RunQRecord record,
      Invocation inv,
      ReasonCode reason,
      String detail,
      long startedAt,
      long finishedAt) {
    LOG.debug("Giving up {} after attempt {}: {} {}", inv.id(), inv.attempt(), reason, detail);
    Outcome outcome = Outcome.failed(inv, reason, detail, startedAt, finishedAt, settings.region());
    return new Decision.Failed(
        outcome, deadLetters.gaveUp(record, inv, reason, detail, finishedAt));
  }

  private Decision unparseable(RunQRecord record, ParseResult.Rejected r, long now) {
    LOG.warn(
        "Dead-lettering {}-{}@{}: {} {}",
        record.topic(),
        record.partition(),
        record.offset(),
        r.reason(),
        r.detail());
    return new Decision.Unparseable(
        deadLetters.rejected(record, r, now), r.outcome(0, now, settings.region()));
  }

  /**
   * Null when {@code json} is null, or one JSON value no larger than a payload may be (an outcome
   * too large for Kafka could never be written, and its batch never committed); else why not. The
   * call's own payload passed back (echo) is both already: it passed the same checks on the way in.
   */
  private String checkResult(String json, String payload) {
    if (json == null || json == payload) return null;
    int max = settings.limits().maxPayloadBytes();
    // Cheap bound first: a UTF-8 byte count is at most 3 per char and at least 1.
    if (json.length() > max || (json.length() * 3L > max && utf8Length(json) > max)) {
      return "result is larger than " + max + " bytes";
    }
    // Tokens only, no tree: the result is embedded as the text it is.
    try (JsonParser p = JSON.createParser(json)) {
      JsonToken t = p.nextToken();
      if (t == null) return "result is empty; return null for none";
      int depth = 0;
      do {
        if (t.isStructStart()) {
          depth++;
        } else if (t.isStructEnd()) {
          depth--;
        } else if (t == JsonToken.VALUE_STRING) {
          p.getTextLength(); // decodes it, so that a bad escape is caught
        }
      } while (depth > 0 && (t = p.nextToken()) != null);
      if (p.nextToken() != null) return "result is not JSON: more than one value";
      return null;
    } catch (IOException e) {
      return "result is not JSON: " + String.valueOf(e.getMessage()).lines().findFirst().orElse("");
    }
  }

  private static int utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  static String messageOf(Throwable t) {
    String m = t.getMessage();
    m = m == null || m.isBlank() ? t.getClass().getName() : m;
    return m.length() <= MAX_DETAIL_CHARS ? m : m.substring(0, MAX_DETAIL_CHARS) + "...";
  }

  /** Interrupts calls still running and stops their threads. */
  @Override
  public void close() {
    timer.close();
  }
}
