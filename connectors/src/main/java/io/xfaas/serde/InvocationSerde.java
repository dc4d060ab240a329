package io.xfaas.serde;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.xfaas.records.Criticality;
import io.xfaas.records.Invocation;
import io.xfaas.records.ReasonCode;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
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

  /** Longest detail of a rejection, in characters. */
  public static final int MAX_DETAIL = 256;

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
    int invalid = JsonText.firstInvalidByte(bytes);
    if (invalid >= 0) {
      return reject(
          ReasonCode.MALFORMED_JSON,
          "not UTF-8 JSON text: byte "
              + invalid
              + " is 0x"
              + Integer.toHexString(bytes[invalid] & 0xFF),
          null,
          null,
          null);
    }
    Fields obj;
    try {
      obj = Fields.read(bytes);
    } catch (IOException e) {
      return reject(ReasonCode.MALFORMED_JSON, firstLine(e), null, null, null);
    }
    if (obj == null) {
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
      InvocationRules.Violation v = InvocationRules.checkCancel(id, tenant, limits);
      if (v != null) return reject(v.reason(), v.detail(), id, tenant, function);
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
              obj.payload,
              attributes(obj.get("attributes")),
              optionalTimestamp(obj, "dispatchedAt"),
              obj.extra == null ? Map.of() : obj.extra);
      JsonNode stamped = obj.get("submittedAt");
      InvocationRules.Violation v =
          InvocationRules.check(inv, limits, now, stamped != null && !stamped.isNull());
      if (v != null) return reject(v.reason(), v.detail(), id, tenant, function);
      return new ParseResult.Accepted(inv);
    } catch (FieldException e) {
      return reject(e.reason, e.getMessage(), id, tenant, function);
    }
  }

  /**
   * The JSON form of an invocation, unknown fields included: the same bytes Jackson's generator
   * wrote, without setting one up for every record.
   */
  public static byte[] write(Invocation inv) {
    JsonBytes w =
        JsonBytes.reused()
            .field("id", inv.id())
            .field("tenant", inv.tenant())
            .field("function", inv.function())
            .field("criticality", inv.criticality().name())
            .field("priority", inv.priority())
            .field("submittedAt", inv.submittedAt());
    if (inv.notBefore() != null) w.field("notBefore", inv.notBefore());
    if (inv.deadline() != null) w.field("deadline", inv.deadline());
    w.field("attempt", inv.attempt()).field("maxAttempts", inv.maxAttempts());
    if (inv.dispatchedAt() != null) w.field("dispatchedAt", inv.dispatchedAt());
    if (!inv.attributes().isEmpty()) {
      w.object("attributes");
      for (Map.Entry<String, String> e : inv.attributes().entrySet()) {
        w.field(e.getKey(), e.getValue());
      }
      w.end();
    }
    if (inv.payload() != null) w.rawField("payload", inv.payload());
    for (Map.Entry<String, String> e : inv.extra().entrySet()) w.rawField(e.getKey(), e.getValue());
    return w.toBytes();
  }

  private static ParseResult.Rejected reject(
      ReasonCode reason, String detail, String id, String tenant, String function) {
    return new ParseResult.Rejected(reason, shortened(detail), id, tenant, function);
  }

  /**
   * A detail short enough for an outcome: one that quotes a bad value (a 5,000-digit number) is
   * cut, since the dead letter keeps the whole record anyway.
   */
  static String shortened(String detail) {
    if (detail.length() <= MAX_DETAIL) return detail;
    int cut = MAX_DETAIL - 3;
    if (Character.isHighSurrogate(detail.charAt(cut - 1))) cut--;
    return detail.substring(0, cut) + "...";
  }

  private String usableId(JsonNode node) {
    if (node == null || !node.isTextual()) return null;
    String s = node.textValue();
    return s.isBlank() || s.length() > limits.maxIdLength() ? null : s;
  }

  private static String textOrNull(JsonNode node) {
    return node != null && node.isTextual() ? node.textValue() : null;
  }

  private static String requiredText(Fields obj, String field) {
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

  private static long integral(Fields obj, String field, long dflt, ReasonCode reason) {
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

  private static Long optionalTimestamp(Fields obj, String field) {
    JsonNode node = obj.get(field);
    if (node == null || node.isNull()) return null;
    return integral(obj, field, 0, ReasonCode.INVALID_TIMESTAMP);
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

  private static String firstLine(JsonProcessingException e) {
    String m = e.getOriginalMessage();
    return m == null ? "unparseable JSON" : m.lines().findFirst().orElse(m);
  }

  private static String firstLine(IOException e) {
    return e instanceof JsonProcessingException jpe
        ? firstLine(jpe)
        : String.valueOf(e.getMessage());
  }

  /**
   * The top-level fields of one record, read in one streaming pass: the contract's small fields as
   * JSON nodes (what the checks above look at), the payload and unknown fields as the raw JSON text
   * they arrived as, never parsed into a tree nor written back out. A repeated field keeps its last
   * value, in the place of its first, as a JSON tree would.
   */
  private static final class Fields {
    private final Map<String, JsonNode> known = new HashMap<>(16);
    String payload;
    LinkedHashMap<String, String> extra;

    /** The fields of the object in {@code bytes}; null when the record is not a JSON object. */
    static Fields read(byte[] bytes) throws IOException {
      try (JsonParser p = Json.MAPPER.createParser(bytes)) {
        if (p.nextToken() != JsonToken.START_OBJECT) return null;
        Fields f = new Fields();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          JsonToken value = p.nextToken();
          if (name.equals("payload")) {
            f.payload = value == JsonToken.VALUE_NULL ? null : raw(p, bytes);
          } else if (KNOWN.contains(name)) {
            f.known.put(name, node(p, value));
          } else {
            if (f.extra == null) f.extra = new LinkedHashMap<>();
            f.extra.put(name, raw(p, bytes));
          }
        }
        return f;
      }
    }

    JsonNode get(String field) {
      return known.get(field);
    }

    /** The current value as the node a tree parser would make; containers through the mapper. */
    private static JsonNode node(JsonParser p, JsonToken t) throws IOException {
      return switch (t) {
        case VALUE_STRING -> TextNode.valueOf(p.getText());
        case VALUE_NUMBER_INT ->
            switch (p.getNumberType()) {
              case INT -> IntNode.valueOf(p.getIntValue());
              case LONG -> LongNode.valueOf(p.getLongValue());
              default -> BigIntegerNode.valueOf(p.getBigIntegerValue());
            };
        case VALUE_NUMBER_FLOAT -> DoubleNode.valueOf(p.getDoubleValue());
        case VALUE_TRUE -> BooleanNode.TRUE;
        case VALUE_FALSE -> BooleanNode.FALSE;
        case VALUE_NULL -> NullNode.getInstance();
        default -> Json.MAPPER.readTree(p);
      };
    }

    /** The current value's JSON text, as it arrived. */
    private static String raw(JsonParser p, byte[] bytes) throws IOException {
      int start = (int) p.currentTokenLocation().getByteOffset();
      if (p.currentToken().isStructStart()) p.skipChildren();
      else p.finishToken();
      int end = (int) p.currentLocation().getByteOffset();
      return new String(bytes, start, end - start, StandardCharsets.UTF_8);
    }
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
