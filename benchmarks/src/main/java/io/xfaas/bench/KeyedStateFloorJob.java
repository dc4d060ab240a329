package io.xfaas.bench;

import io.xfaas.config.XfaasConfig;
import io.xfaas.config.XfaasOptions;
import io.xfaas.kafka.RawRecord;
import io.xfaas.kafka.XfaasKafka;
import io.xfaas.records.Invocation;
import io.xfaas.scheduler.SchedulerJob;
import io.xfaas.scheduler.buffer.TenantEvent;
import io.xfaas.scheduler.operators.ParseInvocations;
import io.xfaas.scheduler.wire.WireTypes;
import io.xfaas.time.WallClock;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The keyed-state floor: what any scheduler keyed by tenant pays on this state backend before it
 * schedules anything. DurableQ, the scheduler's own parser, {@code keyBy(tenant)}, one value state
 * read and written per event, and the scheduler's RunQ sink (its guarantee from {@code
 * xfaas.scheduler.runq-delivery}), with the scheduler's Flink configuration (RocksDB, incremental
 * checkpoints, bloom filters) and parallelism. The scheduler is measured against it in the same
 * run.
 */
public final class KeyedStateFloorJob {
  private KeyedStateFloorJob() {}

  public static void define(StreamExecutionEnvironment env, XfaasConfig config) {
    env.configure(SchedulerJob.jobConfiguration(config));
    env.setParallelism(config.getInt(XfaasOptions.SCHEDULER_PARALLELISM));
    env.fromSource(
            XfaasKafka.durableQSource(config),
            WatermarkStrategy.noWatermarks(),
            "durableq",
            TypeInformation.of(RawRecord.class))
        .uid("durableq-source")
        .process(
            new ParseInvocations(SchedulerJob.settings(config).admission(), WallClock.SYSTEM),
            WireTypes.TENANT_EVENT)
        .name("parse")
        .uid("parse")
        .keyBy(TenantEvent::tenant)
        .process(new CountPerTenant(), TypeInformation.of(Invocation.class))
        .name("keyed-state")
        .uid("keyed-state")
        .sinkTo(XfaasKafka.runQSink(config))
        .name("runq")
        .uid("runq-sink");
  }

  /** One value state read and one write per invocation: the least a keyed scheduler does. */
  static final class CountPerTenant extends KeyedProcessFunction<String, TenantEvent, Invocation> {
    private transient ValueState<Long> seen;

    @Override
    public void open(OpenContext openContext) {
      seen = getRuntimeContext().getState(new ValueStateDescriptor<>("seen", Types.LONG));
    }

    @Override
    public void processElement(TenantEvent event, Context ctx, Collector<Invocation> out)
        throws Exception {
      if (event.invocation() == null) return;
      Long n = seen.value();
      seen.update(n == null ? 1L : n + 1);
      long now = ctx.timerService().currentProcessingTime();
      out.collect(event.invocation().withDispatchedAt(now));
    }
  }
}
