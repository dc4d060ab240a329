package io.xfaas.sidecar;

import java.util.Objects;

/**
 * The answer to one call, as a function (or the HTTP protocol) gives it.
 *
 * @param kind what happened
 * @param result the result as JSON text, for {@link Kind#OK}; null for none
 * @param error what went wrong, for anything else
 */
public record CallResult(Kind kind, String result, String error) {

  /** What happened to a call; each kind is one signal for the function's window. */
  public enum Kind {
    /** Answered: the result stands. */
    OK,
    /** Failed; another attempt may succeed (retried while attempts are left). */
    ERROR,
    /** Failed for good: retrying cannot help, so the call fails now. */
    FATAL,
    /** The function or its downstream is overloaded: retried later, and the window shrinks. */
    THROTTLED,
    /** No answer in time. */
    TIMEOUT
  }

  public CallResult {
    Objects.requireNonNull(kind, "kind");
  }

  public static CallResult ok(String resultJson) {
    return new CallResult(Kind.OK, resultJson, null);
  }

  public static CallResult error(String message, boolean retryable) {
    return new CallResult(retryable ? Kind.ERROR : Kind.FATAL, null, message);
  }

  public static CallResult throttled(String message) {
    return new CallResult(Kind.THROTTLED, null, message);
  }

  public static CallResult timeout(String message) {
    return new CallResult(Kind.TIMEOUT, null, message);
  }
}
