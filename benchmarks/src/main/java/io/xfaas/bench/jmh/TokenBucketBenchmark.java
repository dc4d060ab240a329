package io.xfaas.bench.jmh;

import io.xfaas.scheduler.buffer.TokenBucket;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The token bucket as the FuncBuffer uses it per dispatch: refill to now, check, take; and the
 * timer arithmetic (next token, full again) of a tenant that has to wait.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TokenBucketBenchmark {
  private static final double RATE = 1000;
  private static final int BURST = 100;

  private TokenBucket bucket;
  private TokenBucket empty;
  private long now;

  @Setup
  public void setUp() {
    now = 1_800_000_000_000L;
    bucket = TokenBucket.full(BURST, now);
    empty = new TokenBucket(0.25, now);
  }

  /** One dispatch: the clock moves 1 ms, the bucket refills one token and gives one. */
  @Benchmark
  public TokenBucket refillAndTake() {
    now++;
    TokenBucket b = bucket.refill(now, RATE, BURST);
    bucket = b.hasToken() ? b.take() : b;
    return bucket;
  }

  @Benchmark
  public long nextTokenAt() {
    return empty.nextTokenAt(RATE);
  }

  @Benchmark
  public long fullAt() {
    return empty.fullAt(RATE, BURST);
  }
}
