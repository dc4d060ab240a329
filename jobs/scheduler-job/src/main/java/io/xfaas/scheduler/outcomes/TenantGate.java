package io.xfaas.scheduler.outcomes;

import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by tenant: lets a tenant's outcomes through while the tenant has settings on the config
 * topic. An outcome of a tenant not (yet) known waits up to {@code waitMs} of processing time, as
 * the two topics are read independently and a restarted job may see outcomes first; then it is
 * dropped (it stays in the region's outcomes topic, for the operator and the analyst).
 */
final class TenantGate
    extends KeyedCoProcessFunction<
        String,
        Tuple3<String, byte[], byte[]>,
        Tuple2<String, Boolean>,
        Tuple3<String, byte[], byte[]>> {
  static final long DEFAULT_WAIT_MS = 60_000;

  private final long waitMs;
  private transient ValueState<Boolean> known;
  private transient ListState<Tuple3<String, byte[], byte[]>> waiting;
  private transient ValueState<Long> dropAt;

  TenantGate(long waitMs) {
    this.waitMs = waitMs;
  }

  @Override
  public void open(org.apache.flink.api.common.functions.OpenContext context) {
    known = getRuntimeContext().getState(new ValueStateDescriptor<>("known", Types.BOOLEAN));
    waiting =
        getRuntimeContext()
            .getListState(new ListStateDescriptor<>("waiting", TenantOutcomesJob.OUTCOME));
    dropAt = getRuntimeContext().getState(new ValueStateDescriptor<>("drop-at", Types.LONG));
  }

  @Override
  public void processElement1(
      Tuple3<String, byte[], byte[]> outcome,
      Context ctx,
      Collector<Tuple3<String, byte[], byte[]>> out)
      throws Exception {
    if (Boolean.TRUE.equals(known.value())) {
      out.collect(outcome);
      return;
    }
    waiting.add(outcome);
    if (dropAt.value() == null) {
      long at = ctx.timerService().currentProcessingTime() + waitMs;
      dropAt.update(at);
      ctx.timerService().registerProcessingTimeTimer(at);
    }
  }

  @Override
  public void processElement2(
      Tuple2<String, Boolean> tenant, Context ctx, Collector<Tuple3<String, byte[], byte[]>> out)
      throws Exception {
    if (!tenant.f1) {
      known.clear();
      return;
    }
    known.update(true);
    Iterable<Tuple3<String, byte[], byte[]>> held = waiting.get();
    if (held != null) held.forEach(out::collect);
    clearWaiting(ctx);
  }

  @Override
  public void onTimer(
      long timestamp, OnTimerContext ctx, Collector<Tuple3<String, byte[], byte[]>> out)
      throws Exception {
    Long at = dropAt.value();
    if (at != null && at == timestamp) {
      waiting.clear();
      dropAt.clear();
    }
  }

  private void clearWaiting(Context ctx) throws Exception {
    Long at = dropAt.value();
    if (at != null) ctx.timerService().deleteProcessingTimeTimer(at);
    waiting.clear();
    dropAt.clear();
  }
}
