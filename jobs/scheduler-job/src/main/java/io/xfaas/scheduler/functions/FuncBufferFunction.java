package io.xfaas.scheduler.functions;

import io.xfaas.records.Invocation;
import io.xfaas.records.Outcome;
import io.xfaas.records.OutcomeStatus;
import io.xfaas.records.ReasonCode;
import io.xfaas.records.SchedulingMetrics;
import io.xfaas.records.TenantSettings;
import io.xfaas.scheduler.buffer.BufferKeys;
import io.xfaas.scheduler.buffer.Counts;
import io.xfaas.scheduler.buffer.DelayHistogram;
import io.xfaas.scheduler.buffer.FairShare;
import io.xfaas.scheduler.buffer.PeriodStats;
import io.xfaas.scheduler.buffer.TenantConfigUpdate;
import io.xfaas.scheduler.buffer.TenantEvent;
import io.xfaas.scheduler.buffer.TokenBucket;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The FuncBuffer: keyed by tenant, it holds each tenant's waiting invocations in RocksDB map state
 * sorted in dispatch order (criticality, deadline, priority, arrival) and releases them to RunQ
 * under the tenant's quota (token bucket rate and burst, concurrency), its fair share of the
 * region's capacity, and {@code notBefore}. A timer expires what cannot be dispatched by its
 * deadline. Duplicate ids are dropped, cancel requests honoured, and settings follow the config
 * topic (broadcast state) without a restart. One timer per tenant at most, plus one for metrics; an
 * idle tenant has neither, and no state but the ids it remembers for deduplication.
 */
