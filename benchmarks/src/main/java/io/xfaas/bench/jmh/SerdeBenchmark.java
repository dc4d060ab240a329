package io.xfaas.bench.jmh;

import io.xfaas.records.Invocation;
import io.xfaas.records.Outcome;
import io.xfaas.serde.InvocationLimits;
import io.xfaas.serde.InvocationSerde;
import io.xfaas.serde.Json;
import io.xfaas.serde.ParseResult;
import io.xfaas.submit.InvocationBuilder;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The serde every record crosses: DurableQ parsing (with validation) in the scheduler, the RunQ
 * write, and the outcome write. The invocation is the bench's own workload record.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SerdeBenchmark {
  private InvocationSerde serde;
  private Invocation invocation;
  private byte[] json;
  private Outcome outcome;
  private long now;

  @Setup
  public void setUp() {
    now = System.currentTimeMillis();
    serde = new InvocationSerde(InvocationLimits.DEFAULTS);
    invocation = call(now);
    json = InvocationSerde.write(invocation);
    outcome = Outcome.succeeded(invocation.withDispatchedAt(now), now, now + 1, "local", "{}");
  }

  /** The benchmarks' call: one bench workload record, submitted at {@code now}. */
  static Invocation call(long now) {
    return InvocationBuilder.call("tenant-4711", "echo")
        .id("bench-000123456")
        .submittedAt(now)
        .maxAttempts(3)
        .payload("{\"n\":123456,\"pad\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}")
        .build();
  }

  @Benchmark
  public ParseResult parseInvocation() {
    return serde.parse(json, now);
  }

  @Benchmark
  public byte[] writeInvocation() {
    return InvocationSerde.write(invocation);
  }

  @Benchmark
  public byte[] writeOutcome() {
    return Json.write(outcome);
  }

  @Benchmark
  public Outcome roundTripOutcome() {
    return Json.readOutcome(Json.write(outcome));
  }
}
