package io.xfaas.serde;

import java.io.Serializable;

/**
 * The limits an invocation is validated against; each comes from an {@code xfaas.invocation.*}
 * option.
 *
 * @param maxPayloadBytes largest payload, as UTF-8 JSON text
 * @param maxIdLength longest id, tenant or function name
 * @param maxClockSkewMs how far in the future {@code submittedAt} may be
 * @param defaultMaxAttempts {@code maxAttempts} when the invocation gives none
 */
public record InvocationLimits(
    int maxPayloadBytes, int maxIdLength, long maxClockSkewMs, int defaultMaxAttempts)
    implements Serializable {

  public static final InvocationLimits DEFAULTS = new InvocationLimits(256 * 1024, 128, 300_000, 3);
}
