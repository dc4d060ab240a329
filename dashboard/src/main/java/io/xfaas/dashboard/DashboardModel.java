package io.xfaas.dashboard;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.xfaas.records.GtcDecision;
import io.xfaas.records.LoadReport;
import io.xfaas.records.Outcome;
import io.xfaas.records.OutcomeStatus;
import io.xfaas.records.SchedulingMetrics;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the dashboard shows, built record by record from the metrics topic ({@link
 * SchedulingMetrics}), the outcomes topic ({@link Outcome}), the global load topic ({@link
 * LoadReport}: every region, second by second, in {@link RegionLoads}) and the GTC's decisions
 * ({@link GtcMatrix}) by {@link DashboardFeed}. Plain logic, tested without Kafka. Thread-safe: the
 * feed thread adds while HTTP threads take {@link #summary summaries}.
 *
 * <p>Per tenant: totals over every period read, the latest period's backlog ({@code buffered}),
 * throughput ({@code dispatched} per second of the period) and queueing delays, and a short history
 * of periods for the charts. The scheduler writes a period only when the tenant was active, so a
 * tenant whose latest period ended long ago is idle: its throughput is shown as 0.
 */
public final class DashboardModel {
  /** Periods kept per tenant for the charts (two minutes at the default one-second period). */
  public static final int HISTORY = 120;

  private final Map<String, TenantState> tenants = new TreeMap<>();
  private final EnumMap<OutcomeStatus, Long> outcomes = new EnumMap<>(OutcomeStatus.class);
  private final Map<String, EnumMap<OutcomeStatus, Long>> outcomesByTenant = new TreeMap<>();
  private final RegionLoads regions = new RegionLoads();
  private final GtcMatrix gtc = new GtcMatrix();
  private long metricsRecords;
  private long outcomeRecords;
  private long loadRecords;
  private long unreadable;

  public DashboardModel() {
    for (OutcomeStatus s : OutcomeStatus.values()) outcomes.put(s, 0L);
  }

  public synchronized void metrics(SchedulingMetrics m) {
    metricsRecords++;
    tenants.computeIfAbsent(m.tenant(), t -> new TenantState()).add(m);
  }

  public synchronized void outcome(Outcome o) {
    outcomeRecords++;
    if (o.status() == null) return;
    outcomes.merge(o.status(), 1L, Long::sum);
    if (o.tenant() != null) {
      outcomesByTenant
          .computeIfAbsent(
              o.tenant(),
              t -> {
                EnumMap<OutcomeStatus, Long> m = new EnumMap<>(OutcomeStatus.class);
                for (OutcomeStatus s : OutcomeStatus.values()) m.put(s, 0L);
                return m;
              })
          .merge(o.status(), 1L, Long::sum);
    }
  }

  public synchronized void load(LoadReport r) {
    loadRecords++;
    regions.add(r);
  }

  public synchronized void gtc(GtcDecision d) {
    gtc.add(d);
  }

  /** A record on a followed topic that did not parse. */
  public synchronized void unreadable() {
    unreadable++;
  }

  /** Everything the page needs, as of {@code nowMillis}, ready to be written as JSON. */
  public synchronized Summary summary(long nowMillis) {
    List<TenantSummary> ts = new ArrayList<>();
    long throttledTotal = 0;
    for (Map.Entry<String, TenantState> e : tenants.entrySet()) {
      TenantSummary s = e.getValue().summary(nowMillis);
      throttledTotal += s.totals().throttled();
      ts.add(s);
    }
    Map<String, Map<OutcomeStatus, Long>> byTenant = new LinkedHashMap<>();
    outcomesByTenant.forEach((t, m) -> byTenant.put(t, new EnumMap<>(m)));
    return new Summary(
        nowMillis,
        ts,
        new EnumMap<>(outcomes),
        byTenant,
        throttledTotal,
        regions.summaries(),
        gtc.summary(),
        new Records(metricsRecords, outcomeRecords, loadRecords, unreadable));
  }

  private static final class TenantState {
    private SchedulingMetrics latest;
    private SchedulingMetrics totals;
    private final Deque<Point> history = new ArrayDeque<>();

    void add(SchedulingMetrics m) {
      totals = totals == null ? m : totals.plus(m);
      if (latest == null || m.periodEnd() >= latest.periodEnd()) latest = m;
      history.addLast(
          new Point(
              m.periodEnd(),
              perSecond(m.dispatched(), m),
              m.buffered(),
              m.throttled(),
              m.queueDelayP50Ms(),
              m.queueDelayP99Ms()));
      while (history.size() > HISTORY) history.removeFirst();
    }

    TenantSummary summary(long now) {
      long periodMs = Math.max(1, latest.periodEnd() - latest.periodStart());
      // No period for longer than two of them (and a second's slack): the tenant is idle.
      boolean current = now - latest.periodEnd() <= 2 * periodMs + 1_000;
      List<Point> points = new ArrayList<>(history);
      points.sort((a, b) -> Long.compare(a.t(), b.t()));
      return new TenantSummary(
          totals,
          current ? perSecond(latest.dispatched(), latest) : 0.0,
          current ? perSecond(latest.arrived(), latest) : 0.0,
          points);
    }

    private static double perSecond(long count, SchedulingMetrics m) {
      long periodMs = Math.max(1, m.periodEnd() - m.periodStart());
      return count * 1000.0 / periodMs;
    }
  }

  /** One period of one tenant, for the charts. */
  public record Point(
      long t, double throughput, long backlog, long throttled, long p50Ms, long p99Ms) {}

  /**
   * One tenant: its periods so far as one {@link SchedulingMetrics} ({@link
   * SchedulingMetrics#plus}: counts are totals, the backlog and delays are the latest period's),
   * written flat into the JSON, with the latest period's rates and the recent history. {@code
   * throttled} is what waited for the tenant's quota or share, {@code paced} for a slow downstream,
   * {@code deferred} DEFERRABLE work held while the region was busy or above its level (time
   * shifting), {@code released} held work let go (into a trough, by its deadline, or at its pace).
   */
  public record TenantSummary(
      @JsonUnwrapped SchedulingMetrics totals,
      double throughputPerSec,
      double arrivalsPerSec,
      List<Point> history) {

    @JsonIgnore
    public String tenant() {
      return totals.tenant();
    }

    /** Calls waiting at the end of the latest period. */
    @JsonProperty
    public long backlog() {
      return totals.buffered();
    }
  }

  /** How many records the feed has read. */
  public record Records(long metrics, long outcomes, long loadReports, long unreadable) {}

  /** The JSON document served at {@code /api/summary}. */
  public record Summary(
      long at,
      List<TenantSummary> tenants,
      Map<OutcomeStatus, Long> outcomes,
      Map<String, Map<OutcomeStatus, Long>> outcomesByTenant,
      long throttledTotal,
      List<RegionLoads.RegionSummary> regions,
      GtcMatrix.Gtc gtc,
      Records records) {}
}
