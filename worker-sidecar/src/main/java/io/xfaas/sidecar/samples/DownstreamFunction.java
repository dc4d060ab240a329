package io.xfaas.sidecar.samples;

import io.xfaas.sidecar.CallContext;
import java.time.Duration;

/**
 * A function bound by a downstream whose latency can be switched while it runs: each call waits the
 * downstream's current latency. The closed-loop tests and demos slow a downstream tenfold and back
 * with {@link #latency(Duration)} to watch the scheduler pace the function and nothing else.
 *
 * <pre>{@code
 * DownstreamFunction f = new DownstreamFunction("resize", Duration.ofMillis(20));
 * registry.register(f);
 * f.latency(Duration.ofMillis(200)); // the downstream degrades
 * }</pre>
 */
public final class DownstreamFunction extends NamedFunction {
  private volatile long latencyMs;

  public DownstreamFunction(String name, Duration latency) {
    super(name);
    latency(latency);
  }

  /** The downstream's latency from now on. */
  public void latency(Duration latency) {
    if (latency.isNegative()) throw new IllegalArgumentException("negative latency " + latency);
    this.latencyMs = latency.toMillis();
  }

  public Duration latency() {
    return Duration.ofMillis(latencyMs);
  }

  @Override
  public String invoke(String payloadJson, CallContext ctx) throws InterruptedException {
    long ms = latencyMs;
    Thread.sleep(ms); // interruptible: the sidecar interrupts a call past its timeout
    return "{\"downstreamMs\":" + ms + "}";
  }
}
