package io.xfaas.scheduler.buffer;

import io.xfaas.records.Criticality;
import io.xfaas.records.DecisionReason;
import io.xfaas.records.FunctionFeedback;
import io.xfaas.records.Invocation;
import io.xfaas.records.Outcome;
import io.xfaas.records.OutcomeStatus;
import io.xfaas.records.ReasonCode;
import io.xfaas.records.SchedulingDecision;
import io.xfaas.records.SerializedOutcome;
import io.xfaas.records.TenantSettings;
import io.xfaas.scheduler.buffer.ArrivalCheck.Arrival;
import io.xfaas.scheduler.buffer.TenantQueue.Place;
import io.xfaas.scheduler.pacing.FunctionPacer;
import io.xfaas.scheduler.pacing.PacingSettings;
import io.xfaas.scheduler.pacing.UtilizationController;
import io.xfaas.scheduler.pacing.UtilizationSettings;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The FuncBuffer's policy, without Flink: one scheduler subtask's tenants, each with its waiting
 * invocations in dispatch order (criticality, deadline, priority, arrival), released to RunQ under
 * the tenant's quota (token bucket rate and burst, concurrency), its fair share of the subtask's
 * capacity and {@code notBefore}; expired at their deadline; deduplicated by id; cancelled on
 * request. Functions out of pace park their calls so the calls behind keep flowing; DEFERRABLE work
 * waits while the region is busy. Every wait is a {@link SchedulingDecision}.
 *
 * <p>Each event reads the tenant's {@link TenantRecord} once and writes it once; a call that can go
 * at once never enters the buffer. The shell ({@code FuncBufferFunction}) hands each event to one
 * of {@link #onArrival}, {@link #onCancel}, {@link #onResult}, {@link #onTimer}, with the tenant's
 * {@link TenantStore} and the time.
 */
public final class FuncBuffer {
  private static final Logger LOG = LoggerFactory.getLogger(FuncBuffer.class);

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

  private final Settings settings;
  private final int subtasks;
  private final String reporter;
  private final FuncBufferOutput out;
  private final FairShare fairShare;
  private final FunctionPacer pacer;
  private final UtilizationController utilization;
  private final PeriodMetrics metrics;
  private final WakePolicy wakePolicy;
  private SubtaskLoad load;
  private long[] restoredWaiting; // until the first event creates the load
  private DispatchPlanner planner;
  private long nextLoadReportAt;
  private Long sweepAt; // the subtask's one metrics timer, on tenant sweepTenant
  private String sweepTenant;

  public FuncBuffer(Settings settings, int subtasks, String reporter, FuncBufferOutput out) {
    this.settings = settings;
    this.subtasks = subtasks;
    this.reporter = reporter;
    this.out = out;
    fairShare = new FairShare(settings.capacityPerSecond() / subtasks, 100);
    pacer = new FunctionPacer(settings.pacing(), subtasks);
    utilization = new UtilizationController(settings.utilization(), subtasks);
    metrics = new PeriodMetrics(settings.region(), settings.metricsIntervalMs());
    wakePolicy = new WakePolicy(settings.maxWaitMs());
  }

  public UtilizationController utilization() {
    return utilization;
  }

  public FairShare fairShare() {
    return fairShare;
  }

  public PeriodMetrics metrics() {
    return metrics;
  }

  /** The calls waiting in this subtask by criticality, for a checkpoint. */
  public long[] waitingCounts() {
    if (load != null) return load.waitingCounts();
    return restoredWaiting != null
        ? restoredWaiting.clone()
        : new long[Criticality.values().length];
  }

  /** Takes back the waiting counts of a checkpoint of this same subtask. */
  public void restoreWaiting(long[] counts) {
    if (load != null) load.restoreWaiting(counts);
    else restoredWaiting = counts.clone();
  }

  /** The settings that apply to {@code tenant}: its own, else the unknown-tenant policy. */
  public TenantSettings settingsOf(TenantSettings own) {
    return own != null ? own : settings.unknownTenant();
  }

  /** One event's view of its tenant. */
  private final class Event {
    final TenantStore store;
    final String tenant;
    final TenantSettings settings;
    final long now;
    final TenantRecord record;
    PeriodMetrics.Period period;

    Event(TenantStore store, String tenant, TenantSettings settings, long now) {
      this.store = store;
      this.tenant = tenant;
      this.settings = settings;
      this.now = now;
      this.record = store.load();
    }

    void count(Tally t) {
      out.count(t);
      period().count(t);
    }

    PeriodMetrics.Period period() {
      period = linkedPeriod(true);
      return period;
    }

    /** The tenant's open period, if it has one; none is opened. */
    PeriodMetrics.Period existingPeriod() {
      return linkedPeriod(false);
    }

    /** This event's period, else the record's link, else one lookup by name (opening one). */
    private PeriodMetrics.Period linkedPeriod(boolean open) {
      if (period != null) return period;
      PeriodMetrics.Period p = record.openPeriod();
      if (p == null) {
        p = open ? openPeriod(tenant, now) : metrics.get(tenant);
        record.linkPeriod(p);
      }
      return p;
    }
  }

  /** The tenant's metrics period; the first one open sets the subtask's sweep timer. */
  private PeriodMetrics.Period openPeriod(String tenant, long now) {
    PeriodMetrics.Period p = metrics.open(tenant, now);
    if (sweepAt == null) sweepAt(metrics.nextBoundary(), tenant);
    return p;
  }

  public void onArrival(
      TenantStore store, String tenant, TenantSettings ts, Invocation inv, long now) {
    Event e = begin(store, tenant, ts, now);
    load.arrived();
    utilization.arrived(inv.criticality(), now);
    e.count(Tally.ARRIVED);
    CallEntry previous = store.call(inv.id());
    if (previous != null
        && previous.is(CallEntry.Status.IN_FLIGHT)
        && previous.attempt() < inv.attempt()) {
      e.record.slotFreed(); // a retry: its previous attempt is over
    }
    Invocation waiting = null;
    Arrival a = ArrivalCheck.check(inv, previous, e.settings, e.record.waiting(), now);
    if (a instanceof Arrival.Duplicate) {
      e.count(Tally.DUPLICATE);
    } else if (a instanceof Arrival.Cancelled) {
      store.call(inv.id(), CallEntry.done(inv.attempt()));
      finish(
          e,
          inv,
          OutcomeStatus.CANCELLED,
          ReasonCode.CANCELLED_BY_REQUEST,
          "cancelled before it arrived",
          Tally.CANCELLED);
    } else if (a instanceof Arrival.Rejected r) {
      store.call(inv.id(), CallEntry.done(inv.attempt()));
      finish(e, r.inv(), OutcomeStatus.REJECTED, r.reason(), r.detail(), Tally.REJECTED);
    } else if (a instanceof Arrival.Expired x) {
      store.call(inv.id(), CallEntry.done(inv.attempt()));
      expire(e, x.inv());
    } else if (a instanceof Arrival.Delayed d) {
      delay(e, d.inv());
    } else if (a instanceof Arrival.Queued q) {
      waiting = enqueue(e, q.inv(), e.record.takeSeq());
    } else if (a instanceof Arrival.TryNow t) {
      if (dispatchNow(e, t.inv())) {
        end(e);
        return;
      }
      waiting = enqueue(e, t.inv(), e.record.takeSeq());
    }
    DispatchPlanner.Plan plan = pump(e, waiting);
    if (waiting != null && stillReady(plan, waiting)) {
      if (plan.held() != null && waiting.criticality() == Criticality.DEFERRABLE) {
        decide(e, waiting, Tally.DEFERRED, plan.held(), null);
      } else {
        decide(e, waiting, Tally.THROTTLED, lastQuota.whyWaiting(), null);
      }
    }
    end(e);
  }

  public void onCancel(TenantStore store, String tenant, TenantSettings ts, String id, long now) {
    Event e = begin(store, tenant, ts, now);
    CallEntry entry = store.call(id);
    if (entry == null) {
      // Not here yet: cancel it on arrival. Seen but not waiting: too late.
      store.call(id, CallEntry.cancelledEarly());
    } else if (entry.is(CallEntry.Status.WAITING)) {
      Place place = Locator.place(entry.where());
      byte[] key = Locator.key(entry.where());
      Invocation inv = store.queue().get(place, key);
      removeWaiting(e, place, key, inv);
      store.call(id, CallEntry.done(entry.attempt()));
      finish(
          e,
          inv,
          OutcomeStatus.CANCELLED,
          ReasonCode.CANCELLED_BY_REQUEST,
          "cancelled after waiting " + waited(inv, now) + " ms",
          Tally.CANCELLED);
    }
    pump(e, null);
    end(e);
  }

  /**
   * A sidecar's terminal result. The first one of an id goes out as the call's outcome and frees
   * its concurrency slot; a later one is a duplicate (execution is at least once: a sidecar that
   * crashed before committing runs its batch again) and is dropped. The id's entry decides, so a
   * result costs one state read and one write, and the outcomes topic, written exactly once, shows
   * each call finishing once.
   */
  public void onResult(
      TenantStore store, String tenant, TenantSettings ts, SerializedOutcome result, long now) {
    if (onResult(store, tenant, ts, result.id(), now)) out.result(result);
  }

  /**
   * The same without the outcome (the simulator's sidecars).
   *
   * @return whether this was the first result of the id
   */
  public boolean onResult(
      TenantStore store, String tenant, TenantSettings ts, String id, long now) {
    Event e = begin(store, tenant, ts, now);
    CallEntry entry = store.call(id);
    boolean first = entry == null || !entry.is(CallEntry.Status.DONE);
    if (!first) {
      out.count(Tally.DUPLICATE_RESULT);
    } else {
      if (entry != null && entry.is(CallEntry.Status.IN_FLIGHT)) {
        e.record.slotFreed();
      } else if (entry != null && entry.is(CallEntry.Status.WAITING)) {
        // An earlier attempt finished while a retry waits: the retry must not run too.
        Place place = Locator.place(entry.where());
        byte[] key = Locator.key(entry.where());
        Invocation waiting = store.queue().get(place, key);
        if (waiting != null) removeWaiting(e, place, key, waiting);
      }
      // An id with no entry (remembered longer ago than the dedup window) counts as first.
      store.call(id, CallEntry.finished());
    }
    pump(e, null);
    end(e);
    return first;
  }

  /** A timer of {@code tenant} fired: its wake-up, the subtask's metrics sweep, or both. */
  public void onTimer(TenantStore store, String tenant, TenantSettings ts, long at) {
    if (sweepAt != null && sweepAt == at && tenant.equals(sweepTenant)) sweepAt = null;
    Event e = begin(store, tenant, ts, at);
    Long wake = e.record.wakeAt();
    if (wake != null && wake <= at) {
      e.record.wakeAt(null); // fired
      pump(e, null);
    }
    end(e);
  }

  public void onFeedback(FunctionFeedback f, long now) {
    pacer.onFeedback(f, now, change -> LOG.info("{} pacing {}", reporter, change));
    utilization.onFeedback(f);
    String change = utilization.update(now);
    if (change != null) LOG.info("{} {}", reporter, change);
    fairShare.capacity(utilization.capacityPerSecond(now) / subtasks);
  }

  /** New settings of a tenant: other tenants' shares move now, its own quota at its next look. */
  public void onSettings(String tenant, TenantSettings s) {
    if (s != null) fairShare.updateIfBacklogged(tenant, Quota.demand(s, false));
  }

  private Event begin(TenantStore store, String tenant, TenantSettings ts, long now) {
    if (load == null) {
      load = new SubtaskLoad(now); // on the clock of the first event
      if (restoredWaiting != null) load.restoreWaiting(restoredWaiting);
      restoredWaiting = null;
      planner = new DispatchPlanner(pacer, utilization, load);
      nextLoadReportAt = now + settings.loadReportIntervalMs();
    }
    if (sweepAt != null ? now >= sweepAt : !metrics.isEmpty()) sweep(now, tenant);
    return new Event(store, tenant, settingsOf(ts), now);
  }

  /** Closes the metrics periods ended by {@code now}; one timer for the next boundary. */
  private void sweep(long now, String tenant) {
    metrics.sweep(now, out::metrics);
    sweepAt = null;
    Long next = metrics.nextBoundary();
    if (next != null) sweepAt(next, tenant);
  }

  private void sweepAt(long at, String tenant) {
    sweepAt = at;
    sweepTenant = tenant;
    out.timer(at);
  }

  private void end(Event e) {
    PeriodMetrics.Period p = e.existingPeriod();
    if (p == null && e.record.waiting() > 0) p = e.period();
    if (p != null) p.waiting(e.record.waiting());
    e.store.save(e.record);
    if (e.now >= nextLoadReportAt) {
      String change = utilization.update(e.now);
      if (change != null) LOG.info("{} {}", reporter, change);
      out.load(load.report(settings.region(), reporter, e.now, utilization.level()));
      nextLoadReportAt = e.now + settings.loadReportIntervalMs();
    }
  }

  private Quota lastQuota;

  /**
   * The fast path for a tenant with nothing waiting: dispatches {@code inv} without touching the
   * buffer when its quota, its share, its function's pace and the utilization controller all let it
   * go now.
   */
  private boolean dispatchNow(Event e, Invocation inv) {
    if (e.record.inFlight() >= e.settings.concurrency()) return false;
    Quota quota = Quota.of(e.tenant, e.settings, e.record, fairShare, utilization.holding(), e.now);
    if (!quota.hasToken()) return false;
    boolean due =
        inv.criticality() == Criticality.DEFERRABLE
            && inv.deadline() != null
            && planner.latestStart(inv, e.now) <= e.now;
    if (inv.criticality() == Criticality.DEFERRABLE
        && !due
        && !utilization.trySpareSlot(inv.function(), e.now)) {
      return false;
    }
    if (!pacer.tryAcquire(inv.function(), e.now)) return false;
    if (due) utilization.dueDispatched(e.now);
    quota.spend();
    quota.store(e.now);
    dispatch(e, inv);
    return true;
  }

  private void dispatch(Event e, Invocation inv) {
    e.store.call(inv.id(), CallEntry.inFlight(inv.attempt()));
    out.count(Tally.DISPATCHED);
    load.dispatched(inv.criticality());
    utilization.dispatched(inv.criticality(), inv.function(), e.now);
    e.period().dispatchedAfter(waited(inv, e.now));
    out.dispatch(inv.withDispatchedAt(e.now));
  }

  /** Into the ordered buffer, under the next arrival sequence number. */
  private Invocation enqueue(Event e, Invocation inv, long seq) {
    long deadline = inv.deadline() == null ? Long.MAX_VALUE : inv.deadline();
    byte[] key = BufferKeys.order(inv, deadline, seq);
    e.store.queue().put(Place.READY, key, inv);
    index(e, inv, seq, Locator.of(Place.READY, key));
    e.record.buffered(1);
    return inv;
  }

  private void delay(Event e, Invocation inv) {
    long seq = e.record.takeSeq();
    byte[] key = BufferKeys.time(inv.notBefore(), seq);
    e.store.queue().put(Place.DELAYED, key, inv);
    e.record.nextDelayedAt(WakePolicy.earliest(e.record.nextDelayedAt(), inv.notBefore()));
    index(e, inv, seq, Locator.of(Place.DELAYED, key));
    e.record.delayed(1);
  }

  /** Remembers where a waiting call is: its id's entry and, with a deadline, the index. */
  private void index(Event e, Invocation inv, long seq, byte[] locator) {
    waiting(inv, 1);
    e.store.call(inv.id(), CallEntry.waiting(inv.attempt(), locator));
    if (inv.deadline() != null) {
      e.store.queue().putDeadline(BufferKeys.time(inv.deadline(), seq), locator);
      e.record.nextDeadlineAt(WakePolicy.earliest(e.record.nextDeadlineAt(), inv.deadline()));
    }
  }

  /** A call started ({@code +1}) or stopped waiting: the load's counts and the held deadlines. */
  private void waiting(Invocation inv, int delta) {
    load.waiting(inv.criticality(), delta);
    if (inv.criticality() == Criticality.DEFERRABLE && inv.deadline() != null) {
      utilization.heldDeadline(inv.deadline(), delta);
    }
  }

  /**
   * Takes a waiting call out of its place and the deadline index; its id's entry is the caller's.
   */
  private void removeWaiting(Event e, Place place, byte[] key, Invocation inv) {
    TenantQueue q = e.store.queue();
    q.remove(place, key);
    long seq;
    if (place == Place.DELAYED) {
      seq = BufferKeys.seqOfTime(key);
      e.record.delayed(-1);
    } else {
      seq = BufferKeys.seqOf(key);
      e.record.buffered(-1);
      if (place == Place.PARKED) e.record.parked(-1);
    }
    if (inv.deadline() != null) q.removeDeadline(BufferKeys.time(inv.deadline(), seq));
    waiting(inv, -1);
  }

  /**
   * Promotes, expires and dispatches what it can, then sleeps until something can change. Returns
   * the plan it followed.
   */
  private DispatchPlanner.Plan pump(Event e, Invocation arriving) {
    TenantRecord r = e.record;
    if (r.waiting() > 0) {
      promoteDue(e);
      expireDue(e);
    }
    DispatchPlanner.Plan plan = DispatchPlanner.Plan.NONE;
    Quota quota = null;
    if (e.settings != null) {
      quota = Quota.of(e.tenant, e.settings, r, fairShare, utilization.holding(), e.now);
      plan = planner.plan(r, quota, e.store.queue(), e.now);
      for (Map.Entry<byte[], Invocation> p : plan.park()) park(e, p.getKey(), p.getValue());
      for (DispatchPlanner.Pick pick : plan.go()) {
        removeWaiting(e, pick.from(), pick.key(), pick.inv());
        if (!DispatchPlanner.levelPaced(pick.inv(), utilization)) quota.spend();
        if (arriving == null || !pick.inv().id().equals(arriving.id())) released(e, pick);
        dispatch(e, pick.inv());
      }
      if (r.buffered() > 0) fairShare.backlogged(e.tenant, quota.demand());
      else fairShare.idle(e.tenant);
      quota.store(e.now);
    } else {
      r.bucket(null); // no settings, no quota to remember
    }
    lastQuota = quota;
    r.resetIfIdle();
    Long paceAt = r.parked() > 0 ? pacer.earliestTokenAt(e.now) : null;
    schedule(e, wakePolicy.next(r, e.settings, quota, plan, paceAt, e.now));
    return plan;
  }

  private void schedule(Event e, Long next) {
    Long current = e.record.wakeAt();
    if (java.util.Objects.equals(current, next)) return;
    boolean sweepTimer = current != null && current.equals(sweepAt) && e.tenant.equals(sweepTenant);
    if (current != null && !sweepTimer) out.deleteTimer(current);
    if (next != null) out.timer(next);
    e.record.wakeAt(next);
  }

  private static boolean stillReady(DispatchPlanner.Plan plan, Invocation inv) {
    for (DispatchPlanner.Pick p : plan.go()) if (p.inv().id().equals(inv.id())) return false;
    for (Map.Entry<byte[], Invocation> p : plan.park()) {
      if (p.getValue().id().equals(inv.id())) return false;
    }
    return true;
  }

  /** Moves a ready call whose function is out of pace to the tenant's parked calls. */
  private void park(Event e, byte[] key, Invocation inv) {
    TenantQueue q = e.store.queue();
    q.remove(Place.READY, key);
    q.put(Place.PARKED, key, inv);
    byte[] locator = Locator.of(Place.PARKED, key);
    e.store.call(inv.id(), CallEntry.waiting(inv.attempt(), locator));
    if (inv.deadline() != null) {
      q.putDeadline(BufferKeys.time(inv.deadline(), BufferKeys.seqOf(key)), locator);
    }
    e.record.parked(1);
    decide(
        e,
        inv,
        Tally.PACED,
        DecisionReason.FUNCTION_PACED,
        String.format(
            Locale.ROOT,
            "function %s is paced at %.1f calls/s (its downstream is slow)",
            inv.function(),
            pacer.rate(inv.function())));
  }

  private void released(Event e, DispatchPlanner.Pick pick) {
    DecisionReason reason;
    if (pick.from() == Place.PARKED) reason = DecisionReason.FUNCTION_PACE;
    else if (pick.byDeadline()) reason = DecisionReason.DEADLINE;
    else if (pick.inv().criticality() == Criticality.DEFERRABLE) {
      reason = DecisionReason.SPARE_CAPACITY;
    } else reason = DecisionReason.QUOTA;
    decide(
        e,
        pick.inv(),
        Tally.RELEASED,
        reason,
        "after waiting " + waited(pick.inv(), e.now) + " ms");
  }

  /** {@code kind} is THROTTLED, PACED, DEFERRED or RELEASED: the decision of the same name. */
  private void decide(Event e, Invocation inv, Tally kind, DecisionReason reason, String detail) {
    e.count(kind);
    out.decision(
        new SchedulingDecision(
            inv.id(),
            inv.tenant(),
            inv.function(),
            inv.criticality(),
            settings.region(),
            SchedulingDecision.Decision.valueOf(kind.name()),
            reason,
            e.now,
            detail));
  }

  private void promoteDue(Event e) {
    Long first = e.record.nextDelayedAt();
    if (first == null || first > e.now) return;
    List<Map.Entry<byte[], Invocation>> due = new ArrayList<>();
    Long later = null;
    for (Iterator<Map.Entry<byte[], Invocation>> it = e.store.queue().iterator(Place.DELAYED);
        it.hasNext(); ) {
      Map.Entry<byte[], Invocation> d = it.next();
      long at = BufferKeys.timeOf(d.getKey());
      if (at > e.now) {
        later = at;
        break;
      }
      due.add(d);
    }
    e.record.nextDelayedAt(later);
    for (Map.Entry<byte[], Invocation> d : due) {
      Invocation inv = d.getValue();
      e.store.queue().remove(Place.DELAYED, d.getKey());
      e.record.delayed(-1);
      waiting(inv, -1);
      // Same sequence number: its deadline entry is overwritten with the new place.
      enqueue(e, inv, BufferKeys.seqOfTime(d.getKey()));
    }
  }

  private void expireDue(Event e) {
    Long first = e.record.nextDeadlineAt();
    if (first == null || first > e.now) return;
    List<byte[]> due = new ArrayList<>();
    Long later = null;
    for (Iterator<Map.Entry<byte[], byte[]>> it = e.store.queue().deadlines(); it.hasNext(); ) {
      Map.Entry<byte[], byte[]> d = it.next();
      long at = BufferKeys.timeOf(d.getKey());
      if (at > e.now) {
        later = at;
        break;
      }
      due.add(d.getValue());
    }
    e.record.nextDeadlineAt(later);
    for (byte[] locator : due) {
      Place place = Locator.place(locator);
      byte[] key = Locator.key(locator);
      Invocation inv = e.store.queue().get(place, key);
      removeWaiting(e, place, key, inv);
      e.store.call(inv.id(), CallEntry.done(inv.attempt()));
      expire(e, inv);
    }
  }

  private void expire(Event e, Invocation inv) {
    finish(
        e,
        inv,
        OutcomeStatus.EXPIRED,
        ReasonCode.DEADLINE_EXCEEDED,
        "not dispatched by its deadline; waited " + waited(inv, e.now) + " ms",
        Tally.EXPIRED);
  }

  private void finish(
      Event e, Invocation inv, OutcomeStatus status, ReasonCode reason, String detail, Tally t) {
    out.outcome(Outcome.beforeRun(inv, status, reason, detail, e.now, settings.region()));
    e.count(t);
  }

  /** Time in the queue: since it was submitted, or since it became due when it was delayed. */
  static long waited(Invocation inv, long now) {
    long from = Math.max(inv.submittedAt(), inv.notBefore() == null ? 0 : inv.notBefore());
    return Math.max(0, now - from);
  }
}
