package io.xfaas.serde;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.xfaas.records.Criticality;
import io.xfaas.records.Invocation;
import io.xfaas.records.ReasonCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads and writes the Invocation JSON contract. Reading validates every field and turns bad input
 * into a {@link ParseResult.Rejected} with a {@link ReasonCode}; it never throws.
 */
public final class InvocationSerde implements Serializable {
  private static final Set<String> KNOWN =
      Set.of(
          "id",
          "tenant",
          "function",
          "criticality",
          "priority",
          "submittedAt",
          "notBefore",
          "deadline",
          "attempt",
          "maxAttempts",
          "payload",
          "attributes",
          "dispatchedAt",
          "kind");

  private final InvocationLimits limits;

  public InvocationSerde(InvocationLimits limits) {
    this.limits = limits;
  }

  public InvocationLimits limits() {
    return limits;
  }

  /**
   * Parses one record.
   *
   * @param bytes the record value as it arrived
   * @param now wall-clock time of arrival: the default {@code submittedAt} and the reference for
   *     clock-skew checks
   */
  public ParseResult parse(byte[] bytes, long now) {
    if (bytes == null || bytes.length == 0) {
      return reject(ReasonCode.MALFORMED_JSON, "empty record", null, null, null);
    }
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(bytes);
    } catch (IOException e) {
      return reject(ReasonCode.MALFORMED_JSON, firstLine(e), null, null, null);
    }
    if (!(root instanceof ObjectNode obj)) {
      return reject(ReasonCode.MALFORMED_JSON, "not a JSON object", null, null, null);
    }
    // Read the identity first, so that every later rejection can name the call it rejects.
    String id = usableId(obj.get("id"));
    String tenant = textOrNull(obj.get("tenant"));
    String function = textOrNull(obj.get("function"));
    JsonNode kind = obj.get("kind");
    if (kind != null && !kind.isNull() && !"invoke".equals(kind.asText())) {
      if (!"cancel".equals(kind.asText())) {
        return reject(
            ReasonCode.INVALID_FIELD,
            "kind must be invoke or cancel, not " + kind,
            id,
            tenant,
            function);
      }
      if (id == null || tenant == null) {
        return reject(
            ReasonCode.MISSING_FIELD, "a cancel message needs id and tenant", id, tenant, function);
      }
      return new ParseResult.Cancel(id, tenant);
    }
    try {
      Invocation inv =
          new Invocation(
              requiredText(obj, "id"),
              requiredText(obj, "tenant"),
              requiredText(obj, "function"),
              criticality(obj.get("criticality")),
              (int) integral(obj, "priority", 0, ReasonCode.INVALID_FIELD),
              integral(obj, "submittedAt", now, ReasonCode.INVALID_TIMESTAMP),
              optionalTimestamp(obj, "notBefore"),
              optionalTimestamp(obj, "deadline"),
              (int) integral(obj, "attempt", 1, ReasonCode.INVALID_FIELD),
              (int)
                  integral(
                      obj, "maxAttempts", limits.defaultMaxAttempts(), ReasonCode.INVALID_FIELD),
              raw(obj.get("payload")),
              attributes(obj.get("attributes")),
              optionalTimestamp(obj, "dispatchedAt"),
              extra(obj));
      JsonNode stamped = obj.get("submittedAt");
      InvocationRules.Violation v =
          InvocationRules.check(inv, limits, now, stamped != null && !stamped.isNull());
      if (v != null) return reject(v.reason(), v.detail(), id, tenant, function);
      return new ParseResult.Accepted(inv);
    } catch (FieldException e) {
      return reject(e.reason, e.getMessage(), id, tenant, function);
    }
  }

  /** The JSON form of an invocation, unknown fields included. */
  public static byte[] write(Invocation inv) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256 + lengthOf(inv.payload()));
    try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("id", inv.id());
      g.writeStringField("tenant", inv.tenant());
      g.writeStringField("function", inv.function());
      g.writeStringField("criticality", inv.criticality().name());
      g.writeNumberField("priority", inv.priority());
      g.writeNumberField("submittedAt", inv.submittedAt());
      if (inv.notBefore() != null) g.writeNumberField("notBefore", inv.notBefore());
      if (inv.deadline() != null) g.writeNumberField("deadline", inv.deadline());
      g.writeNumberField("attempt", inv.attempt());
      g.writeNumberField("maxAttempts", inv.maxAttempts());
      if (inv.dispatchedAt() != null) g.writeNumberField("dispatchedAt", inv.dispatchedAt());
      if (!inv.attributes().isEmpty()) {
        g.writeObjectFieldStart("attributes");
        for (Map.Entry<String, String> e : inv.attributes().entrySet()) {
          g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
      }
      if (inv.payload() != null) {
        g.writeFieldName("payload");
        g.writeRawValue(inv.payload());
      }
      for (Map.Entry<String, String> e : inv.extra().entrySet()) {
        g.writeFieldName(e.getKey());
        g.writeRawValue(e.getValue());
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static int lengthOf(String s) {
    return s == null ? 0 : s.length();
  }

  private static ParseResult.Rejected reject(
      ReasonCode reason, String detail, String id, String tenant, String function) {
    return new ParseResult.Rejected(reason, detail, id, tenant, function);
  }

  private String usableId(JsonNode node) {
    if (node == null || !node.isTextual()) return null;
    String s = node.textValue();
    return s.isBlank() || s.length() > limits.maxIdLength() ? null : s;
  }

  private static String textOrNull(JsonNode node) {
    return node != null && node.isTextual() ? node.textValue() : null;
  }

  private static String requiredText(ObjectNode obj, String field) {
    JsonNode node = obj.get(field);
    if (node == null || node.isNull()) {
      throw new FieldException(ReasonCode.MISSING_FIELD, field + " is required");
    }
    if (!node.isTextual()) {
      throw new FieldException(ReasonCode.INVALID_FIELD, field + " must be a string");
    }
    return node.textValue();
  }

  private static Criticality criticality(JsonNode node) {
    if (node == null || node.isNull()) return Criticality.NORMAL;
    if (node.isTextual()) {
      try {
        return Criticality.valueOf(node.textValue().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException ignored) {
        // falls through to the rejection below
      }
    }
    throw new FieldException(
        ReasonCode.UNKNOWN_CRITICALITY,
        "criticality must be one of CRITICAL, NORMAL, DEFERRABLE, not " + node);
  }

  private static long integral(ObjectNode obj, String field, long dflt, ReasonCode reason) {
    JsonNode node = obj.get(field);
    if (node == null || node.isNull()) return dflt;
    if (!node.canConvertToLong() || !node.isIntegralNumber()) {
      throw new FieldException(reason, field + " must be an integer");
    }
    long value = node.longValue();
    if (reason == ReasonCode.INVALID_FIELD
        && (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE)) {
      throw new FieldException(reason, field + " is out of range");
    }
    return value;
  }

  private static Long optionalTimestamp(ObjectNode obj, String field) {
    JsonNode node = obj.get(field);
    if (node == null || node.isNull()) return null;
    return integral(obj, field, 0, ReasonCode.INVALID_TIMESTAMP);
  }

  private static String raw(JsonNode node) {
    return node == null || node.isNull() ? null : node.toString();
  }

  private static Map<String, String> attributes(JsonNode node) {
    if (node == null || node.isNull()) return Map.of();
    if (!node.isObject()) {
      throw new FieldException(ReasonCode.INVALID_FIELD, "attributes must be an object");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isTextual()) {
        throw new FieldException(
            ReasonCode.INVALID_FIELD, "attributes." + e.getKey() + " must be a string");
      }
      out.put(e.getKey(), e.getValue().textValue());
    }
    return out;
  }

  private static Map<String, String> extra(ObjectNode obj) {
    Map<String, String> out = null;
    for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (KNOWN.contains(e.getKey())) continue;
      if (out == null) out = new LinkedHashMap<>();
      out.put(e.getKey(), e.getValue().toString());
    }
    return out == null ? Map.of() : out;
  }

  private static String firstLine(JsonProcessingException e) {
    String m = e.getOriginalMessage();
    return m == null ? "unparseable JSON" : m.lines().findFirst().orElse(m);
  }

  private static String firstLine(IOException e) {
    return e instanceof JsonProcessingException jpe
        ? firstLine(jpe)
        : String.valueOf(e.getMessage());
  }

  /** A field-level rejection, caught inside {@link #parse} and never thrown out of it. */
  private static final class FieldException extends RuntimeException {
    final ReasonCode reason;

    FieldException(ReasonCode reason, String message) {
      super(message, null, false, false);
      this.reason = reason;
    }
  }
}
