package io.xfaas.scheduler.buffer;

/**
 * A tenant's token bucket, as kept in state: {@code tokens} as of {@code updatedAt}. The rate is
 * passed in, not stored, because fair share changes it while the tenant waits.
 */
public record TokenBucket(double tokens, long updatedAt) {

  public static TokenBucket full(int burst, long now) {
    return new TokenBucket(burst, now);
  }

  /** The bucket at {@code now}, refilled at {@code ratePerSecond} up to {@code burst}. */
  public TokenBucket refill(long now, double ratePerSecond, int burst) {
    if (now <= updatedAt) return this;
    double t = Math.min(burst, tokens + (now - updatedAt) * ratePerSecond / 1000.0);
    return new TokenBucket(t, now);
  }

  /** Whether one token is there to take. Tolerates float rounding from many small refills. */
  public boolean hasToken() {
    return tokens >= 1.0 - 1e-9;
  }

  /** Whole tokens there to take now. */
  public int whole() {
    return (int) Math.floor(tokens + 1e-9);
  }

  public TokenBucket take() {
    return new TokenBucket(tokens - 1.0, updatedAt);
  }

  /** When the next whole token is due, at {@code ratePerSecond}. */
  public long nextTokenAt(double ratePerSecond) {
    if (hasToken()) return updatedAt;
    return updatedAt + (long) Math.ceil((1.0 - tokens) * 1000.0 / ratePerSecond - 1e-6);
  }

  /** When the bucket will be full again: from then on, forgetting it changes nothing. */
  public long fullAt(double ratePerSecond, int burst) {
    if (tokens >= burst) return updatedAt;
    return updatedAt + (long) Math.ceil((burst - tokens) * 1000.0 / ratePerSecond);
  }
}
