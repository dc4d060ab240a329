package io.xfaas.scheduler.operators;

import io.xfaas.records.Outcome;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by invocation id: lets the first terminal result of an id through and drops the rest.
 * Execution is at-least-once (a sidecar that crashes before committing re-runs its batch, a paused
 * one may answer late), so the same id can finish twice; consumers of the outcomes topic, which
 * this job writes exactly once, see it finish once. Ids are remembered for the dedup window.
 */
public final class DeduplicateOutcomes extends KeyedProcessFunction<String, Outcome, Outcome> {
  private final Duration window;
  private transient ValueState<Boolean> finished;
  private transient Counter duplicates;

  public DeduplicateOutcomes(Duration window) {
    this.window = window;
  }

  @Override
  public void open(OpenContext openContext) {
    ValueStateDescriptor<Boolean> d = new ValueStateDescriptor<>("finished", Types.BOOLEAN);
    d.enableTimeToLive(StateTtlConfig.newBuilder(window).build());
    finished = getRuntimeContext().getState(d);
    duplicates = getRuntimeContext().getMetricGroup().counter("duplicateResults");
  }

  @Override
  public void processElement(Outcome outcome, Context ctx, Collector<Outcome> out)
      throws Exception {
    if (finished.value() != null) {
      duplicates.inc();
      return;
    }
    finished.update(true);
    out.collect(outcome);
  }
}
