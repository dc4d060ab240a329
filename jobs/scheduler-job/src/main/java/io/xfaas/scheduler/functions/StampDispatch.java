package io.xfaas.scheduler.functions;

import io.xfaas.records.Invocation;
import io.xfaas.time.WallClock;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Releases each invocation to RunQ at once, stamped with its dispatch time. The tenant-keyed place
 * where the FuncBuffer (quotas, deadlines, priorities) will decide when to release.
 */
public final class StampDispatch extends KeyedProcessFunction<String, Invocation, Invocation> {
  private final WallClock clock;
  private transient Counter dispatched;

  public StampDispatch(WallClock clock) {
    this.clock = clock;
  }

  @Override
  public void open(OpenContext openContext) {
    dispatched = getRuntimeContext().getMetricGroup().counter("invocationsDispatched");
  }

  @Override
  public void processElement(Invocation inv, Context ctx, Collector<Invocation> out) {
    dispatched.inc();
    out.collect(inv.withDispatchedAt(clock.now()));
  }
}
