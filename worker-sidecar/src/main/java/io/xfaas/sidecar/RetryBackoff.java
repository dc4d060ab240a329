package io.xfaas.sidecar;

import java.util.function.DoubleSupplier;

/**
 * When a failed attempt may run again: exponential backoff with jitter. Attempt {@code n} failed
 * waits {@code min(max, base * 2^(n-1))}, plus a random extra of up to {@code jitter} times that,
 * so that calls failing together do not come back together.
 *
 * <p>The extra is only ever added, so a retry never comes back before the plain backoff.
 */
public final class RetryBackoff {
  private final long baseMs;
  private final long maxMs;
  private final double jitter;
  private final DoubleSupplier random;

  /**
   * @param random uniform in [0, 1); seeded in tests
   */
  public RetryBackoff(long baseMs, long maxMs, double jitter, DoubleSupplier random) {
    if (baseMs < 0 || maxMs < baseMs) {
      throw new IllegalArgumentException(
          "need 0 <= backoff <= max backoff: " + baseMs + ", " + maxMs);
    }
    if (!(jitter >= 0 && jitter <= 1)) {
      throw new IllegalArgumentException("jitter must be in [0, 1]: " + jitter);
    }
    this.baseMs = baseMs;
    this.maxMs = maxMs;
    this.jitter = jitter;
    this.random = random;
  }

  /** The backoff without jitter after attempt {@code failedAttempt} (1 for the first). */
  public long plainDelayMs(int failedAttempt) {
    int doublings = Math.max(0, Math.min(failedAttempt - 1, 62));
    long d = baseMs;
    for (int i = 0; i < doublings && d < maxMs; i++) d *= 2;
    return Math.min(d, maxMs);
  }

  /** The delay before the attempt after {@code failedAttempt}, jitter included. */
  public long delayMs(int failedAttempt) {
    long plain = plainDelayMs(failedAttempt);
    return plain + (long) (plain * jitter * random.getAsDouble());
  }
}
