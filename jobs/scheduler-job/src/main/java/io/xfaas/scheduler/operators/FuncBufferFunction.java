package io.xfaas.scheduler.operators;

import io.xfaas.records.Invocation;
import io.xfaas.records.LoadReport;
import io.xfaas.records.Outcome;
import io.xfaas.records.SchedulingDecision;
import io.xfaas.records.SchedulingMetrics;
import io.xfaas.records.SerializedOutcome;
import io.xfaas.records.TenantSettings;
import io.xfaas.scheduler.buffer.ControlEvent;
import io.xfaas.scheduler.buffer.FuncBuffer;
import io.xfaas.scheduler.buffer.FuncBufferOutput;
import io.xfaas.scheduler.buffer.Tally;
import io.xfaas.scheduler.buffer.TenantConfigUpdate;
import io.xfaas.scheduler.buffer.TenantEvent;
import java.util.function.Consumer;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The FuncBuffer in the scheduler job: keyed by tenant, with the tenants' settings and the
 * sidecars' feedback broadcast to every subtask. A shell: the policy is {@link FuncBuffer}, the
 * keyed state {@link StateTenantStore}; this class registers the state, hands each event over with
 * the processing time, and routes what comes back to the collector, side outputs, counters and
 * timers. The open metrics periods and the utilization controller's learned demand profile are
 * operator state, checkpointed here.
 */
public final class FuncBufferFunction
    extends KeyedBroadcastProcessFunction<String, TenantEvent, ControlEvent, Invocation>
    implements CheckpointedFunction {

  public static final MapStateDescriptor<String, TenantSettings> SETTINGS =
      new MapStateDescriptor<>(
          "tenant-settings", Types.STRING, TypeInformation.of(TenantSettings.class));
  public static final OutputTag<SchedulingMetrics> METRICS = new OutputTag<>("metrics") {};
  public static final OutputTag<SchedulingDecision> DECISIONS = new OutputTag<>("decisions") {};
  public static final OutputTag<LoadReport> LOAD = new OutputTag<>("load") {};

  private final FuncBuffer.Settings settings;
  private final int recordCacheTenants;
  private transient FuncBuffer buffer;
  private transient StateTenantStore store;
  private transient Port port;
  private transient SubtaskState subtaskState;

  /**
   * @param recordCacheTenants how many tenants' records to hold between checkpoints; they reach
   *     keyed state only through {@link FuncBufferOperator}, which calls {@link #flush}
   */
  public FuncBufferFunction(FuncBuffer.Settings settings, int recordCacheTenants) {
    this.settings = settings;
    this.recordCacheTenants = recordCacheTenants;
  }

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    subtaskState = SubtaskState.initialize(context);
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) throws Exception {
    subtaskState.snapshot(buffer, getRuntimeContext().getTaskInfo());
  }

  @Override
  public void open(OpenContext openContext) {
    var ctx = getRuntimeContext();
    store = new StateTenantStore(ctx, settings.dedupWindow(), recordCacheTenants);
    port = new Port(ctx.getMetricGroup());
    int subtasks = ctx.getTaskInfo().getNumberOfParallelSubtasks();
    String reporter = "scheduler-" + ctx.getTaskInfo().getIndexOfThisSubtask();
    buffer = new FuncBuffer(settings, subtasks, reporter, port);
    if (subtaskState != null) subtaskState.restoreInto(buffer, ctx.getTaskInfo());
    var metrics = ctx.getMetricGroup();
    var u = buffer.utilization();
    metrics.gauge("regionUtilization", () -> u.utilization(System.currentTimeMillis()));
    metrics.gauge("measuredCapacity", () -> u.capacityPerSecond(System.currentTimeMillis()));
    metrics.gauge("holdingDeferrable", () -> u.holding() ? 1 : 0);
    metrics.gauge("timeshiftLevel", () -> u.level());
    metrics.gauge("timeshiftFillLevel", () -> u.fillLevel());
    metrics.gauge("backloggedTenants", () -> buffer.fairShare().backloggedTenants());
  }

  @Override
  public void processElement(TenantEvent event, ReadOnlyContext ctx, Collector<Invocation> out)
      throws Exception {
    port.bind(ctx, ctx.timerService(), out);
    long now = ctx.timerService().currentProcessingTime();
    String tenant = ctx.getCurrentKey();
    store.at(tenant);
    TenantSettings own = ctx.getBroadcastState(SETTINGS).get(tenant);
    if (event.invocation() != null) {
      buffer.onArrival(store, tenant, own, event.invocation(), now);
    } else if (event.cancelId() != null) {
      buffer.onCancel(store, tenant, own, event.cancelId(), now);
    } else if (event.result() != null) {
      buffer.onResult(store, tenant, own, event.result(), now);
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Invocation> out)
      throws Exception {
    port.bind(ctx, ctx.timerService(), out);
    String tenant = ctx.getCurrentKey();
    store.at(tenant);
    buffer.onTimer(store, tenant, ctx.getBroadcastState(SETTINGS).get(tenant), timestamp);
  }

  @Override
  public void processBroadcastElement(ControlEvent event, Context ctx, Collector<Invocation> out)
      throws Exception {
    if (event.feedback() != null) {
      buffer.onFeedback(event.feedback(), ctx.currentProcessingTime());
      return;
    }
    TenantConfigUpdate update = event.config();
    if (update.settings() == null) {
      ctx.getBroadcastState(SETTINGS).remove(update.tenant());
    } else {
      ctx.getBroadcastState(SETTINGS).put(update.tenant(), update.settings());
    }
    buffer.onSettings(update.tenant(), update.settings());
  }

  boolean flushDue() {
    return store.flushDue();
  }

  /** Writes what the subtask holds on the heap to keyed state; {@code setKey} sets the key. */
  void flush(Consumer<String> setKey) throws Exception {
    store.flush(setKey);
  }

  /** What the FuncBuffer sends, to the current event's collector, side outputs and timers. */
  private static final class Port implements FuncBufferOutput {
    private final Counter[] counters = new Counter[Tally.values().length];
    private ReadOnlyContext ctx;
    private TimerService timers;
    private Collector<Invocation> out;

    Port(org.apache.flink.metrics.MetricGroup group) {
      for (Tally t : Tally.values()) counters[t.ordinal()] = group.counter(t.metric);
    }

    void bind(ReadOnlyContext ctx, TimerService timers, Collector<Invocation> out) {
      this.ctx = ctx;
      this.timers = timers;
      this.out = out;
    }

    @Override
    public void dispatch(Invocation inv) {
      out.collect(inv);
    }

    @Override
    public void decision(SchedulingDecision decision) {
      ctx.output(DECISIONS, decision);
    }

    @Override
    public void outcome(Outcome outcome) {
      ctx.output(ParseInvocations.OUTCOMES, SerializedOutcome.of(outcome));
    }

    @Override
    public void result(SerializedOutcome result) {
      ctx.output(ParseInvocations.OUTCOMES, result);
    }

    @Override
    public void metrics(SchedulingMetrics metrics) {
      ctx.output(METRICS, metrics);
    }

    @Override
    public void load(LoadReport report) {
      ctx.output(LOAD, report);
    }

    @Override
    public void count(Tally tally) {
      counters[tally.ordinal()].inc();
    }

    @Override
    public void timer(long at) {
      timers.registerProcessingTimeTimer(at);
    }

    @Override
    public void deleteTimer(long at) {
      timers.deleteProcessingTimeTimer(at);
    }
  }
}
