package io.xfaas.scheduler.sim;

import io.xfaas.config.TenantConfigClient;
import io.xfaas.config.Topics;
import io.xfaas.config.XfaasConfig;
import io.xfaas.kafka.TopicSnapshot;
import io.xfaas.records.FunctionFeedback;
import io.xfaas.records.Invocation;
import io.xfaas.records.Outcome;
import io.xfaas.records.OutcomeStatus;
import io.xfaas.records.TenantSettings;
import io.xfaas.scheduler.buffer.FuncBuffer;
import io.xfaas.serde.InvocationSerde;
import io.xfaas.serde.Json;
import io.xfaas.serde.ParseResult;
import io.xfaas.window.WindowSettings;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A window of a region's real history, read from its topics (nothing is written): the calls
 * submitted to DurableQ in the window, each with the run time its outcome shows, the tenants'
 * settings, the sidecar slots the feedback reported, and what actually became of the calls per
 * tenant ({@link #actual}), to compare a simulation with.
 *
 * @param startMs the window's start on the real clock (a whole minute: {@link
 *     PolicySimulator#EPOCH} stands for it)
 * @param calls the window's first attempts, times relative to {@code startMs}
 * @param tenants each tenant's settings, the latest valid ones on the config topic
 * @param slots sidecar slots the feedback reported (the sum of the sidecars' capacities); 0 when
 *     there was no feedback
 * @param feedback whether sidecars reported in the window
 * @param actual per tenant, what the region did: throttled, deferred and paced are not recorded (0)
 * @param layout the sidecars that reported, each with its capacity, the phase of its reports and
 *     the functions it ran (the RunQ partitions it owned); null when none reported
 */
public record RecordedHistory(
    long startMs,
    List<SimCall> calls,
    Map<String, TenantSettings> tenants,
    int slots,
    boolean feedback,
    List<TenantFigures> actual,
    SidecarLayout layout) {

  public RecordedHistory {
    calls = List.copyOf(calls);
    tenants = Map.copyOf(tenants);
    actual = List.copyOf(actual);
  }

  /** Without the sidecars' layout: the pool as one. */
  public RecordedHistory(
      long startMs,
      List<SimCall> calls,
      Map<String, TenantSettings> tenants,
      int slots,
      boolean feedback,
      List<TenantFigures> actual) {
    this(startMs, calls, tenants, slots, feedback, actual, null);
  }

  public TenantFigures actual(String tenant) {
    return actual.stream().filter(t -> t.tenant().equals(tenant)).findFirst().orElse(null);
  }

  /**
   * The simulation's setup for this history: the job's FuncBuffer settings, the recorded tenants'
   * and slots split between the sidecars as they were, and each sidecar's feedback every {@code
   * feedbackMs} when sidecars reported.
   */
  public PolicySimulator.Setup setup(
      FuncBuffer.Settings buffer, long feedbackMs, long drainMs, long bucketMs) {
    return new PolicySimulator.Setup(
        buffer, tenants, slots, drainMs, bucketMs, feedback ? feedbackMs : 0, layout);
  }

  /**
   * Reads the window [{@code fromMs}, {@code toMs}) of DurableQ (by record timestamp), and RunQ,
   * outcomes, feedback and the config topic whole, read committed.
   */
  public static RecordedHistory read(XfaasConfig config, long fromMs, long toMs, Duration timeout) {
    Topics topics = config.topics();
    String servers = config.bootstrapServers();
    Builder b =
        new Builder(new InvocationSerde(config.invocationLimits()), fromMs, toMs)
            .windows(WindowSettings.from(config));
    TopicSnapshot.read(
        servers, topics.durableq(), "whatif", timeout, r -> b.submission(r.value(), r.timestamp()));
    TopicSnapshot.read(servers, topics.runq(), "whatif", timeout, r -> b.dispatch(r.value()));
    TopicSnapshot.read(servers, topics.outcomes(), "whatif", timeout, r -> b.outcome(r.value()));
    TopicSnapshot.read(servers, topics.feedback(), "whatif", timeout, r -> b.feedback(r.value()));
    try (TenantConfigClient tenants = TenantConfigClient.create(config)) {
      tenants.list().forEach(b::settings);
    }
    return b.build();
  }

  /** Folds the topics' records into a history; the records may come in any order per topic. */
  public static final class Builder {
    private static final long LATER = Long.MAX_VALUE / 4;

    private final InvocationSerde serde;
    private final long fromMs;
    private final long toMs;
    private final Map<String, Submitted> submitted = new LinkedHashMap<>();
    private final Map<String, Long> dispatchedAt = new HashMap<>();
    private final Map<String, Outcome> outcomes = new HashMap<>();
    private final Map<String, Integer> sidecarCapacity = new TreeMap<>();
    private final Map<String, Long> sidecarFirstReport = new HashMap<>();
    // function -> the reports on it, {periodStart, reportedAt} by sidecar: a function runs where
    // its RunQ partition is, which moves when the sidecars' group rebalances
    private final Map<String, List<Report>> ranAt = new HashMap<>();

    private record Report(long periodStart, long reportedAt, String sidecar) {}

    private final Map<String, TenantSettings> tenants = new HashMap<>();
    private long feedbackReports;
    private WindowSettings windows = WindowSettings.from(io.xfaas.config.XfaasConfig.defaults());

    private record Submitted(Invocation inv, long timestamp) {}

    public Builder(InvocationSerde serde, long fromMs, long toMs) {
      this.serde = serde;
      this.fromMs = fromMs;
      this.toMs = toMs;
    }

    /** The sidecars' configured concurrency windows (the defaults until set). */
    public Builder windows(WindowSettings w) {
      this.windows = w;
      return this;
    }

    /** A DurableQ record: a first attempt in the window is a call; retries are left out. */
    public void submission(byte[] value, long timestamp) {
      if (value == null || timestamp < fromMs || timestamp >= toMs) return;
      if (!(serde.parse(value, timestamp) instanceof ParseResult.Accepted a)) return;
      Invocation inv = a.invocation();
      if (inv.attempt() != 1) return;
      // A duplicate submission is the FuncBuffer's to drop; the window keeps the first.
      submitted.putIfAbsent(inv.id(), new Submitted(inv, timestamp));
    }

    /** A RunQ record: the first attempt's release time. */
    public void dispatch(byte[] value) {
      if (value == null) return;
      // Read long after: no submission time is in the future ("now" is far ahead, not so far
      // that the clock-skew check overflows).
      if (!(serde.parse(value, LATER) instanceof ParseResult.Accepted a)) return;
      Invocation inv = a.invocation();
      if (inv.attempt() != 1 || inv.dispatchedAt() == null) return;
      dispatchedAt.merge(inv.id(), inv.dispatchedAt(), Math::min);
    }

    /** An outcome: the first terminal one per id counts, as for the caller. */
    public void outcome(byte[] value) {
      if (value == null) return;
      Outcome o = Json.readOutcome(value);
      if (o.id() != null) outcomes.putIfAbsent(o.id(), o);
    }

    /** A feedback report: each sidecar's latest capacity makes the pool's slots. */
    public void feedback(byte[] value) {
      if (value == null) return;
      try {
        FunctionFeedback f = Json.MAPPER.readValue(value, FunctionFeedback.class);
        if (f.sidecar() == null) return;
        feedbackReports++;
        sidecarCapacity.put(f.sidecar(), f.capacity());
        sidecarFirstReport.merge(f.sidecar(), f.reportedAt(), Math::min);
        ranAt
            .computeIfAbsent(f.function(), k -> new ArrayList<>())
            .add(new Report(f.periodStart(), f.reportedAt(), f.sidecar()));
      } catch (IOException e) {
        // Unreadable feedback is the job's dead letter; it changes nothing here either.
      }
    }

    /** A tenant's settings; invalid ones are left out, as the job leaves them out. */
    public void settings(TenantSettings s) {
      if (s.problem() == null) tenants.put(s.tenant(), s);
    }

    public RecordedHistory build() {
      long first = Long.MAX_VALUE;
      for (Submitted s : submitted.values()) {
        first = Math.min(first, Math.min(s.timestamp(), s.inv().submittedAt()));
      }
      long start = first == Long.MAX_VALUE ? fromMs : Math.floorDiv(first, 60_000L) * 60_000L;
      Map<String, List<Long>> ranByFunction = new HashMap<>();
      for (Submitted s : submitted.values()) {
        Long run = ranMs(outcomes.get(s.inv().id()));
        if (run != null)
          ranByFunction.computeIfAbsent(s.inv().function(), f -> new ArrayList<>()).add(run);
      }
      Map<String, Long> medianRun = new HashMap<>();
      ranByFunction.forEach(
          (f, runs) -> {
            runs.sort(Long::compare);
            medianRun.put(f, runs.get((runs.size() - 1) / 2));
          });

      List<SimCall> calls = new ArrayList<>(submitted.size());
      Map<String, Actual> actual = new TreeMap<>();
      for (Submitted s : submitted.values()) {
        Invocation inv = s.inv();
        Outcome o = outcomes.get(inv.id());
        Long ran = ranMs(o);
        // A call that did not run keeps its function's median: a changed run may dispatch it.
        // One whose function never returned in the window does not return in the simulation.
        long runMs = ran != null ? ran : medianRun.getOrDefault(inv.function(), SimCall.NEVER);
        long at = Math.max(s.timestamp(), inv.submittedAt());
        calls.add(
            new SimCall(
                inv.id(),
                at - start,
                inv.submittedAt() - start,
                inv.tenant(),
                inv.function(),
                inv.criticality(),
                inv.priority(),
                inv.notBefore() == null ? null : Math.max(0, inv.notBefore() - start),
                inv.deadline() == null ? 0 : Math.max(1, inv.deadline() - inv.submittedAt()),
                runMs));
        actual.computeIfAbsent(inv.tenant(), t -> new Actual()).add(inv, dispatchedAt(inv, o), o);
      }
      List<TenantFigures> figures = new ArrayList<>();
      actual.forEach((t, a) -> figures.add(a.figures(t)));
      int slots = 0;
      for (int c : sidecarCapacity.values()) slots += c;
      return new RecordedHistory(
          start, calls, tenants, slots, feedbackReports > 0, figures, layout(start));
    }

    /**
     * The sidecars as they reported: each one's capacity and the phase of its reports, and each
     * function at the sidecars that reported it, in time order (its partition's owners): it moves
     * to another when another reports it, from that report's period on.
     */
    private SidecarLayout layout(long start) {
      if (sidecarCapacity.isEmpty()) return null;
      List<String> names = new ArrayList<>(sidecarCapacity.keySet());
      List<Integer> capacities = new ArrayList<>();
      List<Long> phases = new ArrayList<>();
      for (String n : names) {
        capacities.add(sidecarCapacity.get(n));
        phases.add(sidecarFirstReport.get(n) - start);
      }
      Map<String, List<SidecarLayout.Move>> functions = new HashMap<>();
      ranAt.forEach(
          (function, reports) -> {
            reports.sort(java.util.Comparator.comparingLong(Report::reportedAt));
            List<SidecarLayout.Move> moves = new ArrayList<>();
            for (Report r : reports) {
              int at = names.indexOf(r.sidecar());
              if (moves.isEmpty() || moves.get(moves.size() - 1).sidecar() != at) {
                moves.add(new SidecarLayout.Move(r.periodStart() - start, at));
              }
            }
            functions.put(function, moves);
          });
      return new SidecarLayout(capacities, phases, functions, windows);
    }

    private Long dispatchedAt(Invocation inv, Outcome o) {
      Long d = dispatchedAt.get(inv.id());
      if (d != null) return d;
      return o != null && o.attempts() == 1 ? o.dispatchedAt() : null;
    }

    /** The run time an outcome shows, when the call ran. */
    private static Long ranMs(Outcome o) {
      if (o == null || o.startedAt() == null) return null;
      if (o.status() != OutcomeStatus.SUCCEEDED && o.status() != OutcomeStatus.FAILED) return null;
      return Math.max(0, o.finishedAt() - o.startedAt());
    }
  }

  /** One tenant's actual figures, as they accumulate. */
  private static final class Actual {
    long arrived, dispatched, expired, rejected, misses;
    final Longs delays = new Longs();
    final Longs starts = new Longs();

    void add(Invocation inv, Long dispatchedAt, Outcome o) {
      arrived++;
      long due = Math.max(inv.submittedAt(), inv.notBefore() == null ? 0 : inv.notBefore());
      if (dispatchedAt != null) {
        dispatched++;
        delays.add(Math.max(0, dispatchedAt - due));
      }
      if (o == null) return;
      if (o.status() == OutcomeStatus.EXPIRED) {
        expired++;
        misses++;
      } else if (o.status() == OutcomeStatus.REJECTED && dispatchedAt == null) {
        rejected++;
      }
      if (o.startedAt() != null && o.attempts() == 1) {
        starts.add(Math.max(0, o.startedAt() - due));
        if (inv.deadline() != null && o.startedAt() > inv.deadline()) misses++;
      }
    }

    TenantFigures figures(String tenant) {
      delays.sort();
      starts.sort();
      return new TenantFigures(
          tenant,
          arrived,
          dispatched,
          0,
          0,
          0,
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
