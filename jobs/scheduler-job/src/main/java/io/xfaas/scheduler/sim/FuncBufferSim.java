package io.xfaas.scheduler.sim;

import io.xfaas.records.FunctionFeedback;
import io.xfaas.records.Invocation;
import io.xfaas.records.LoadReport;
import io.xfaas.records.Outcome;
import io.xfaas.records.SchedulingDecision;
import io.xfaas.records.SchedulingMetrics;
import io.xfaas.records.SerializedOutcome;
import io.xfaas.records.TenantSettings;
import io.xfaas.scheduler.buffer.FuncBuffer;
import io.xfaas.scheduler.buffer.FuncBufferOutput;
import io.xfaas.scheduler.buffer.Tally;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link FuncBuffer} on the heap under a clock its caller sets, as Flink would run it: events at
 * the current time, timers per tenant fired in time order when the clock moves (each at its own
 * time, as processing-time timers fire; those due at the same ms in the order of Flink's timer
 * heap, {@link TimerHeap}), settings as broadcast state. The policy's unit tests and the what-if
 * {@link PolicySimulator} both drive the job's FuncBuffer through it.
 *
 * <p>What the FuncBuffer outputs is handed to a {@code tap} (the simulator's), which keeps nothing,
 * or, for the tests, what they read of it is {@link Kept}.
 */
public final class FuncBufferSim implements FuncBufferOutput {
  private final FuncBuffer buffer;
  private final FuncBufferOutput tap;
  private final Map<String, HeapTenantStore> stores = new HashMap<>();
  private final Map<String, TenantSettings> settings = new HashMap<>();
  private final TimerHeap timers = new TimerHeap();
  private String current;
  private long now;
  private final Kept kept = new Kept();

  /**
   * The dispatches, decisions, outcomes and metrics the FuncBuffer output, in order, for a test to
   * read (load reports and counters are not kept: no test reads them).
   */
  public record Kept(
      List<Invocation> dispatched,
      List<SchedulingDecision> decisions,
      List<Outcome> outcomes,
      List<SchedulingMetrics> metrics) {
    Kept() {
      this(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    }
  }

  /** Keeps what the FuncBuffer outputs ({@link #kept}). */
  public FuncBufferSim(FuncBuffer.Settings s, long start) {
    this(s, start, null);
  }

  /** Hands what the FuncBuffer outputs, timers aside, to {@code tap}; null keeps it. */
  public FuncBufferSim(FuncBuffer.Settings s, long start, FuncBufferOutput tap) {
    this.tap = tap;
    buffer = new FuncBuffer(s, 1, "scheduler-0", this);
    now = start;
  }

  public FuncBuffer buffer() {
    return buffer;
  }

  public long now() {
    return now;
  }

  public HeapTenantStore store(String tenant) {
    return stores.computeIfAbsent(tenant, t -> new HeapTenantStore());
  }

  public int timers() {
    return timers.size();
  }

  /** When the next timer is due; null when none is set. */
  public Long nextTimerAt() {
    return timers.isEmpty() ? null : timers.peek().at();
  }

  public void settings(TenantSettings s) {
    settings.put(s.tenant(), s);
    buffer.onSettings(s.tenant(), s);
  }

  public void feedback(FunctionFeedback f) {
    buffer.onFeedback(f, now);
  }

  public void send(Invocation inv) {
    current = inv.tenant();
    buffer.onArrival(store(current), current, settings.get(current), inv, now);
  }

  public void finish(String tenant, String id) {
    current = tenant;
    buffer.onResult(store(current), current, settings.get(current), id, now);
  }

  public void cancel(String tenant, String id) {
    current = tenant;
    buffer.onCancel(store(current), current, settings.get(current), id, now);
  }

  /** Moves the clock to {@code t}, firing every timer due by then at its own time. */
  public void at(long t) {
    while (!timers.isEmpty() && timers.peek().at() <= t) fireNextTimer();
    now = Math.max(now, t);
  }

  /** Fires the earliest timer at its time (the clock moves there if it is behind). */
  public void fireNextTimer() {
    TimerHeap.Timer timer = timers.poll();
    now = Math.max(now, timer.at());
    current = timer.tenant();
    buffer.onTimer(store(current), current, settings.get(current), timer.at());
  }

  /** What the FuncBuffer output, when there is no tap. */
  public Kept kept() {
    return kept;
  }

  @Override
  public void dispatch(Invocation inv) {
    if (tap != null) tap.dispatch(inv);
    else kept.dispatched().add(inv);
  }

  @Override
  public void decision(SchedulingDecision d) {
    if (tap != null) tap.decision(d);
    else kept.decisions().add(d);
  }

  @Override
  public void outcome(Outcome o) {
    if (tap != null) tap.outcome(o);
    else kept.outcomes().add(o);
  }

  /** Never called: results come in by id ({@link #finish}), with no outcome to pass on. */
  @Override
  public void result(SerializedOutcome result) {}

  @Override
  public void metrics(SchedulingMetrics m) {
    if (tap != null) tap.metrics(m);
    else kept.metrics().add(m);
  }

  @Override
  public void load(LoadReport r) {
    if (tap != null) tap.load(r);
  }

  @Override
  public void count(Tally t) {
    if (tap != null) tap.count(t);
  }

  @Override
  public void timer(long at) {
    timers.add(new TimerHeap.Timer(at, current));
  }

  @Override
  public void deleteTimer(long at) {
    timers.remove(new TimerHeap.Timer(at, current));
  }
}