public final class FuncBufferFunction
    extends KeyedBroadcastProcessFunction<String, TenantEvent, TenantConfigUpdate, Invocation> {

  public static final MapStateDescriptor<String, TenantSettings> SETTINGS =
      new MapStateDescriptor<>(
          "tenant-settings", Types.STRING, TypeInformation.of(TenantSettings.class));
  public static final OutputTag<SchedulingMetrics> METRICS = new OutputTag<>("metrics") {};

  /** Marks an id cancelled before its invocation arrived. */
  private static final int CANCELLED_EARLY = -1;

  private static final byte IN_BUFFER = 'B';
  private static final byte DELAYED = 'D';

  private final Settings settings;

  private transient MapState<byte[], Invocation> buffer;
  private transient MapState<byte[], Invocation> delayed;
  private transient MapState<byte[], byte[]> byDeadline;
  private transient MapState<String, byte[]> byId;
  private transient MapState<String, Long> inFlight;
  private transient MapState<String, Integer> seen;
  private transient ValueState<Counts> counts;
  private transient ValueState<TokenBucket> bucket;
  private transient ValueState<Long> wakeAt;
  // Earliest notBefore / deadline held (or earlier: removals leave it, and a wake-up that finds
  // nothing due recomputes it). Saves an iterator seek per event over RocksDB tombstones.
  private transient ValueState<Long> nextDelayedAt;
  private transient ValueState<Long> nextDeadlineAt;
  private transient ValueState<PeriodStats> stats;
  private transient FairShare fairShare;
  private transient Counter arrivedCount;
  private transient Counter dispatchedCount;
  private transient Counter throttledCount;
  private transient Counter expiredCount;
  private transient Counter rejectedCount;
  private transient Counter cancelledCount;
  private transient Counter duplicateCount;

  /**
   * @param region stamped on outcomes and metrics
   * @param capacityPerSecond the region's dispatch capacity, split evenly between subtasks
   * @param unknownTenant settings for tenants without any; null to reject them
   * @param metricsIntervalMs period of the per-tenant metrics records
   * @param dedupWindow how long ids are remembered
   * @param maxWaitMs longest a backlogged tenant sleeps between looks at its quota, so that a new
   *     rate or a freed share applies within this time
   */
  public record Settings(
      String region,
      double capacityPerSecond,
      TenantSettings unknownTenant,
      long metricsIntervalMs,
      Duration dedupWindow,
      long maxWaitMs)
      implements Serializable {}

  public FuncBufferFunction(Settings settings) {
    this.settings = settings;
  }

  @Override
  public void open(OpenContext openContext) {
    var ctx = getRuntimeContext();
    TypeInformation<byte[]> bytes = PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO;
    TypeInformation<Invocation> invocation = TypeInformation.of(Invocation.class);
    buffer = ctx.getMapState(new MapStateDescriptor<>("buffer", bytes, invocation));
    delayed = ctx.getMapState(new MapStateDescriptor<>("delayed", bytes, invocation));
    byDeadline = ctx.getMapState(new MapStateDescriptor<>("by-deadline", bytes, bytes));
    byId = ctx.getMapState(new MapStateDescriptor<>("by-id", Types.STRING, bytes));
    inFlight = ctx.getMapState(new MapStateDescriptor<>("in-flight", Types.STRING, Types.LONG));
    MapStateDescriptor<String, Integer> seenDescriptor =
        new MapStateDescriptor<>("seen", Types.STRING, Types.INT);
    seenDescriptor.enableTimeToLive(StateTtlConfig.newBuilder(settings.dedupWindow()).build());
    seen = ctx.getMapState(seenDescriptor);
    counts = ctx.getState(new ValueStateDescriptor<>("counts", TypeInformation.of(Counts.class)));
    bucket =
        ctx.getState(new ValueStateDescriptor<>("bucket", TypeInformation.of(TokenBucket.class)));
    wakeAt = ctx.getState(new ValueStateDescriptor<>("wake-at", Types.LONG));
    nextDelayedAt = ctx.getState(new ValueStateDescriptor<>("next-delayed-at", Types.LONG));
    nextDeadlineAt = ctx.getState(new ValueStateDescriptor<>("next-deadline-at", Types.LONG));
    stats =
        ctx.getState(new ValueStateDescriptor<>("period", TypeInformation.of(PeriodStats.class)));
    int subtasks = ctx.getTaskInfo().getNumberOfParallelSubtasks();
    fairShare = new FairShare(settings.capacityPerSecond() / subtasks, 100);

    var metrics = ctx.getMetricGroup();
    arrivedCount = metrics.counter("invocationsArrived");
    dispatchedCount = metrics.counter("invocationsDispatched");
    throttledCount = metrics.counter("invocationsThrottled");
    expiredCount = metrics.counter("invocationsExpired");
    rejectedCount = metrics.counter("invocationsRejectedByQuota");
    cancelledCount = metrics.counter("invocationsCancelled");
    duplicateCount = metrics.counter("duplicateSubmissions");
    metrics.gauge("backloggedTenants", () -> fairShare.backloggedTenants());
  }

  @Override
  public void processElement(TenantEvent event, ReadOnlyContext ctx, Collector<Invocation> out)
      throws Exception {
    long now = ctx.timerService().currentProcessingTime();
    TenantSettings tenant = resolve(ctx.getBroadcastState(SETTINGS), event.tenant());
    String throttleWatch = null;
    if (event.invocation() != null) {
      throttleWatch = arrive(event.invocation(), tenant, now, ctx);
    } else if (event.cancelId() != null) {
      cancel(event.cancelId(), now, ctx);
    } else if (event.result() != null) {
      release(event.result().id());
    }
    pump(ctx.getCurrentKey(), tenant, now, ctx.timerService(), ctx, out);
    if (throttleWatch != null && byId.contains(throttleWatch)) {
      throttledCount.inc();
      addStats(now, ctx.timerService(), 0, 1, 0, 0, 0, 0);
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Invocation> out)
      throws Exception {
    long now = timestamp;
    if (wakeAt.value() != null && wakeAt.value() <= now) wakeAt.clear();
    PeriodStats period = stats.value();
    if (period != null && period.periodStart() + settings.metricsIntervalMs() <= now) {
      flushStats(ctx.getCurrentKey(), period, ctx.timerService(), ctx);
    }
    TenantSettings tenant = resolve(ctx.getBroadcastState(SETTINGS), ctx.getCurrentKey());
    pump(ctx.getCurrentKey(), tenant, now, ctx.timerService(), ctx, out);
  }

  @Override
  public void processBroadcastElement(
      TenantConfigUpdate update, Context ctx, Collector<Invocation> out) throws Exception {
    if (update.settings() == null) {
      ctx.getBroadcastState(SETTINGS).remove(update.tenant());
    } else {
      ctx.getBroadcastState(SETTINGS).put(update.tenant(), update.settings());
      // Other tenants' shares move now; this tenant's own quota at its next wake-up.
      fairShare.updateIfBacklogged(update.tenant(), demand(update.settings()));
    }
  }

  private TenantSettings resolve(ReadOnlyBroadcastState<String, TenantSettings> all, String tenant)
      throws Exception {
    TenantSettings s = all.get(tenant);
    return s != null ? s : settings.unknownTenant();
  }

  /** Admits one arrival; returns its id when it waits in the buffer (to count throttling). */
  private String arrive(Invocation inv, TenantSettings tenant, long now, ReadOnlyContext ctx)
      throws Exception {
    arrivedCount.inc();
    addStats(now, ctx.timerService(), 1, 0, 0, 0, 0, 0);
    if (inv.attempt() > 1) release(inv.id()); // a retry: its previous attempt is over
    Integer previous = seen.get(inv.id());
    if (previous != null && previous == CANCELLED_EARLY) {
      seen.put(inv.id(), inv.attempt());
      finish(
          inv,
          OutcomeStatus.CANCELLED,
          ReasonCode.CANCELLED_BY_REQUEST,
          "cancelled before it arrived",
          now,
          ctx);
      cancelledCount.inc();
      addStats(now, ctx.timerService(), 0, 0, 0, 0, 1, 0);
      return null;
    }
    if (previous != null && previous >= inv.attempt()) {
      duplicateCount.inc();
      addStats(now, ctx.timerService(), 0, 0, 0, 0, 0, 1);
      return null;
    }
    seen.put(inv.id(), inv.attempt());
    if (tenant == null) {
      reject(
          inv,
          ReasonCode.UNKNOWN_TENANT,
          "tenant '" + inv.tenant() + "' has no settings",
          now,
          ctx);
      return null;
    }
    if (!tenant.allows(inv.function())) {
      reject(
          inv,
          ReasonCode.UNKNOWN_FUNCTION,
          "function '" + inv.function() + "' is not allowed for tenant '" + inv.tenant() + "'",
          now,
          ctx);
      return null;
    }
    Long deadline = inv.deadline();
    if (deadline == null && tenant.defaultDeadlineMs() != null) {
      deadline = inv.submittedAt() + tenant.defaultDeadlineMs();
      inv = withDeadline(inv, deadline);
    }
    if (deadline != null && deadline <= now) {
      expire(inv, now, ctx);
      return null;
    }
    Counts c = counts();
    if (c.waiting() >= tenant.bufferBound()) {
      reject(
          inv,
          ReasonCode.BUFFER_FULL,
          "FuncBuffer of tenant '"
              + inv.tenant()
              + "' holds "
              + c.waiting()
              + " (bound "
              + tenant.bufferBound()
              + ")",
          now,
          ctx);
      return null;
    }
    long seq = c.seq();
    counts.update(c.nextSeq());
    if (inv.notBefore() != null && inv.notBefore() > now) {
      byte[] key = BufferKeys.time(inv.notBefore(), seq);
      delayed.put(key, inv);
      nextDelayedAt.update(earliest(nextDelayedAt.value(), inv.notBefore()));
      index(inv, deadline, seq, locator(DELAYED, key));
      counts.update(counts().add(0, 1, 0));
      return null;
    }
    putInBuffer(inv, deadline, seq);
    return inv.id();
  }

  private void putInBuffer(Invocation inv, Long deadline, long seq) throws Exception {
    byte[] key = BufferKeys.order(inv, deadline == null ? Long.MAX_VALUE : deadline, seq);
    buffer.put(key, inv);
    index(inv, deadline, seq, locator(IN_BUFFER, key));
    counts.update(counts().add(1, 0, 0));
  }

  private void index(Invocation inv, Long deadline, long seq, byte[] locator) throws Exception {
    byId.put(inv.id(), locator);
    if (deadline != null) {
      byDeadline.put(BufferKeys.time(deadline, seq), locator);
      nextDeadlineAt.update(earliest(nextDeadlineAt.value(), deadline));
    }
  }

  private void cancel(String id, long now, ReadOnlyContext ctx) throws Exception {
    byte[] locator = byId.get(id);
    if (locator == null) {
      // Not waiting here: cancel it on arrival if it has not come yet, else it is too late.
      if (!seen.contains(id)) seen.put(id, CANCELLED_EARLY);
      return;
    }
    Invocation inv = remove(locator);
    finish(
        inv,
        OutcomeStatus.CANCELLED,
        ReasonCode.CANCELLED_BY_REQUEST,
        "cancelled after waiting " + waited(inv, now) + " ms",
        now,
        ctx);
    cancelledCount.inc();
    addStats(now, ctx.timerService(), 0, 0, 0, 0, 1, 0);
  }

  private void release(String id) throws Exception {
    if (inFlight.contains(id)) {
      inFlight.remove(id);
      counts.update(counts().add(0, 0, -1));
    }
  }

  /** Promotes, expires and dispatches what it can, then sleeps until something can change. */
  private void pump(
      String key,
      TenantSettings tenant,
      long now,
      TimerService timers,
      ReadOnlyContext ctx,
      Collector<Invocation> out)
      throws Exception {
    promoteDue(now);
    expireDue(now, ctx);
    Counts c = counts();
    Long next = null;
    if (tenant != null) {
      FairShare.Demand demand = demand(tenant);
      if (c.buffered() > 0) fairShare.backlogged(key, demand); // current settings, before the rate
      double rate = fairShare.rate(key, demand, now);
      TokenBucket b = bucket.value();
      b = (b == null ? TokenBucket.full(tenant.burst(), now) : b).refill(now, rate, tenant.burst());
      int room =
          (int) Math.min(Math.min(c.buffered(), tenant.concurrency() - c.inFlight()), b.whole());
      // The first `room` keys in one pass: every seek walks the tombstones of earlier dispatches.
      List<byte[]> heads = new ArrayList<>(Math.max(0, room));
      for (Iterator<byte[]> it = buffer.keys().iterator(); heads.size() < room && it.hasNext(); ) {
        heads.add(it.next());
      }
      for (byte[] head : heads) {
        Invocation inv = remove(locator(IN_BUFFER, head));
        inFlight.put(inv.id(), now);
        counts.update(counts().add(0, 0, 1));
        b = b.take();
        dispatchedCount.inc();
        PeriodStats p = periodStats(now, timers);
        stats.update(p.dispatchedAfter(waited(inv, now)));
        out.collect(inv.withDispatchedAt(now));
      }
      c = counts();
      if (c.buffered() > 0) {
        fairShare.backlogged(key, demand);
        if (c.inFlight() < tenant.concurrency()) {
          // Waiting for a token; a result frees a concurrency slot without a timer.
          next = Math.min(b.nextTokenAt(rate), now + settings.maxWaitMs());
        }
      } else {
        fairShare.idle(key);
      }
      if (c.waiting() == 0 && b.fullAt(rate, tenant.burst()) <= now) {
        bucket.clear(); // a full bucket is the same as none
      } else {
        bucket.update(b);
        if (c.waiting() == 0) next = b.fullAt(rate, tenant.burst());
      }
    }
    if (c.waiting() == 0) {
      nextDelayedAt.clear();
      nextDeadlineAt.clear();
    }
    next = earliest(next, nextDelayedAt.value());
    next = earliest(next, nextDeadlineAt.value());
    if (c.isEmpty() && c.seq() != 0) counts.clear();
    schedule(next, timers);
  }

  private void promoteDue(long now) throws Exception {
    Long first = nextDelayedAt.value();
    if (first == null || first > now) return;
    List<Map.Entry<byte[], Invocation>> due = new ArrayList<>();
    Long later = null;
    for (Map.Entry<byte[], Invocation> e : delayed.entries()) {
      long at = BufferKeys.timeOf(e.getKey());
      if (at > now) {
        later = at;
        break;
      }
      due.add(Map.entry(e.getKey(), e.getValue()));
    }
    update(nextDelayedAt, later);
    for (Map.Entry<byte[], Invocation> e : due) {
      remove(locator(DELAYED, e.getKey()));
      Invocation inv = e.getValue();
      putInBuffer(inv, inv.deadline(), BufferKeys.seqOfTime(e.getKey()));
    }
  }

  private void expireDue(long now, ReadOnlyContext ctx) throws Exception {
    Long first = nextDeadlineAt.value();
    if (first == null || first > now) return;
    List<byte[]> due = new ArrayList<>();
    Long later = null;
    for (Map.Entry<byte[], byte[]> e : byDeadline.entries()) {
      long at = BufferKeys.timeOf(e.getKey());
      if (at > now) {
        later = at;
        break;
      }
      due.add(e.getValue());
    }
    update(nextDeadlineAt, later);
    for (byte[] locator : due) expire(remove(locator), now, ctx);
  }

  /** Takes an invocation out of the buffer or the delayed set, with its index entries. */
  private Invocation remove(byte[] locator) throws Exception {
    byte[] key = java.util.Arrays.copyOfRange(locator, 1, locator.length);
    Invocation inv;
    long seq;
    if (locator[0] == IN_BUFFER) {
      inv = buffer.get(key);
      buffer.remove(key);
      seq = BufferKeys.seqOf(key);
      counts.update(counts().add(-1, 0, 0));
    } else {
      inv = delayed.get(key);
      delayed.remove(key);
      seq = BufferKeys.seqOfTime(key);
      counts.update(counts().add(0, -1, 0));
    }
    byId.remove(inv.id());
    if (inv.deadline() != null) byDeadline.remove(BufferKeys.time(inv.deadline(), seq));
    return inv;
  }

  private void expire(Invocation inv, long now, ReadOnlyContext ctx) throws Exception {
    finish(
        inv,
        OutcomeStatus.EXPIRED,
        ReasonCode.DEADLINE_EXCEEDED,
        "not dispatched by its deadline; waited " + waited(inv, now) + " ms",
        now,
        ctx);
    expiredCount.inc();
    addStats(now, ctx.timerService(), 0, 0, 1, 0, 0, 0);
  }

  private void reject(
      Invocation inv, ReasonCode reason, String detail, long now, ReadOnlyContext ctx)
      throws Exception {
    finish(inv, OutcomeStatus.REJECTED, reason, detail, now, ctx);
    rejectedCount.inc();
    addStats(now, ctx.timerService(), 0, 0, 0, 1, 0, 0);
  }

  private void finish(
      Invocation inv,
      OutcomeStatus status,
      ReasonCode reason,
      String detail,
      long now,
      ReadOnlyContext ctx) {
    ctx.output(
        ParseInvocations.OUTCOMES,
        Outcome.beforeRun(inv, status, reason, detail, now, settings.region()));
  }

  private void addStats(
      long now,
      TimerService timers,
      long arrived,
      long throttled,
      long expired,
      long rejected,
      long cancelled,
      long duplicates)
      throws Exception {
    stats.update(
        periodStats(now, timers)
            .plus(arrived, throttled, expired, rejected, cancelled, duplicates));
  }

  private PeriodStats periodStats(long now, TimerService timers) throws Exception {
    PeriodStats p = stats.value();
    if (p == null) {
      long interval = settings.metricsIntervalMs();
      p = PeriodStats.start(now - Math.floorMod(now, interval));
      timers.registerProcessingTimeTimer(p.periodStart() + interval);
    }
    return p;
  }

  private void flushStats(String tenant, PeriodStats p, TimerService timers, ReadOnlyContext ctx)
      throws Exception {
    long end = p.periodStart() + settings.metricsIntervalMs();
    Counts c = counts();
    ctx.output(
        METRICS,
        new SchedulingMetrics(
            tenant,
            settings.region(),
            p.periodStart(),
            end,
            p.arrived(),
            p.dispatched(),
            p.throttled(),
            p.expired(),
            p.rejected(),
            p.cancelled(),
            p.duplicates(),
            c.waiting(),
            DelayHistogram.percentile(p.delays(), 0.5),
            DelayHistogram.percentile(p.delays(), 0.99),
            p.maxDelay()));
    stats.clear();
    if (c.waiting() > 0) {
      // Work still waits: report the next period too, even if nothing else happens in it.
      stats.update(PeriodStats.start(end));
      timers.registerProcessingTimeTimer(end + settings.metricsIntervalMs());
    }
  }

  private void schedule(Long next, TimerService timers) throws Exception {
    Long current = wakeAt.value();
    if (java.util.Objects.equals(current, next)) return;
    if (current != null && !isMetricsTimer(current)) timers.deleteProcessingTimeTimer(current);
    if (next == null) {
      wakeAt.clear();
    } else {
      timers.registerProcessingTimeTimer(next);
      wakeAt.update(next);
    }
  }

  private boolean isMetricsTimer(long at) throws Exception {
    PeriodStats p = stats.value();
    return p != null && p.periodStart() + settings.metricsIntervalMs() == at;
  }

  private Counts counts() throws Exception {
    Counts c = counts.value();
    return c == null ? Counts.EMPTY : c;
  }

  private static FairShare.Demand demand(TenantSettings t) {
    return new FairShare.Demand(t.weight(), t.rate(), t.opportunisticRate());
  }

  private static void update(ValueState<Long> state, Long value) throws Exception {
    if (value == null) state.clear();
    else state.update(value);
  }

  private static Long earliest(Long a, Long b) {
    if (a == null) return b;
    if (b == null) return a;
    return Math.min(a, b);
  }

  private static byte[] locator(byte where, byte[] key) {
    byte[] l = new byte[key.length + 1];
    l[0] = where;
    System.arraycopy(key, 0, l, 1, key.length);
    return l;
  }

  /** Time in the queue: since it was submitted, or since it became due when it was delayed. */
  private static long waited(Invocation inv, long now) {
    long from = Math.max(inv.submittedAt(), inv.notBefore() == null ? 0 : inv.notBefore());
    return Math.max(0, now - from);
  }

  private static Invocation withDeadline(Invocation inv, long deadline) {
    return new Invocation(
        inv.id(),
        inv.tenant(),
        inv.function(),
        inv.criticality(),
        inv.priority(),
        inv.submittedAt(),
        inv.notBefore(),
        deadline,
        inv.attempt(),
        inv.maxAttempts(),
        inv.payload(),
        inv.attributes(),
        inv.dispatchedAt(),
        inv.extra());
  }
}
