package io.xfaas.scheduler.buffer;

import io.xfaas.records.FunctionFeedback;
import io.xfaas.records.Invocation;
import io.xfaas.records.LoadReport;
import io.xfaas.records.Outcome;
import io.xfaas.records.SchedulingDecision;
import io.xfaas.records.SchedulingMetrics;
import io.xfaas.records.TenantSettings;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A {@link FuncBuffer} on the heap under a clock the test sets, as Flink would run it: events at
 * the current time, timers per tenant fired in time order when the clock moves (each at its own
 * time, as processing-time timers fire), settings as broadcast state.
 */
final class FuncBufferSim implements FuncBufferOutput {
  private record Timer(long at, String tenant) implements Comparable<Timer> {
    @Override
    public int compareTo(Timer o) {
      int c = Long.compare(at, o.at);
      return c != 0 ? c : tenant.compareTo(o.tenant);
    }
  }

  final FuncBuffer buffer;
  private final Map<String, HeapTenantStore> stores = new HashMap<>();
  private final Map<String, TenantSettings> settings = new HashMap<>();
  private final TreeSet<Timer> timers = new TreeSet<>();
  private String current;
  private long now;

  final List<Invocation> dispatched = new ArrayList<>();
  final List<SchedulingDecision> decisions = new ArrayList<>();
  final List<Outcome> outcomes = new ArrayList<>();
  final List<SchedulingMetrics> metrics = new ArrayList<>();
  final List<LoadReport> loadReports = new ArrayList<>();
  final Map<Tally, Long> counters = new EnumMap<>(Tally.class);

  FuncBufferSim(FuncBuffer.Settings s, long start) {
    buffer = new FuncBuffer(s, 1, "scheduler-0", this);
    now = start;
  }

  long now() {
    return now;
  }

  HeapTenantStore store(String tenant) {
    return stores.computeIfAbsent(tenant, t -> new HeapTenantStore());
  }

  int timers() {
    return timers.size();
  }

  void settings(TenantSettings s) {
    settings.put(s.tenant(), s);
    buffer.onSettings(s.tenant(), s);
  }

  void feedback(FunctionFeedback f) {
    buffer.onFeedback(f, now);
  }

  void send(Invocation inv) {
    current = inv.tenant();
    buffer.onArrival(store(current), current, settings.get(current), inv, now);
  }

  void finish(String tenant, String id) {
    current = tenant;
    buffer.onResult(store(current), current, settings.get(current), id, now);
  }

  void cancel(String tenant, String id) {
    current = tenant;
    buffer.onCancel(store(current), current, settings.get(current), id, now);
  }

  /** Moves the clock to {@code t}, firing every timer due by then at its own time. */
  void at(long t) {
    while (!timers.isEmpty() && timers.first().at() <= t) {
      Timer timer = timers.pollFirst();
      now = Math.max(now, timer.at());
      current = timer.tenant();
      buffer.onTimer(store(current), current, settings.get(current), timer.at());
    }
    now = Math.max(now, t);
  }

  @Override
  public void dispatch(Invocation inv) {
    dispatched.add(inv);
  }

  @Override
  public void decision(SchedulingDecision d) {
    decisions.add(d);
  }

  @Override
  public void outcome(Outcome o) {
    outcomes.add(o);
  }

  @Override
  public void metrics(SchedulingMetrics m) {
    metrics.add(m);
  }

  @Override
  public void load(LoadReport r) {
    loadReports.add(r);
  }

  @Override
  public void count(Tally t) {
    counters.merge(t, 1L, Long::sum);
  }

  @Override
  public void timer(long at) {
    timers.add(new Timer(at, current));
  }

  @Override
  public void deleteTimer(long at) {
    timers.remove(new Timer(at, current));
  }
}
