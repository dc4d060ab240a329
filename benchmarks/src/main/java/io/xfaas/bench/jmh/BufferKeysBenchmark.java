package io.xfaas.bench.jmh;

import io.xfaas.records.Criticality;
import io.xfaas.records.Invocation;
import io.xfaas.scheduler.buffer.BufferKeys;
import io.xfaas.submit.InvocationBuilder;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * FuncBuffer ordering: encoding the order and time keys each buffered invocation gets, reading
 * fields back, and comparing keys as RocksDB's byte comparator does. {@code sortKeys} orders a
 * batch of keys, a stand-in for the sorted inserts of a backlogged tenant.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class BufferKeysBenchmark {
  @Param({"1000"})
  public int batch;

  private Invocation invocation;
  private byte[][] keys;
  private byte[] a;
  private byte[] b;
  private long seq;

  @Setup
  public void setUp() {
    long now = 1_800_000_000_000L;
    invocation =
        InvocationBuilder.call("tenant", "echo")
            .id("id")
            .priority(3)
            .submittedAt(now)
            .deadline(now + 60_000)
            .maxAttempts(3)
            .build();
    SplittableRandom random = new SplittableRandom(42);
    Criticality[] classes = Criticality.values();
    keys = new byte[batch][];
    for (int i = 0; i < batch; i++) {
      Invocation inv =
          InvocationBuilder.call("tenant", "echo")
              .id("id" + i)
              .criticality(classes[random.nextInt(classes.length)])
              .priority(random.nextInt(-5, 6))
              .submittedAt(now)
              .maxAttempts(3)
              .build();
      keys[i] = BufferKeys.order(inv, now + random.nextLong(0, 3_600_000), i);
    }
    a = keys[0];
    b = keys[1];
  }

  @Benchmark
  public byte[] encodeOrderKey() {
    return BufferKeys.order(invocation, 1_800_000_060_000L, seq++);
  }

  @Benchmark
  public byte[] encodeTimeKey() {
    return BufferKeys.time(1_800_000_060_000L, seq++);
  }

  @Benchmark
  public long decodeOrderKey() {
    return BufferKeys.deadlineOf(a) ^ BufferKeys.seqOf(a);
  }

  @Benchmark
  public int compareKeys() {
    return BufferKeys.compare(a, b);
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public byte[][] sortKeys() {
    byte[][] copy = keys.clone();
    Arrays.sort(copy, BufferKeys::compare);
    return copy;
  }
}
