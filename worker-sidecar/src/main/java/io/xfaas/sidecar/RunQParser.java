package io.xfaas.sidecar;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.xfaas.records.Criticality;
import io.xfaas.records.Invocation;
import io.xfaas.serde.InvocationLimits;
import io.xfaas.serde.InvocationRules;
import io.xfaas.serde.InvocationSerde;
import io.xfaas.serde.Json;
import io.xfaas.serde.ParseResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads RunQ records: the Invocation contract of {@link InvocationSerde}, in one streaming pass
 * with no JSON tree, keeping the payload as the raw text it arrived as (the sidecar only passes it
 * through: to the function, and back in an {@code echo} result). RunQ records are written by the
 * scheduler, so nearly all are well-formed with only known fields; anything else (an unknown field,
 * a value of an unexpected type, a cancel, a broken rule, bad JSON) is read again by {@link
 * InvocationSerde} itself, so that every accepted call and every rejection is the contract's own.
 *
 * <p>The one difference: an object or array payload is its text as written, where {@link
 * InvocationSerde} would re-serialise it compactly; the scheduler writes payloads compactly, so on
 * RunQ the two agree.
 *
 * <p>Thread-safe.
 */
final class RunQParser {
  private static final JsonFactory FACTORY = Json.MAPPER.getFactory();

  private static final int SUBMITTED_AT = 1;
  private static final int NOT_BEFORE = 2;
  private static final int DEADLINE = 4;
  private static final int DISPATCHED_AT = 8;

  private final InvocationSerde serde;
  private final InvocationLimits limits;

  RunQParser(InvocationLimits limits) {
    this.serde = new InvocationSerde(limits);
    this.limits = limits;
  }

  /** As {@link InvocationSerde#parse}: never throws. */
  ParseResult parse(byte[] bytes, long now) {
    Fields f = bytes == null ? null : read(bytes);
    if (f == null) return serde.parse(bytes, now);
    Invocation inv =
        new Invocation(
            f.id,
            f.tenant,
            f.function,
            f.criticality,
            f.priority,
            f.given(SUBMITTED_AT) ? f.submittedAt : now,
            f.given(NOT_BEFORE) ? f.notBefore : null,
            f.given(DEADLINE) ? f.deadline : null,
            f.attempt,
            f.maxAttempts == null ? limits.defaultMaxAttempts() : f.maxAttempts,
            f.payload,
            f.attributes,
            f.given(DISPATCHED_AT) ? f.dispatchedAt : null,
            Map.of());
    if (InvocationRules.check(inv, limits, now, f.given(SUBMITTED_AT)) != null) {
      return serde.parse(bytes, now); // rejected: let the contract's reader say why, its own way
    }
    return new ParseResult.Accepted(inv);
  }

