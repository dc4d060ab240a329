package io.xfaas.scheduler.functions;

import io.xfaas.records.Criticality;
import io.xfaas.records.FunctionFeedback;
import io.xfaas.records.Invocation;
import io.xfaas.records.LoadReport;
import io.xfaas.records.Outcome;
import io.xfaas.records.OutcomeStatus;
import io.xfaas.records.ReasonCode;
import io.xfaas.records.SchedulingDecision;
import io.xfaas.records.SchedulingMetrics;
import io.xfaas.records.TenantSettings;
import io.xfaas.scheduler.buffer.BufferKeys;
import io.xfaas.scheduler.buffer.CachedValue;
import io.xfaas.scheduler.buffer.ControlEvent;
import io.xfaas.scheduler.buffer.Counts;
import io.xfaas.scheduler.buffer.DelayHistogram;
import io.xfaas.scheduler.buffer.FairShare;
import io.xfaas.scheduler.buffer.PeriodStats;
import io.xfaas.scheduler.buffer.SubtaskLoad;
import io.xfaas.scheduler.buffer.TenantConfigUpdate;
import io.xfaas.scheduler.buffer.TenantEvent;
import io.xfaas.scheduler.buffer.TokenBucket;
import io.xfaas.scheduler.pacing.FunctionPacer;
import io.xfaas.scheduler.pacing.PacingSettings;
import io.xfaas.scheduler.pacing.UtilizationController;
import io.xfaas.scheduler.pacing.UtilizationSettings;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The FuncBuffer: keyed by tenant, it holds each tenant's waiting invocations in RocksDB map state
 * sorted in dispatch order (criticality, deadline, priority, arrival) and releases them to RunQ
 * under the tenant's quota (token bucket rate and burst, concurrency), its fair share of the
 * region's capacity, and {@code notBefore}. A timer expires what cannot be dispatched by its
 * deadline. Duplicate ids are dropped, cancel requests honoured, and settings follow the config
 * topic (broadcast state) without a restart. One timer per tenant at most, plus one for metrics; an
 * idle tenant has neither, and no state but the ids it remembers for deduplication.
 *
 * <p>The closed loop: the sidecars' feedback (broadcast with the settings) paces each function
 * ({@link FunctionPacer}): a call whose function is out of pace is parked in the tenant's {@code
 * paced} map, so the calls behind it keep flowing, and leaves at the function's pace. The {@link
 * UtilizationController} holds DEFERRABLE calls and opportunistic quota while the region is busy
 * and lets them go into the next trough, or by their latest start. Every hold, throttle, deferral
 * and release is a {@link SchedulingDecision} on a side output and a count in the metrics.
 */
