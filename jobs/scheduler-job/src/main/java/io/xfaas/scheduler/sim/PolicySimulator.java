package io.xfaas.scheduler.sim;

import io.xfaas.records.FunctionFeedback;
import io.xfaas.records.Invocation;
import io.xfaas.records.LoadReport;
import io.xfaas.records.Outcome;
import io.xfaas.records.OutcomeStatus;
import io.xfaas.records.SchedulingDecision;
import io.xfaas.records.SchedulingMetrics;
import io.xfaas.records.SerializedOutcome;
import io.xfaas.records.TenantSettings;
import io.xfaas.scheduler.buffer.FuncBuffer;
import io.xfaas.scheduler.buffer.FuncBufferOutput;
import io.xfaas.scheduler.buffer.Tally;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A discrete-event simulation of one scheduler subtask and its region's sidecars, on a virtual
 * clock: the recorded calls arrive at their times, the job's own {@link FuncBuffer} (unchanged,
 * through {@link FuncBufferSim}) decides what goes when, a {@link SidecarPool} runs each dispatched
 * call for its recorded run time, and its result frees the tenant's concurrency slot. Events are
 * taken in time order; at equal times timers fire first, then calls end, then calls arrive. Nothing
 * touches Kafka or Flink.
 *
 * <p>With {@link Setup#feedbackMs()} each modelled sidecar reports on each function as a real one
 * does, so the pacer, the utilization controller and the capacity they measure take part. With a
 * {@link SidecarLayout} (a recorded history has one) the slots are split between sidecars as they
 * were, each running the functions of its RunQ partitions within their concurrency windows and
 * reporting on its own clock; the controller then sees what it saw in the job, sidecar by sidecar.
 * Not modelled: Kafka's hops and the job's own pauses, retries, the sidecars' batching.
 */
public final class PolicySimulator {
  /** The window's start on the virtual clock: a whole minute, so metrics periods align. */
  public static final long EPOCH = 1_800_000_000_000L;

  /**
   * What a run simulates with.
   *
   * @param buffer the FuncBuffer's settings, as the job builds them from configuration
   * @param tenants each tenant's own settings; a tenant without gets {@code
   *     buffer.unknownTenant()}, as in the job
   * @param slots sidecar slots (sidecars × threads); 0 for no limit
   * @param drainMs how long the simulation goes on after the last arrival
   * @param bucketMs width of the buckets the executed load is counted in
   * @param feedbackMs how often each modelled sidecar reports on each busy function, as a real one
   *     does (completions, latency, in flight, queued, utilization over the period), so that the
   *     pacer, the utilization controller and the measured capacity act as in the job; 0 for no
   *     feedback
   * @param layout how the slots are split between sidecars and which runs each function; null for
   *     one pool of {@code slots} that runs every function
   */
  public record Setup(
      FuncBuffer.Settings buffer,
      Map<String, TenantSettings> tenants,
      int slots,
      long drainMs,
      long bucketMs,
      long feedbackMs,
      SidecarLayout layout) {
    public Setup {
      tenants = Map.copyOf(tenants);
      if (drainMs < 0 || bucketMs < 1 || feedbackMs < 0) {
        throw new IllegalArgumentException("drain >= 0, bucket >= 1, feedback >= 0");
      }
      if (layout != null && layout.slots() != slots) {
        throw new IllegalArgumentException("slots are the layout's: " + layout.slots());
      }
    }

    /** The pool as one sidecar of {@code slots}. */
    public Setup(
        FuncBuffer.Settings buffer,
        Map<String, TenantSettings> tenants,
        int slots,
        long drainMs,
        long bucketMs,
        long feedbackMs) {
      this(buffer, tenants, slots, drainMs, bucketMs, feedbackMs, null);
    }

    /** Without feedback from the modelled pool. */
    public Setup(
        FuncBuffer.Settings buffer,
        Map<String, TenantSettings> tenants,
        int slots,
        long drainMs,
        long bucketMs) {
      this(buffer, tenants, slots, drainMs, bucketMs, 0);
    }

    public Setup withTenants(Map<String, TenantSettings> t) {
      return new Setup(buffer, t, slots, drainMs, bucketMs, feedbackMs, layout);
    }

    /** Another number of slots, as one pool: the recorded layout does not say how to split them. */
    public Setup withSlots(int s) {
      return new Setup(buffer, tenants, s, drainMs, bucketMs, feedbackMs, null);
    }

    public Setup withFeedback(long ms) {
      return new Setup(buffer, tenants, slots, drainMs, bucketMs, ms, layout);
    }
  }

  private PolicySimulator() {}

  /** Simulates {@code calls} (in any order) under {@code setup}. */
  public static SimResult run(Setup setup, List<SimCall> calls) {
    long began = System.nanoTime();
    List<SimCall> ordered = new ArrayList<>(calls);
    ordered.sort(Comparator.comparingLong(SimCall::atMs));
    Run run = new Run(setup, ordered);
    run.loop();
    return run.result((System.nanoTime() - began) / 1_000_000);
  }

  /** One run's state; the FuncBuffer's outputs come back to it as the tap of the heap harness. */
  private static final class Run implements FuncBufferOutput {
    private final Setup setup;
    private final List<SimCall> calls;
    private final FuncBufferSim sim;
    private final SidecarPool pool;
    private final Map<String, SimCall> byId = new HashMap<>();
    private final Map<String, Tenant> tenants = new TreeMap<>();
    private long[] executed = new long[64];
    private long lastEvent = EPOCH;

    Run(Setup setup, List<SimCall> calls) {
      this.setup = setup;
      this.calls = calls;
      this.sim = new FuncBufferSim(setup.buffer(), EPOCH, this);
      this.pool =
          setup.layout() == null
              ? new SidecarPool(setup.slots(), EPOCH, setup.feedbackMs())
              : new SidecarPool(setup.layout(), EPOCH, setup.feedbackMs());
      setup.tenants().values().forEach(sim::settings);
      for (SimCall c : calls) {
        if (byId.put(c.id(), c) != null) throw new IllegalArgumentException("two calls " + c.id());
        tenant(c.tenant()).arrived++;
      }
    }

    void loop() {
      long end =
          EPOCH + (calls.isEmpty() ? 0 : calls.get(calls.size() - 1).atMs()) + setup.drainMs();
      int next = 0;
      while (true) {
        long arrival = next < calls.size() ? EPOCH + calls.get(next).atMs() : Long.MAX_VALUE;
        long callEnd = pool.nextEndAt();
        Long timer = sim.nextTimerAt();
        long t = Math.min(Math.min(arrival, callEnd), timer == null ? Long.MAX_VALUE : timer);
        long reportAt = setup.feedbackMs() > 0 ? pool.nextReportAt() : Long.MAX_VALUE;
        if (reportAt <= t && reportAt <= end) {
          sim.at(reportAt);
          for (FunctionFeedback f : pool.report(setup.buffer().region(), setup.feedbackMs())) {
            sim.feedback(f);
          }
          continue;
        }
        if (t == Long.MAX_VALUE || t > end) break;
        if (callEnd == t) {
          lastEvent = t;
          sim.at(t);
          // The slot goes to the next call waiting at the sidecar at once; the result then
          // reaches the FuncBuffer, whose dispatches queue behind it.
          List<SidecarPool.Run> ended = new ArrayList<>(1);
          pool.end(ended).forEach(this::started);
          SidecarPool.Run done = ended.get(0);
          sim.finish(done.inv().tenant(), done.inv().id());
        } else if (timer != null && timer == t) {
          sim.fireNextTimer();
        } else {
          lastEvent = Math.max(lastEvent, t);
          sim.at(t);
          sim.send(invocation(calls.get(next++)));
        }
      }
      // Calls left waiting at the sidecars never started: a deadline they had by the end is missed.
      for (Invocation inv : pool.drainWaiting()) {
        if (inv.deadline() != null && inv.deadline() <= end) tenant(inv.tenant()).misses++;
      }
    }

    private static Invocation invocation(SimCall c) {
      long submitted = EPOCH + c.submittedMs();
      return new Invocation(
          c.id(),
          c.tenant(),
          c.function(),
          c.criticality(),
          c.priority(),
          submitted,
          c.notBeforeMs() == null ? null : EPOCH + c.notBeforeMs(),
          c.deadlineAfterMs() > 0 ? submitted + c.deadlineAfterMs() : null,
          1,
          1,
          null,
          Map.of(),
          null,
          Map.of());
    }

    /**
     * When a call's wait starts: its submission, or its notBefore when it was held, as the job
     * measures queueing delay.
     */
    private static long due(Invocation inv) {
      return Math.max(inv.submittedAt(), inv.notBefore() == null ? 0 : inv.notBefore());
    }

    private long runMs(Invocation inv) {
      return byId.get(inv.id()).runMs();
    }

    private Tenant tenant(String name) {
      return tenants.computeIfAbsent(name, n -> new Tenant());
    }

    private void started(SidecarPool.Run r) {
      Invocation inv = r.inv();
      Tenant t = tenant(inv.tenant());
      t.starts.add(r.startAt() - due(inv));
      if (inv.deadline() != null && r.startAt() > inv.deadline()) t.misses++;
      int bucket = (int) ((r.startAt() - EPOCH) / setup.bucketMs());
      if (bucket >= executed.length) {
        executed = Arrays.copyOf(executed, Math.max(bucket + 1, executed.length * 2));
      }
      executed[bucket]++;
    }

    @Override
    public void dispatch(Invocation inv) {
      Tenant t = tenant(inv.tenant());
      t.dispatched++;
      long at = inv.dispatchedAt();
      t.delays.add(at - due(inv));
      pool.dispatched(inv, runMs(inv), at).forEach(this::started);
    }

    @Override
    public void decision(SchedulingDecision d) {
      Tenant t = tenant(d.tenant());
      switch (d.decision()) {
        case THROTTLED -> t.throttled++;
        case DEFERRED -> t.deferred++;
        case PACED -> t.paced++;
        case RELEASED -> {}
      }
    }

    @Override
    public void outcome(Outcome o) {
      lastEvent = Math.max(lastEvent, sim.now());
      Tenant t = tenant(o.tenant());
      if (o.status() == OutcomeStatus.EXPIRED) {
        t.expired++;
        t.misses++;
      } else if (o.status() == OutcomeStatus.REJECTED) {
        t.rejected++;
      }
    }

    /** Never called: the modelled sidecars finish calls by id. */
    @Override
    public void result(SerializedOutcome result) {}

    @Override
    public void metrics(SchedulingMetrics m) {}

    @Override
    public void load(LoadReport r) {}

    @Override
    public void count(Tally t) {}

    @Override
    public void timer(long at) {
      throw new IllegalStateException("the heap harness keeps the timers");
    }

    @Override
    public void deleteTimer(long at) {
      throw new IllegalStateException("the heap harness keeps the timers");
    }

    SimResult result(long tookMs) {
      List<TenantFigures> figures = new ArrayList<>();
      tenants.forEach((name, t) -> figures.add(t.figures(name)));
      long windowMs = calls.isEmpty() ? 0 : calls.get(calls.size() - 1).atMs();
      int buckets = (int) (windowMs / setup.bucketMs()) + 1;
      long peak = 0;
      long trough = Long.MAX_VALUE;
      for (int b = 0; b < buckets; b++) {
        long n = b < executed.length ? executed[b] : 0;
        peak = Math.max(peak, n);
        trough = Math.min(trough, n);
      }
      int used = executed.length;
      while (used > 0 && executed[used - 1] == 0) used--;
      List<Long> series = new ArrayList<>(used);
      for (int b = 0; b < used; b++) series.add(executed[b]);
      return new SimResult(
          figures,
          setup.slots(),
          calls.size(),
          setup.bucketMs(),
          peak,
          calls.isEmpty() ? 0 : trough,
          series,
          lastEvent - EPOCH,
          tookMs);
    }
  }

  /** One tenant's running counts. */
  private static final class Tenant {
    long arrived, dispatched, throttled, deferred, paced, expired, rejected, misses;
    final Longs delays = new Longs();
    final Longs starts = new Longs();

    TenantFigures figures(String name) {
      delays.sort();
      starts.sort();
      return new TenantFigures(
          name,
          arrived,
          dispatched,
          throttled,
          deferred,
          paced,
          expired,
          rejected,
          Math.max(0, arrived - dispatched - expired - rejected),
          delays.quantile(0.5),
          delays.quantile(0.99),
          starts.quantile(0.5),
          starts.quantile(0.99),
          misses);
    }
  }
}