  /** The fields of a plain invocation record, or null when it is anything else. */
  private static Fields read(byte[] bytes) {
    Fields f = new Fields();
    try (JsonParser p = FACTORY.createParser(bytes)) {
      if (p.nextToken() != JsonToken.START_OBJECT) return null;
      String name;
      while ((name = p.nextFieldName()) != null) {
        JsonToken t = p.nextToken();
        boolean ok =
            switch (name) {
              case "id" -> (f.id = text(p, t)) != null;
              case "tenant" -> (f.tenant = text(p, t)) != null;
              case "function" -> (f.function = text(p, t)) != null;
              case "criticality" -> (f.criticality = criticality(p, t)) != null;
              case "priority" -> (f.priority = intOr(p, t, 0)) != null;
              case "attempt" -> (f.attempt = intOr(p, t, 1)) != null;
              case "maxAttempts" ->
                  t == JsonToken.VALUE_NULL || (f.maxAttempts = intOr(p, t, 0)) != null;
              case "submittedAt" -> timestamp(p, t, f, SUBMITTED_AT);
              case "notBefore" -> timestamp(p, t, f, NOT_BEFORE);
              case "deadline" -> timestamp(p, t, f, DEADLINE);
              case "dispatchedAt" -> timestamp(p, t, f, DISPATCHED_AT);
              case "payload" -> payload(p, t, bytes, f);
              case "attributes" -> attributes(p, t, f);
              default -> false; // kind (a cancel), or a field this version does not know
            };
        if (!ok) return null;
      }
      if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) return null;
      return f;
    } catch (IOException | RuntimeException e) {
      return null; // the contract's reader says what is wrong
    }
  }

  private static String text(JsonParser p, JsonToken t) throws IOException {
    return t == JsonToken.VALUE_STRING ? p.getText() : null;
  }

  private static Criticality criticality(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_NULL) return Criticality.NORMAL;
    if (t != JsonToken.VALUE_STRING) return null;
    return switch (p.getText()) {
      case "CRITICAL" -> Criticality.CRITICAL;
      case "NORMAL" -> Criticality.NORMAL;
      case "DEFERRABLE" -> Criticality.DEFERRABLE;
      default -> null; // other spellings: the contract's reader decides
    };
  }

  private static Integer intOr(JsonParser p, JsonToken t, int dflt) throws IOException {
    if (t == JsonToken.VALUE_NULL) return dflt;
    if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
      return null;
    }
    return p.getIntValue();
  }

  /** Reads timestamp field {@code which} into {@code f}; null leaves it absent. */
  private static boolean timestamp(JsonParser p, JsonToken t, Fields f, int which)
      throws IOException {
    if (t == JsonToken.VALUE_NULL) {
      f.given &= ~which;
      return true;
    }
    if (t != JsonToken.VALUE_NUMBER_INT) return false;
    JsonParser.NumberType n = p.getNumberType();
    if (n != JsonParser.NumberType.INT && n != JsonParser.NumberType.LONG) return false;
    long v = p.getLongValue();
    switch (which) {
      case SUBMITTED_AT -> f.submittedAt = v;
      case NOT_BEFORE -> f.notBefore = v;
      case DEADLINE -> f.deadline = v;
      default -> f.dispatchedAt = v;
    }
    f.given |= which;
    return true;
  }

  private static boolean payload(JsonParser p, JsonToken t, byte[] bytes, Fields f)
      throws IOException {
    if (t == JsonToken.VALUE_NULL) {
      f.payload = null;
      return true;
    }
    if (t != JsonToken.START_OBJECT && t != JsonToken.START_ARRAY) return false;
    long start = p.currentTokenLocation().getByteOffset();
    p.skipChildren();
    long end = p.currentLocation().getByteOffset();
    if (start < 0 || end <= start || end > bytes.length) return false;
    f.payload = new String(bytes, (int) start, (int) (end - start), StandardCharsets.UTF_8);
    return true;
  }

  private static boolean attributes(JsonParser p, JsonToken t, Fields f) throws IOException {
    if (t == JsonToken.VALUE_NULL) {
      f.attributes = Map.of();
      return true;
    }
    if (t != JsonToken.START_OBJECT) return false;
    Map<String, String> out = new LinkedHashMap<>();
    String key;
    while ((key = p.nextFieldName()) != null) {
      if (p.nextToken() != JsonToken.VALUE_STRING) return false;
      out.put(key, p.getText());
    }
    f.attributes = out.isEmpty() ? Map.of() : out;
    return true;
  }

  /** What a record said, before the rules. */
  private static final class Fields {
    String id;
    String tenant;
    String function;
    Criticality criticality = Criticality.NORMAL;
    Integer priority = 0;
    int given; // which timestamps were given, as bits; primitives, so that none is boxed twice
    long submittedAt;
    long notBefore;
    long deadline;
    Integer attempt = 1;
    Integer maxAttempts;
    String payload;
    Map<String, String> attributes = Map.of();
    long dispatchedAt;

    boolean given(int which) {
      return (given & which) != 0;
    }
  }
}
