package io.xfaas.serde;

import io.xfaas.records.Invocation;
import io.xfaas.records.ReasonCode;
import java.nio.charset.StandardCharsets;

/**
 * The rules every invocation obeys, checked on the record itself so that the parser and the
 * submitter client apply the same ones.
 */
public final class InvocationRules {
  /** Names that are safe in topic keys, metrics labels and SQL. */
  private InvocationRules() {}

  /**
   * A violation, or null when the invocation is valid; its producer stamped {@code submittedAt}.
   */
  public static Violation check(Invocation inv, InvocationLimits limits, long now) {
    return check(inv, limits, now, true);
  }

  /**
   * As {@link #check(Invocation, InvocationLimits, long)}. When the producer left {@code
   * submittedAt} out ({@code submittedAtGiven} false), it was filled with the arrival time, so a
   * deadline at or before it is not bad input but a call that arrived late: it expires.
   */
  public static Violation check(
      Invocation inv, InvocationLimits limits, long now, boolean submittedAtGiven) {
    if (isBlank(inv.id())) return new Violation(ReasonCode.MISSING_FIELD, "id is required");
    if (inv.id().length() > limits.maxIdLength()) {
      return new Violation(
          ReasonCode.INVALID_FIELD, "id is longer than " + limits.maxIdLength() + " characters");
    }
    Violation v = checkName("tenant", inv.tenant(), limits);
    if (v != null) return v;
    v = checkName("function", inv.function(), limits);
    if (v != null) return v;
    if (inv.criticality() == null) {
      return new Violation(ReasonCode.MISSING_FIELD, "criticality is required");
    }
    if (inv.submittedAt() <= 0) {
      return new Violation(ReasonCode.INVALID_TIMESTAMP, "submittedAt must be positive epoch ms");
    }
    if (inv.submittedAt() > now + limits.maxClockSkewMs()) {
      return new Violation(
          ReasonCode.INVALID_TIMESTAMP,
          "submittedAt is "
              + (inv.submittedAt() - now)
              + " ms in the future (allowed skew "
              + limits.maxClockSkewMs()
              + " ms)");
    }
    if (inv.notBefore() != null && inv.notBefore() < 0) {
      return new Violation(ReasonCode.INVALID_TIMESTAMP, "notBefore must be epoch ms >= 0");
    }
    if (submittedAtGiven && inv.deadline() != null && inv.deadline() <= inv.submittedAt()) {
      return new Violation(ReasonCode.INVALID_TIMESTAMP, "deadline must be after submittedAt");
    }
    if (inv.maxAttempts() < 1) {
      return new Violation(ReasonCode.INVALID_FIELD, "maxAttempts must be >= 1");
    }
    if (inv.attempt() < 1 || inv.attempt() > inv.maxAttempts()) {
      return new Violation(ReasonCode.INVALID_FIELD, "attempt must be in [1, maxAttempts]");
    }
    if (inv.payload() != null) {
      int size = utf8Length(inv.payload());
      if (size > limits.maxPayloadBytes()) {
        return new Violation(
            ReasonCode.PAYLOAD_TOO_LARGE,
            "payload is " + size + " bytes, limit " + limits.maxPayloadBytes());
      }
    }
    return null;
  }

  /** A violation of a cancel request naming {@code id} of {@code tenant}, or null. */
  public static Violation checkCancel(String id, String tenant, InvocationLimits limits) {
    if (isBlank(id) || isBlank(tenant)) {
      return new Violation(ReasonCode.MISSING_FIELD, "a cancel message needs id and tenant");
    }
    return checkName("tenant", tenant, limits);
  }

  private static Violation checkName(String field, String value, InvocationLimits limits) {
    if (isBlank(value)) return new Violation(ReasonCode.MISSING_FIELD, field + " is required");
    if (value.length() > limits.maxIdLength() || !isName(value)) {
      return new Violation(
          ReasonCode.INVALID_FIELD,
          field
              + " must be 1-"
              + limits.maxIdLength()
              + " characters of [A-Za-z0-9._:-], starting with a letter or digit");
    }
    return null;
  }

  /** {@code [A-Za-z0-9][A-Za-z0-9._:-]*}, without a regex: it runs twice for every record. */
  static boolean isName(String s) {
    if (s.isEmpty() || !isLetterOrDigit(s.charAt(0))) return false;
    for (int i = 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!isLetterOrDigit(c) && c != '.' && c != '_' && c != ':' && c != '-') return false;
    }
    return true;
  }

  private static boolean isLetterOrDigit(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }

  static int utf8Length(String s) {
    // ASCII fast path: most payloads are; avoids allocating the encoded bytes.
    int n = s.length();
    for (int i = 0; i < n; i++) {
      if (s.charAt(i) >= 0x80) return s.getBytes(StandardCharsets.UTF_8).length;
    }
    return n;
  }

  /** A broken rule: its reason code and a human explanation. */
  public record Violation(ReasonCode reason, String detail) {}
}