public final class FuncBufferFunction
    extends KeyedBroadcastProcessFunction<String, TenantEvent, ControlEvent, Invocation> {
  private static final Logger LOG = LoggerFactory.getLogger(FuncBufferFunction.class);

  public static final MapStateDescriptor<String, TenantSettings> SETTINGS =
      new MapStateDescriptor<>(
          "tenant-settings", Types.STRING, TypeInformation.of(TenantSettings.class));
  public static final OutputTag<SchedulingMetrics> METRICS = new OutputTag<>("metrics") {};
  public static final OutputTag<SchedulingDecision> DECISIONS = new OutputTag<>("decisions") {};
  public static final OutputTag<LoadReport> LOAD = new OutputTag<>("load") {};

  /** Most parked or passed-over calls one wake-up looks at; the rest wait for the next. */
  private static final int SCAN_LIMIT = 256;

  /** Marks an id cancelled before its invocation arrived. */
  private static final int CANCELLED_EARLY = -1;

  private static final byte IN_BUFFER = 'B';
  private static final byte DELAYED = 'D';
  private static final byte PACED = 'P';

  private final Settings settings;

  private transient MapState<byte[], Invocation> buffer;
  private transient MapState<byte[], Invocation> delayed;
  private transient MapState<byte[], Invocation> paced;
  private transient MapState<byte[], byte[]> byDeadline;
  private transient MapState<String, byte[]> byId;
  private transient MapState<String, Long> inFlight;
  private transient MapState<String, Integer> seen;
  private transient CachedValue<Counts> counts;
  private transient CachedValue<TokenBucket> bucket;
  private transient CachedValue<Long> wakeAt;
  // Earliest notBefore / deadline held (or earlier: removals leave it, and a wake-up that finds
  // nothing due recomputes it). Saves an iterator seek per event over RocksDB tombstones.
  private transient CachedValue<Long> nextDelayedAt;
  private transient CachedValue<Long> nextDeadlineAt;
  private transient CachedValue<PeriodStats> stats;
  private transient FairShare fairShare;
  private transient FunctionPacer pacer;
  private transient UtilizationController utilization;
  private transient SubtaskLoad load;
  private transient long nextLoadReportAt;
  private transient String reporter;
  // Set by pump for the arrival it was called for: why that call still waits.
  private transient String waitReason;
  private transient String waitDetail;
  private transient Counter arrivedCount;
  private transient Counter dispatchedCount;
  private transient Counter throttledCount;
  private transient Counter expiredCount;
  private transient Counter rejectedCount;
  private transient Counter cancelledCount;
  private transient Counter duplicateCount;
  private transient Counter pacedCount;
  private transient Counter deferredCount;
  private transient Counter releasedCount;

  /**
   * @param region stamped on outcomes and metrics
   * @param capacityPerSecond the region's dispatch capacity, split evenly between subtasks
   * @param unknownTenant settings for tenants without any; null to reject them
   * @param metricsIntervalMs period of the per-tenant metrics records
   * @param dedupWindow how long ids are remembered
   * @param maxWaitMs longest a backlogged tenant sleeps between looks at its quota, so that a new
   *     rate or a freed share applies within this time
   * @param pacing how functions are paced from feedback
   * @param utilization when DEFERRABLE work is held; its configured capacity is the one above
   * @param loadReportIntervalMs how often each subtask writes a load report
   */
  public record Settings(
      String region,
      double capacityPerSecond,
      TenantSettings unknownTenant,
      long metricsIntervalMs,
      Duration dedupWindow,
      long maxWaitMs,
      PacingSettings pacing,
      UtilizationSettings utilization,
      long loadReportIntervalMs)
      implements Serializable {

    /** The closed loop's defaults: pacing on, utilization target 0.8, load reports every 1 s. */
    public Settings(
        String region,
        double capacityPerSecond,
        TenantSettings unknownTenant,
        long metricsIntervalMs,
        Duration dedupWindow,
        long maxWaitMs) {
      this(
          region,
          capacityPerSecond,
          unknownTenant,
          metricsIntervalMs,
          dedupWindow,
          maxWaitMs,
          PacingSettings.defaults(),
          UtilizationSettings.defaults(capacityPerSecond),
          1000);
    }
  }

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
    paced = ctx.getMapState(new MapStateDescriptor<>("paced", bytes, invocation));
    byDeadline = ctx.getMapState(new MapStateDescriptor<>("by-deadline", bytes, bytes));
    byId = ctx.getMapState(new MapStateDescriptor<>("by-id", Types.STRING, bytes));
    inFlight = ctx.getMapState(new MapStateDescriptor<>("in-flight", Types.STRING, Types.LONG));
    MapStateDescriptor<String, Integer> seenDescriptor =
        new MapStateDescriptor<>("seen", Types.STRING, Types.INT);
    seenDescriptor.enableTimeToLive(StateTtlConfig.newBuilder(settings.dedupWindow()).build());
    seen = ctx.getMapState(seenDescriptor);
    counts =
        new CachedValue<>(
            ctx.getState(new ValueStateDescriptor<>("counts", TypeInformation.of(Counts.class))));
    // A bucket left behind by a tenant gone idle is full, the same as none: TTL removes it
    // instead of a timer per tenant.
    ValueStateDescriptor<TokenBucket> bucketDescriptor =
        new ValueStateDescriptor<>("bucket", TypeInformation.of(TokenBucket.class));
    bucketDescriptor.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofHours(1)).build());
    bucket = new CachedValue<>(ctx.getState(bucketDescriptor));
    wakeAt = new CachedValue<>(ctx.getState(new ValueStateDescriptor<>("wake-at", Types.LONG)));
    nextDelayedAt =
        new CachedValue<>(ctx.getState(new ValueStateDescriptor<>("next-delayed-at", Types.LONG)));
    nextDeadlineAt =
        new CachedValue<>(ctx.getState(new ValueStateDescriptor<>("next-deadline-at", Types.LONG)));
    stats =
        new CachedValue<>(
            ctx.getState(
                new ValueStateDescriptor<>("period", TypeInformation.of(PeriodStats.class))));
    int subtasks = ctx.getTaskInfo().getNumberOfParallelSubtasks();
    fairShare = new FairShare(settings.capacityPerSecond() / subtasks, 100);
    pacer = new FunctionPacer(settings.pacing(), subtasks);
    utilization = new UtilizationController(settings.utilization(), subtasks);
    load = null; // started at the first event, on the timer service's clock
    reporter = "scheduler-" + ctx.getTaskInfo().getIndexOfThisSubtask();

    var metrics = ctx.getMetricGroup();
    arrivedCount = metrics.counter("invocationsArrived");
    dispatchedCount = metrics.counter("invocationsDispatched");
    throttledCount = metrics.counter("invocationsThrottled");
    expiredCount = metrics.counter("invocationsExpired");
    rejectedCount = metrics.counter("invocationsRejectedByQuota");
    cancelledCount = metrics.counter("invocationsCancelled");
    duplicateCount = metrics.counter("duplicateSubmissions");
    pacedCount = metrics.counter("invocationsPaced");
    deferredCount = metrics.counter("invocationsDeferred");
    releasedCount = metrics.counter("invocationsReleased");
    metrics.gauge("regionUtilization", () -> utilization.utilization(System.currentTimeMillis()));
    metrics.gauge(
        "measuredCapacity", () -> utilization.capacityPerSecond(System.currentTimeMillis()));
    metrics.gauge("holdingDeferrable", () -> utilization.holding() ? 1 : 0);
    metrics.gauge("backloggedTenants", () -> fairShare.backloggedTenants());
  }

  @Override
  public void processElement(TenantEvent event, ReadOnlyContext ctx, Collector<Invocation> out)
      throws Exception {
    long now = ctx.timerService().currentProcessingTime();
    startLoad(now);
    TenantSettings tenant = resolve(ctx.getBroadcastState(SETTINGS), event.tenant());
    String throttleWatch = null;
    if (event.invocation() != null) {
      throttleWatch = arrive(event.invocation(), tenant, now, ctx, out);
      if (throttleWatch == DISPATCHED) {
        // The fast path: nothing was waiting and the call went at once; no pump needed.
        flushState();
        reportLoad(now, ctx);
        return;
      }
    } else if (event.cancelId() != null) {
      cancel(event.cancelId(), now, ctx);
    } else if (event.result() != null) {
      release(event.result().id());
    }
    pump(ctx.getCurrentKey(), tenant, now, ctx.timerService(), ctx, out, throttleWatch);
    if (throttleWatch != null) {
      byte[] where = byId.get(throttleWatch);
      // Still here and not parked (a parked call has its PACED record already): say why it waits.
      if (where != null && where[0] == IN_BUFFER) {
        Invocation inv = event.invocation();
        if (SchedulingDecision.DEFERRED.equals(waitReason)
            && inv.criticality() == Criticality.DEFERRABLE) {
          decide(inv, SchedulingDecision.DEFERRED, waitDetail, now, ctx);
        } else {
          throttledCount.inc();
          addStats(now, ctx.timerService(), 0, 1, 0, 0, 0, 0);
          decide(inv, SchedulingDecision.THROTTLED, waitReason, now, ctx);
        }
      }
    }
    flushState();
    reportLoad(now, ctx);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Invocation> out)
      throws Exception {
    long now = timestamp;
    startLoad(now);
    if (wakeAt.value() != null && wakeAt.value() <= now) wakeAt.clear();
    PeriodStats period = stats.value();
    if (period != null && period.periodStart() + settings.metricsIntervalMs() <= now) {
      flushStats(ctx.getCurrentKey(), period, ctx.timerService(), ctx);
    }
    TenantSettings tenant = resolve(ctx.getBroadcastState(SETTINGS), ctx.getCurrentKey());
    pump(ctx.getCurrentKey(), tenant, now, ctx.timerService(), ctx, out, null);
    flushState();
    reportLoad(now, ctx);
  }

  @Override
  public void processBroadcastElement(ControlEvent event, Context ctx, Collector<Invocation> out)
      throws Exception {
    if (event.feedback() != null) {
      feedback(event.feedback(), ctx.currentProcessingTime());
      return;
    }
    TenantConfigUpdate update = event.config();
    if (update.settings() == null) {
      ctx.getBroadcastState(SETTINGS).remove(update.tenant());
    } else {
      ctx.getBroadcastState(SETTINGS).put(update.tenant(), update.settings());
      // Other tenants' shares move now; this tenant's own quota at its next wake-up.
      fairShare.updateIfBacklogged(update.tenant(), demand(update.settings()));
    }
  }

  /** Learns from one sidecar report: the function's pace, the region's utilization and capacity. */
  private void feedback(FunctionFeedback f, long now) {
    pacer.onFeedback(f, now, change -> LOG.info("{} pacing {}", reporter, change));
    utilization.onFeedback(f);
    String change = utilization.update(now);
    if (change != null) LOG.info("{} {}", reporter, change);
    int subtasks = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
    fairShare.capacity(utilization.capacityPerSecond(now) / subtasks);
  }

  private TenantSettings resolve(ReadOnlyBroadcastState<String, TenantSettings> all, String tenant)
      throws Exception {
    TenantSettings s = all.get(tenant);
    return s != null ? s : settings.unknownTenant();
  }

  /** What {@link #arrive} returns for a call it dispatched at once. */
  private static final String DISPATCHED = new String("dispatched");

  /**
   * Admits one arrival; returns its id when it waits in the buffer (to count throttling), {@link
   * #DISPATCHED} when it went at once.
   */
  private String arrive(
      Invocation inv,
      TenantSettings tenant,
      long now,
      ReadOnlyContext ctx,
      Collector<Invocation> out)
      throws Exception {
    arrivedCount.inc();
    load.arrived();
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
    boolean due = inv.notBefore() == null || inv.notBefore() <= now;
    if (due && c.waiting() == 0 && dispatchNow(inv, tenant, now, ctx, out)) return DISPATCHED;
    long seq = c.seq();
    counts.update(c.nextSeq());
    if (!due) {
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

  /**
   * The fast path for a tenant with nothing waiting: dispatches {@code inv} without touching the
   * buffer when its quota, its share, its function's pace and the utilization controller all let it
   * go now. Otherwise the caller buffers it and the pump decides, and says why.
   */
  private boolean dispatchNow(
      Invocation inv,
      TenantSettings tenant,
      long now,
      ReadOnlyContext ctx,
      Collector<Invocation> out)
      throws Exception {
    Counts c = counts();
    if (c.inFlight() >= tenant.concurrency()) return false;
    FairShare.Demand demand = demand(tenant, utilization.holding());
    double rate = fairShare.rate(inv.tenant(), demand, now);
    TokenBucket b = bucket.value();
    b = (b == null ? TokenBucket.full(tenant.burst(), now) : b).refill(now, rate, tenant.burst());
    if (!b.hasToken()) return false;
    if (inv.criticality() == Criticality.DEFERRABLE
        && !dueByDeadline(inv, now)
        && !utilization.tryRelease(now)) {
      return false;
    }
    if (!pacer.tryAcquire(inv.function(), now)) return false;
    b = b.take();
    if (b.fullAt(rate, tenant.burst()) <= now) {
      if (bucket.value() != null) bucket.clear();
    } else {
      bucket.update(b);
    }
    inFlight.put(inv.id(), now);
    counts.update(c.add(0, 0, 1));
    dispatchedCount.inc();
    load.dispatched(inv.criticality());
    stats.update(periodStats(now, ctx.timerService()).dispatchedAfter(waited(inv, now)));
    out.collect(inv.withDispatchedAt(now));
    return true;
  }

  private void putInBuffer(Invocation inv, Long deadline, long seq) throws Exception {
    byte[] key = BufferKeys.order(inv, deadline == null ? Long.MAX_VALUE : deadline, seq);
    buffer.put(key, inv);
    index(inv, deadline, seq, locator(IN_BUFFER, key));
    counts.update(counts().add(1, 0, 0));
  }

  private void index(Invocation inv, Long deadline, long seq, byte[] locator) throws Exception {
    load.waiting(inv.criticality(), 1);
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

  /**
   * Promotes, expires and dispatches what it can, then sleeps until something can change. When
   * called for an arrival ({@code arriving} = its id), leaves why it still waits, if it does, in
   * {@link #waitReason} and {@link #waitDetail}.
   */
  private void pump(
      String key,
      TenantSettings tenant,
      long now,
      TimerService timers,
      ReadOnlyContext ctx,
      Collector<Invocation> out,
      String arriving)
      throws Exception {
    waitReason = null;
    waitDetail = null;
    boolean hadWaiting = counts().waiting() > 0;
    if (hadWaiting) {
      promoteDue(now);
      expireDue(now, ctx);
    }
    Counts c = counts();
    Long next = null;
    if (tenant != null) {
      boolean holding = utilization.holding();
      FairShare.Demand demand = demand(tenant, holding);
      if (c.buffered() > 0) fairShare.backlogged(key, demand); // current settings, before the rate
      double rate = fairShare.rate(key, demand, now);
      TokenBucket b = bucket.value();
      b = (b == null ? TokenBucket.full(tenant.burst(), now) : b).refill(now, rate, tenant.burst());
      int room =
          (int) Math.min(Math.min(c.buffered(), tenant.concurrency() - c.inFlight()), b.whole());
      // What goes, in one pass over each map: every seek walks the tombstones of earlier
      // dispatches.
      List<Map.Entry<byte[], Invocation>> go = new ArrayList<>(Math.max(0, room));
      List<Map.Entry<byte[], Invocation>> park = new ArrayList<>();
      int fromPaced = 0;
      boolean scanLimited = false;
      Long releaseAt = null; // the first held DEFERRABLE call's latest start
      java.util.Set<String> forced = null; // DEFERRABLE calls going because their latest start came
      if (room > 0 && c.paced() > 0) {
        int looked = 0;
        for (Map.Entry<byte[], Invocation> e : paced.entries()) {
          if (go.size() >= room) break;
          if (++looked > SCAN_LIMIT) {
            scanLimited = true;
            break;
          }
          if (pacer.tryAcquire(e.getValue().function(), now)) go.add(e);
        }
        fromPaced = go.size();
      }
      // A held DEFERRABLE call whose latest start has come goes even without a token (the tenant
      // owes it: the bucket goes negative) so that fair share cannot make it miss its deadline;
      // never beyond the tenant's concurrency.
      int concurrencyRoom = Math.min(c.buffered(), tenant.concurrency() - c.inFlight());
      int passed = 0;
      if (go.size() < concurrencyRoom && c.buffered() > c.paced()) {
        for (Map.Entry<byte[], Invocation> e : buffer.entries()) {
          if (go.size() >= concurrencyRoom) break;
          if (park.size() >= SCAN_LIMIT || passed >= SCAN_LIMIT) {
            scanLimited = true;
            break;
          }
          Invocation inv = e.getValue();
          boolean deferrable = inv.criticality() == Criticality.DEFERRABLE;
          boolean due = deferrable && dueByDeadline(inv, now);
          if (go.size() >= room && !due) {
            // Out of tokens: only calls due by their deadline may still go.
            if (deferrable) break; // the rest sort by deadline: none of them is due
            passed++;
            continue;
          }
          if (due) {
            if (!utilization.tryReleaseDue(now, load.nonDeferrableRate())) {
              // Due calls leave at the drain rate; the rest sort after them by deadline.
              releaseAt = utilization.nextDueReleaseAt(now, load.nonDeferrableRate());
              if (arriving != null) deferred(holding);
              break;
            }
            if (forced == null) forced = new java.util.HashSet<>();
            forced.add(inv.id());
          } else if (deferrable) {
            if (!utilization.tryRelease(now)) {
              // DEFERRABLE calls sort last, by deadline: the rest are held too.
              releaseAt = inv.deadline() == null ? null : latestStart(inv, now);
              if (arriving != null) deferred(holding);
              break;
            }
          }
          if (!pacer.tryAcquire(inv.function(), now)) {
            park.add(Map.entry(e.getKey(), inv));
            continue;
          }
          go.add(Map.entry(e.getKey(), inv));
        }
      }
      for (Map.Entry<byte[], Invocation> e : park) park(e.getKey(), e.getValue(), now, ctx);
      for (int i = 0; i < go.size(); i++) {
        byte where = i < fromPaced ? PACED : IN_BUFFER;
        Invocation inv = remove(locator(where, go.get(i).getKey()), go.get(i).getValue());
        inFlight.put(inv.id(), now);
        counts.update(counts().add(0, 0, 1));
        b = b.take();
        dispatchedCount.inc();
        load.dispatched(inv.criticality());
        PeriodStats p = periodStats(now, timers);
        stats.update(p.dispatchedAfter(waited(inv, now)));
        if (!inv.id().equals(arriving)) {
          released(inv, where, forced != null && forced.contains(inv.id()), now, ctx);
        }
        out.collect(inv.withDispatchedAt(now));
      }
      c = counts();
      if (c.buffered() > 0) {
        fairShare.backlogged(key, demand);
        if (c.inFlight() < tenant.concurrency()) {
          if (!b.hasToken()) {
            next = b.nextTokenAt(rate);
            // A held call due by its latest start goes without a token: wake for it.
            if (releaseAt != null) next = Math.min(next, Math.max(now + 1, releaseAt));
          } else {
            // Tokens left, yet work waits: parked behind a pace, held, or past the scan limit.
            long wake = now + settings.maxWaitMs();
            if (scanLimited) wake = now + 1;
            if (c.paced() > 0) {
              Long paceAt = pacer.earliestTokenAt(now);
              wake = Math.min(wake, Math.max(now + 1, paceAt == null ? now : paceAt));
            }
            if (releaseAt != null) wake = Math.min(wake, Math.max(now + 1, releaseAt));
            next = wake;
          }
          next = Math.min(next, now + settings.maxWaitMs());
        }
      } else {
        fairShare.idle(key);
      }
      if (arriving != null && waitReason == null) {
        waitReason = whyWaiting(tenant, c, b, rate);
      }
      if (b.fullAt(rate, tenant.burst()) <= now) {
        if (bucket.value() != null) bucket.clear(); // a full bucket is the same as none
      } else {
        bucket.update(b); // no timer to forget it: it is full by its next use, or TTL drops it
      }
    }
    if (c.waiting() == 0) {
      if (hadWaiting) {
        nextDelayedAt.clear();
        nextDeadlineAt.clear();
      }
    } else {
      next = earliest(next, nextDelayedAt.value());
      next = earliest(next, nextDeadlineAt.value());
    }
    if (c.isEmpty() && c.seq() != 0) counts.clear();
    schedule(next, timers);
  }

  /** The call that arrived now waits as held DEFERRABLE work. */
  private void deferred(boolean holding) {
    waitReason = SchedulingDecision.DEFERRED;
    waitDetail = holding ? "UTILIZATION_HIGH" : "FILLING_TROUGH";
  }

  /** Why a call that arrived now still waits, from the tenant's quota as the pump left it. */
  private String whyWaiting(TenantSettings tenant, Counts c, TokenBucket b, double rate) {
    if (c.inFlight() >= tenant.concurrency()) return "TENANT_CONCURRENCY";
    if (!b.hasToken()) return rate < tenant.rate() ? "FAIR_SHARE" : "TENANT_RATE";
    return "BEHIND_EARLIER_CALLS";
  }

  /** A DEFERRABLE call whose latest start has come goes whatever the utilization. */
  private boolean dueByDeadline(Invocation inv, long now) {
    return inv.deadline() != null && latestStart(inv, now) <= now;
  }

  /** Deadline − run time − margin − the time to run the DEFERRABLE calls held with it. */
  private long latestStart(Invocation inv, long now) {
    return utilization.latestStart(
        inv.function(),
        inv.deadline(),
        load.waiting(Criticality.DEFERRABLE),
        now,
        load.nonDeferrableRate());
  }

  /** Moves a call whose function is out of pace from the buffer to the tenant's paced map. */
  private void park(byte[] key, Invocation inv, long now, ReadOnlyContext ctx) throws Exception {
    buffer.remove(key);
    paced.put(key, inv);
    byte[] locator = locator(PACED, key);
    byId.put(inv.id(), locator);
    if (inv.deadline() != null) {
      byDeadline.put(BufferKeys.time(inv.deadline(), BufferKeys.seqOf(key)), locator);
    }
    counts.update(counts().addPaced(1));
    pacedCount.inc();
    decide(
        inv,
        SchedulingDecision.PACED,
        "FUNCTION_PACED",
        now,
        ctx,
        String.format(
            java.util.Locale.ROOT,
            "function %s is paced at %.1f calls/s (its downstream is slow)",
            inv.function(),
            pacer.rate(inv.function())));
  }

  private void released(
      Invocation inv, byte where, boolean byDeadline, long now, ReadOnlyContext ctx) {
    String reason;
    if (where == PACED) reason = "FUNCTION_PACE";
    else if (byDeadline) reason = "DEADLINE";
    else if (inv.criticality() == Criticality.DEFERRABLE) reason = "SPARE_CAPACITY";
    else reason = "QUOTA";
    releasedCount.inc();
    decide(
        inv,
        SchedulingDecision.RELEASED,
        reason,
        now,
        ctx,
        "after waiting " + waited(inv, now) + " ms");
  }

  private void decide(Invocation inv, String decision, String reason, long now, ReadOnlyContext ctx)
      throws Exception {
    if (SchedulingDecision.DEFERRED.equals(decision)) deferredCount.inc();
    decide(inv, decision, reason, now, ctx, null);
  }

  private void decide(
      Invocation inv,
      String decision,
      String reason,
      long now,
      ReadOnlyContext ctx,
      String detail) {
    ctx.output(
        DECISIONS,
        new SchedulingDecision(
            inv.id(),
            inv.tenant(),
            inv.function(),
            inv.criticality(),
            settings.region(),
            decision,
            reason,
            now,
            detail));
    try {
      PeriodStats p = periodStats(now, ctx.timerService());
      stats.update(
          p.decided(
              SchedulingDecision.PACED.equals(decision) ? 1 : 0,
              SchedulingDecision.DEFERRED.equals(decision) ? 1 : 0,
              SchedulingDecision.RELEASED.equals(decision) ? 1 : 0));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private void startLoad(long now) {
    if (load != null) return;
    load = new SubtaskLoad(now);
    nextLoadReportAt = now + settings.loadReportIntervalMs();
  }

  /** Writes this subtask's load report when one is due. */
  private void reportLoad(long now, ReadOnlyContext ctx) {
    if (now < nextLoadReportAt) return;
    String change = utilization.update(now);
    if (change != null) LOG.info("{} {}", reporter, change);
    ctx.output(LOAD, load.report(settings.region(), reporter, now));
    nextLoadReportAt = now + settings.loadReportIntervalMs();
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
    return remove(locator, null);
  }

  /** As {@link #remove(byte[])}, when the caller has read the invocation already. */
  private Invocation remove(byte[] locator, Invocation known) throws Exception {
    byte[] key = java.util.Arrays.copyOfRange(locator, 1, locator.length);
    Invocation inv;
    long seq;
    if (locator[0] == IN_BUFFER) {
      inv = known != null ? known : buffer.get(key);
      buffer.remove(key);
      seq = BufferKeys.seqOf(key);
      counts.update(counts().add(-1, 0, 0));
    } else if (locator[0] == PACED) {
      inv = known != null ? known : paced.get(key);
      paced.remove(key);
      seq = BufferKeys.seqOf(key);
      counts.update(counts().add(-1, 0, 0).addPaced(-1));
    } else {
      inv = known != null ? known : delayed.get(key);
      delayed.remove(key);
      seq = BufferKeys.seqOfTime(key);
      counts.update(counts().add(0, -1, 0));
    }
    byId.remove(inv.id());
    if (inv.deadline() != null) byDeadline.remove(BufferKeys.time(inv.deadline(), seq));
    load.waiting(inv.criticality(), -1);
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
            p.maxDelay(),
            p.paced(),
            p.deferred(),
            p.released()));
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
    return demand(t, false);
  }

  /** While the region is busy, opportunistic quota waits with the DEFERRABLE work. */
  private static FairShare.Demand demand(TenantSettings t, boolean holding) {
    return new FairShare.Demand(t.weight(), t.rate(), holding ? 0 : t.opportunisticRate());
  }

  private void flushState() throws Exception {
    counts.flush();
    bucket.flush();
    wakeAt.flush();
    nextDelayedAt.flush();
    nextDeadlineAt.flush();
    stats.flush();
  }

  private static void update(CachedValue<Long> state, Long value) throws Exception {
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
