package io.xfaas.scheduler.pacing;

import io.xfaas.records.Criticality;
import io.xfaas.records.DecisionReason;
import io.xfaas.records.FunctionFeedback;
import java.util.HashMap;
import java.util.Map;

/**
 * Learns the region's utilization and capacity from the sidecars' feedback and decides when
 * delay-tolerant work waits. At or above the target utilization it holds DEFERRABLE calls and
 * opportunistic quota; it lets them go again once utilization falls {@code hysteresis} below the
 * target (a trough), then only at the spare rate so the trough is filled, not overrun. A held call
 * is released regardless by its latest start: deadline − expected run time − margin, where the run
 * time (median) and the margin's spread (p99 − median) are learned per function, earlier by the
 * time to run the held backlog and by the wait the function's calls see queued at the sidecars.
 * CRITICAL and NORMAL calls are never held here.
 *
 * <p>In {@link UtilizationSettings.Mode#LEVEL} it seeks a level once it has seen a whole cycle of
 * demand ({@link DemandProfile}, learned from this subtask's arrivals): the level is the cycle's
 * mean arrival rate, and held work is released only at the rate that keeps this subtask's
 * dispatches at the fill level, the level lowered so that the forecast's deepest troughs are filled
 * first ({@link DemandProfile#fillLevelPerSecond}). CRITICAL and NORMAL dispatches count against
 * the level but are never held; while they alone reach it, DEFERRABLE work waits ({@link
 * DecisionReason#ABOVE_LEVEL}). Until the cycle is known, and always when utilization reaches the
 * target, the threshold rule above applies. {@link UtilizationSettings.Mode#OFF} never holds.
 *
 * <p>One per scheduler subtask, fed by the broadcast feedback. What it measures of the sidecars is
 * relearned after a restart within a feedback period; the demand profile is checkpointed ({@link
 * #profileBytes}, {@link #restoreProfile}).
 */
public final class UtilizationController {
  private final UtilizationSettings settings;
  private final int subtasks;
  private final Map<String, SidecarLoad> sidecars = new HashMap<>();
  private final Map<String, RunTime> runTimes = new HashMap<>();
  private boolean holding;
  private double budget;
  private long budgetAt;
  private double dueBudget;
  private long dueBudgetAt;
  private final Map<String, double[]> functionRoom = new HashMap<>();
  private final Map<String, double[]> functionDue = new HashMap<>();
  private DemandProfile profile;
  private double levelTokens;
  private long levelAt = Long.MIN_VALUE;
  private double fillRate = Double.NaN;
  private long fillRateAt = Long.MIN_VALUE;
  private long held;
  private long restoredHeld;
  private final HeldDeadlines heldDeadlines;

  /** The share of the subtask's capacity the fill level may rise to, to keep held deadlines. */
  static final double FILL_CEILING_SHARE = 0.9;

  /** Held calls due sooner than this are left to their latest starts by the EDF plan. */
  static final long EDF_LEAST_MS = 1000;

  /** How often the fill level is recomputed from the profile and the held backlog. */
  static final long FILL_LEVEL_EVERY_MS = 250;

  /**
   * Seconds of the fill rate a released burst may take at once: a held tenant looks at its queue
   * about once a second (the FuncBuffer's longest wait).
   */
  static final double LEVEL_BURST_SECONDS = 1.0;

  /** A sidecar's latest report, and the completion rate of each function it runs. */
  private static final class SidecarLoad {
    long reportedAt;
    int capacity;
    double utilization;
    // function -> {calls/s, reportedAt, calls queued at the sidecar, its concurrency window}
    final Map<String, double[]> rates = new HashMap<>();

    double completionRate(long since) {
      double sum = 0;
      for (double[] r : rates.values()) if (r[1] >= since) sum += r[0];
      return sum;
    }
  }

  /** A sidecar this busy runs each function at what it measures, not what its window allows. */
  static final double SATURATED = 0.9;

  /** Below this utilization a sidecar's throughput says little about what it could do. */
  private static final double MEASURABLE_UTILIZATION = 0.2;

  /** A function's run time, smoothed over reports, and its recent completion rate. */
  private static final class RunTime {
    double p50 = Double.NaN;
    double p99 = Double.NaN;
    double rate;
    long reportedAt;

    void add(FunctionFeedback f) {
      long periodMs = Math.max(1, f.reportedAt() - f.periodStart());
      rate = f.completions() * 1000.0 / periodMs;
      reportedAt = f.reportedAt();
      if (f.completions() == 0) return;
      p50 = Double.isNaN(p50) ? f.latencyP50Ms() : 0.7 * p50 + 0.3 * f.latencyP50Ms();
      p99 = Double.isNaN(p99) ? f.latencyP99Ms() : Math.max(f.latencyP99Ms(), 0.9 * p99);
    }
  }

  public UtilizationController(UtilizationSettings settings, int subtasks) {
    this.settings = settings;
    this.subtasks = Math.max(1, subtasks);
    this.profile = new DemandProfile(settings.cycleMs(), settings.slots());
    // A tenth of a profile slot: deadlines finer than the forecast, coarse enough to scan often.
    this.heldDeadlines = new HeldDeadlines(settings.cycleMs() / Math.max(1, settings.slots()) / 10);
  }

  /**
   * A held DEFERRABLE call with {@code deadline} started ({@code +1}) or stopped ({@code -1})
   * waiting at this subtask: the earliest-deadline-first plan raises the fill level when the held
   * deadlines need a faster release than the troughs give.
   */
  public void heldDeadline(long deadline, int delta) {
    heldDeadlines.add(deadline, delta);
  }

  /** Held DEFERRABLE calls with a deadline that the earliest-deadline-first plan counts. */
  public long heldDeadlinesCounted() {
    return heldDeadlines.total();
  }

  /** A call arrived at this subtask: it is demand, for the profile. */
  public void arrived(Criticality c, long now) {
    profile.arrived(now, c == Criticality.DEFERRABLE);
  }

  /**
   * A call was dispatched: CRITICAL and NORMAL ones take the level's room (DEFERRABLE ones took it
   * when they were let go).
   */
  public void dispatched(Criticality c, long now) {
    dispatched(c, null, now);
  }

  /**
   * As {@link #dispatched(Criticality, long)}; a CRITICAL or NORMAL call of {@code function} also
   * takes its function's room at the sidecars (into debt: it is never held), so that held work of
   * the function waits until the function has run it.
   */
  public void dispatched(Criticality c, String function, long now) {
    if (c != Criticality.DEFERRABLE && function != null) {
      double[] fn = functionBudget(functionRoom, function, now);
      if (fn != null) fn[0] = Math.max(-MAX_FUNCTION_DEBT_S * fn[2], fn[0] - 1);
    }
    if (c == Criticality.DEFERRABLE) {
      restoredHeld = Math.max(0, restoredHeld - 1);
      return;
    }
    takeLevelRoom(now);
  }

  /**
   * One dispatch the level counts whatever it says: into debt of at most a second at the fill rate
   * (the room is measured over about a second, so a gap between dispatches at the level is not
   * taken for a trough).
   */
  private void takeLevelRoom(long now) {
    if (!levelActive()) return;
    refillLevel(now);
    levelTokens = Math.max(-levelBurst(), levelTokens - 1);
  }

  /** Whether the level governs DEFERRABLE work now: LEVEL mode with a whole cycle learned. */
  public boolean levelActive() {
    return settings.mode() == UtilizationSettings.Mode.LEVEL && profile.complete();
  }

  /** The level (the cycle's mean arrival rate at this subtask, calls/s); NaN until learned. */
  public double level() {
    return profile.levelPerSecond();
  }

  /** The rate held work is released up to (calls/s of all classes); NaN until learned. */
  public double fillLevel() {
    return fillRate;
  }

  /** The demand expected at {@code at} from earlier cycles, calls/s; NaN when not yet seen. */
  public double forecast(long at) {
    return profile.forecastPerSecond(at);
  }

  /**
   * The learned demand profile and the size of the held backlog, for a checkpoint: the held calls
   * themselves are keyed state, but the subtask's count of them restarts from zero.
   */
  public byte[] profileBytes() {
    byte[] p = profile.toBytes();
    byte[] d = heldDeadlines.toBytes();
    return java.nio.ByteBuffer.allocate(p.length + 8 + d.length)
        .put(p)
        .putLong(heldNow())
        .put(d)
        .array();
  }

  /** Takes back a checkpointed profile (one learned over another cycle is dropped). */
  public void restoreProfile(byte[] bytes) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes);
    byte[] p = new byte[DemandProfile.byteLength(bytes)];
    b.get(p);
    profile = DemandProfile.fromBytes(p, settings.cycleMs(), settings.slots());
    restoredHeld = b.getLong();
    // Checkpoints written before the held deadlines were kept end here.
    if (b.remaining() >= 4) heldDeadlines.restore(b);
  }

  /**
   * The held backlog: what the planner last said, or, after a restore and until the planner's count
   * catches up, the checkpointed count less the DEFERRABLE calls dispatched since.
   */
  private long heldNow() {
    return Math.max(held, restoredHeld);
  }

  private void refillLevel(long now) {
    if (now - fillRateAt >= FILL_LEVEL_EVERY_MS || Double.isNaN(fillRate)) {
      profile.advance(now);
      fillRate = profile.fillLevelPerSecond(now, settings.cycleMs(), heldNow());
      if (!Double.isNaN(fillRate)) {
        double ceiling = FILL_CEILING_SHARE * capacityPerSecond(now) / subtasks;
        fillRate = Math.max(fillRate, deadlineLevel(now, fillRate, ceiling));
      }
      fillRateAt = now;
    }
    if (levelAt == Long.MIN_VALUE) levelAt = now;
    double rate = Double.isNaN(fillRate) ? 0 : fillRate;
    levelTokens = Math.min(levelBurst(), levelTokens + Math.max(0, now - levelAt) * rate / 1000);
    levelAt = now;
  }

  /**
   * Earliest deadline first: the lowest fill level, from {@code from} up to {@code ceiling} (what
   * the sidecars can run), at which the forecast's troughs before each held deadline less the
   * margin hold the held calls due by it. Below it, held calls would come due together and leave in
   * bursts by their latest starts; above it, they would fill the troughs nearest now and leave the
   * deeper ones before their deadlines empty. The ceiling when even it does not fit.
   */
  private double deadlineLevel(long now, double from, double ceiling) {
    if (heldDeadlines.total() == 0 || fitsDeadlines(now, from)) return from;
    if (!(ceiling > from) || !fitsDeadlines(now, ceiling)) return Math.max(from, ceiling);
    double lo = from, hi = ceiling;
    for (int it = 0; it < 30 && hi - lo > 1e-3 * Math.max(1, hi); it++) {
      double mid = (lo + hi) / 2;
      if (fitsDeadlines(now, mid)) hi = mid;
      else lo = mid;
    }
    return hi;
  }

  private boolean fitsDeadlines(long now, double level) {
    return heldDeadlines.fits(
        now, planLeadMs(), EDF_LEAST_MS, (from, until) -> profile.troughCalls(from, until, level));
  }

  /**
   * How long before its deadline the EDF plan aims to have each held call out: the margin plus one
   * profile slot. Planned to the margin alone, the level that just fits sends a batch's last calls
   * at their latest starts, where whatever else reaches their function then (the next day's peak)
   * makes them late; the slot is slack the plan keeps, and latest starts stay the safety net.
   */
  long planLeadMs() {
    return settings.marginMs() + (long) Math.ceil(profile.slotMs());
  }

  private double levelBurst() {
    double rate = Double.isNaN(fillRate) ? 0 : fillRate;
    return Math.max(1, rate * LEVEL_BURST_SECONDS);
  }

  /** Why held DEFERRABLE work waits now. */
  public DecisionReason holdReason() {
    if (holding) return DecisionReason.UTILIZATION_HIGH;
    if (levelActive()) return DecisionReason.ABOVE_LEVEL;
    return DecisionReason.FILLING_TROUGH;
  }

  public void onFeedback(FunctionFeedback f) {
    SidecarLoad s = sidecars.computeIfAbsent(f.sidecar(), k -> new SidecarLoad());
    if (s.reportedAt <= f.reportedAt()) {
      s.reportedAt = f.reportedAt();
      s.capacity = f.capacity();
      s.utilization = f.utilization();
    }
    long periodMs = Math.max(1, f.reportedAt() - f.periodStart());
    s.rates.put(
        f.function(),
        new double[] {f.completions() * 1000.0 / periodMs, f.reportedAt(), f.queued(), f.window()});
    runTimes.computeIfAbsent(f.function(), k -> new RunTime()).add(f);
  }

  /** Busy share of the fresh sidecars' capacity, 0 when none reported. */
  public double utilization(long now) {
    double busy = 0, capacity = 0;
    for (SidecarLoad s : fresh(now).values()) {
      busy += s.utilization * s.capacity;
      capacity += s.capacity;
    }
    return capacity > 0 ? busy / capacity : 0;
  }

  /**
   * Calls per second the region's sidecars can run. A busy sidecar's is measured: its completion
   * rate over its utilization (Little's law, whatever the run-time distribution); a nearly idle
   * one's is estimated: its slots over the completion-weighted median run time. The configured
   * capacity until sidecars have reported.
   */
  public double capacityPerSecond(long now) {
    double total = 0;
    double idleSlots = 0;
    for (SidecarLoad s : fresh(now).values()) {
      if (s.utilization >= MEASURABLE_UTILIZATION) {
        total += s.completionRate(now - settings.feedbackStaleMs()) / s.utilization;
      } else {
        idleSlots += s.capacity;
      }
    }
    if (idleSlots == 0) return total > 0 ? total : settings.configuredCapacityPerSecond();
    double byRunTime = bySlots(idleSlots, now);
    if (Double.isNaN(byRunTime)) {
      return total > 0 ? total : settings.configuredCapacityPerSecond();
    }
    return total + byRunTime;
  }

  /** {@code slots} over the completion-weighted median run time; NaN when none is known. */
  private double bySlots(double slots, long now) {
    double weighted = 0, rate = 0;
    for (RunTime r : runTimes.values()) {
      if (r.reportedAt < now - settings.feedbackStaleMs() || Double.isNaN(r.p50)) continue;
      weighted += r.rate * r.p50;
      rate += r.rate;
    }
    if (rate <= 0) return Double.NaN;
    double meanRunMs = Math.max(1, weighted / rate);
    return slots * 1000 / meanRunMs;
  }

  /** Re-evaluates holding at {@code now}; returns a description of the change, null when none. */
  public String update(long now) {
    if (settings.mode() == UtilizationSettings.Mode.OFF) return null;
    if (settings.mode() == UtilizationSettings.Mode.LEVEL) {
      boolean was = profile.complete();
      profile.advance(now);
      if (!was && profile.complete()) {
        refillLevel(now);
        return String.format(
            java.util.Locale.ROOT,
            "level learned: %.1f calls/s (the cycle's mean demand at this subtask)",
            level());
      }
      if (profile.complete()) refillLevel(now);
    }
    double u = utilization(now);
    if (!holding && u >= settings.target()) {
      holding = true;
      return String.format(
          java.util.Locale.ROOT, "holding: utilization %.2f >= target %.2f", u, settings.target());
    }
    if (holding && u < settings.target() - settings.hysteresis()) {
      holding = false;
      budget = 0;
      budgetAt = now;
      return String.format(
          java.util.Locale.ROOT,
          "releasing: utilization %.2f < %.2f",
          u,
          settings.target() - settings.hysteresis());
    }
    return null;
  }

  /** Whether DEFERRABLE work and opportunistic quota wait now. */
  public boolean holding() {
    if (settings.mode() == UtilizationSettings.Mode.OFF) return false;
    return holding || (levelActive() && levelTokens < 1);
  }

  /**
   * Whether one held-back DEFERRABLE call may go now (not holding, and the spare rate has room);
   * takes its share of the spare rate when it may.
   */
  public boolean trySpareSlot(long now) {
    return trySpareSlot(null, now);
  }

  /**
   * As {@link #trySpareSlot(long)}, and only while {@code function} has room at the sidecars (its
   * windows over its run time, less what was dispatched to it): released into a queue at the
   * sidecars, held work would wait there where no latest start sees it.
   */
  public boolean trySpareSlot(String function, long now) {
    if (settings.mode() == UtilizationSettings.Mode.OFF) return true;
    double[] fn = function == null ? null : functionBudget(functionRoom, function, now);
    if (fn != null && fn[0] < 1) return false;
    boolean spare = spareSlot(now);
    if (spare && fn != null) fn[0] -= 1;
    return spare;
  }

  private boolean spareSlot(long now) {
    if (holding) return false;
    if (levelActive()) {
      refillLevel(now);
      if (levelTokens < 1) return false;
      levelTokens -= 1;
      return true;
    }
    double spare = spareRate(now) / subtasks;
    if (spare == Double.POSITIVE_INFINITY) return true;
    budget = Math.min(Math.max(1, spare / 10), budget + (now - budgetAt) * spare / 1000);
    budgetAt = now;
    if (budget >= 1) {
      budget -= 1;
      return true;
    }
    return false;
  }

  /**
   * When the level next has room for a held call, no earlier than {@link #LEVEL_LOOK_MS} from
   * {@code now}; null when the level does not govern (held work then waits for its latest start or
   * the FuncBuffer's longest wait). A tenant held above the level looks again then, so that held
   * work leaves as a steady stream at the fill level instead of in a burst each longest wait.
   */
  public Long nextSpareAt(long now) {
    if (settings.mode() != UtilizationSettings.Mode.LEVEL || holding || !levelActive()) {
      return null;
    }
    refillLevel(now);
    if (!(fillRate > 0)) return null;
    long wait = (long) Math.ceil(Math.max(0, 1 - levelTokens) * 1000 / fillRate);
    return now + Math.max(LEVEL_LOOK_MS, wait);
  }

  /**
   * As {@link #nextSpareAt(long)}, and no sooner than {@code function} has room at the sidecars;
   * null when neither the level nor the function says when.
   */
  public Long nextSpareAt(String function, long now) {
    Long level = nextSpareAt(now);
    double[] fn = functionBudget(functionRoom, function, now);
    if (fn == null || fn[0] >= 1) return level;
    long fnAt = now + Math.max(LEVEL_LOOK_MS, (long) Math.ceil((1 - fn[0]) * 1000 / fn[2]));
    return level == null ? fnAt : Math.max(level, fnAt);
  }

  /**
   * The shortest wait of a tenant held above the level: at most ten looks a second per held tenant,
   * each taking what the level gathered since.
   */
  static final long LEVEL_LOOK_MS = 100;

  /** Calls per second that keep the region at its target; infinite until sidecars report. */
  public double spareRate(long now) {
    if (fresh(now).isEmpty()) return Double.POSITIVE_INFINITY;
    return Math.max(0, settings.target() - utilization(now)) * capacityPerSecond(now);
  }

  /** The latest time a held call of {@code function} with {@code deadline} may still start. */
  public long latestStart(String function, long deadline) {
    return deadline - expectedRunMs(function) - marginMs(function);
  }

  /**
   * As {@link #latestStart(String, long)}, earlier by the time this subtask's share of the capacity
   * needs to run the {@code held} DEFERRABLE calls due with this one or before it: released all at
   * their own latest start, held calls with close deadlines would arrive together and queue behind
   * each other past their deadlines. The share left to them is what the subtask's own CRITICAL and
   * NORMAL dispatches ({@code otherRate}, calls/s) leave, but at least {@link #LEAST_DRAIN_SHARE}
   * of it.
   */
  public long latestStart(String function, long deadline, long held, long now, double otherRate) {
    this.held = held; // the backlog the fill level must find troughs for
    // Earliest deadline first: only the held calls due with this one or before go ahead of it (a
    // batch held for a day does not make a call due in the hour wait for it to drain).
    if (heldDeadlines.total() > 0) held = Math.min(held, heldDeadlines.dueBy(deadline));
    double drainRate = drainRate(now, otherRate);
    // The held calls may all be this function's (one batch tenant's burst): they run no faster
    // than its windows at the sidecars allow, whatever the pool's spare capacity.
    double functionRate = functionCapacityPerSecond(function, now);
    if (functionRate < drainRate) drainRate = functionRate;
    long drainMs = drainRate > 0 ? (long) Math.ceil(held * 1000.0 / drainRate) : 0;
    long queueMs = Math.max(queueWaitMs(function, now), functionDebtMs(function, now));
    return latestStart(function, deadline) - drainMs - queueMs;
  }

  /** The time {@code function} needs at the sidecars for the calls dispatched beyond its room. */
  private long functionDebtMs(String function, long now) {
    double[] fn = functionBudget(functionRoom, function, now);
    return fn == null || fn[0] >= 0 ? 0 : (long) Math.ceil(-fn[0] * 1000 / fn[2]);
  }

  /**
   * Calls per second {@code function} can run at the sidecars that report it, summed: where it is
   * saturated (calls queued, or the sidecar's slots nearly all busy), what it completed (its
   * measured rate, whatever shares the slots); elsewhere its concurrency window (at most the
   * sidecar's slots) over its median run time. NaN until a sidecar has reported it with a run time.
   */
  public double functionCapacityPerSecond(String function, long now) {
    long runMs = expectedRunMs(function);
    if (runMs <= 0) return Double.NaN;
    double rate = 0;
    for (SidecarLoad s : fresh(now).values()) {
      double[] r = s.rates.get(function);
      if (r == null || r[1] < now - settings.feedbackStaleMs()) continue;
      boolean saturated = r[2] > 0 || s.utilization >= SATURATED;
      if (saturated && r[0] > 0) rate += r[0];
      else rate += Math.min(r[3], s.capacity) * 1000.0 / runMs;
    }
    return rate > 0 ? rate : Double.NaN;
  }

  /**
   * How long a call of {@code function} dispatched now waits at the sidecars before it starts: the
   * calls of it queued there (beyond its concurrency window) over its completion rate, from the
   * fresh reports; 0 when none is queued. A function's window, not the pool, can be what limits it:
   * a held call released by a latest start that ignores this queue finishes late.
   */
  public long queueWaitMs(String function, long now) {
    double queued = 0, rate = 0;
    for (SidecarLoad s : fresh(now).values()) {
      double[] r = s.rates.get(function);
      if (r == null || r[1] < now - settings.feedbackStaleMs()) continue;
      rate += r[0];
      queued += r[2];
    }
    if (queued <= 0) return 0;
    // Nothing completed in the period: count on one call at a time at the learned run time.
    if (rate <= 0) return (long) Math.ceil(queued * Math.max(1, expectedRunMs(function)));
    return (long) Math.ceil(queued * 1000 / rate);
  }

  /**
   * Calls per second this subtask counts on to run held DEFERRABLE work: its share of the capacity
   * less {@code otherRate}, its own CRITICAL and NORMAL dispatches, but at least {@link
   * #LEAST_DRAIN_SHARE} of the share.
   */
  public double drainRate(long now, double otherRate) {
    double perSubtask = capacityPerSecond(now) / subtasks;
    return Math.max(LEAST_DRAIN_SHARE * perSubtask, perSubtask - otherRate);
  }

  /**
   * Whether one held call whose latest start has come may go now; takes its share of the drain rate
   * when it may. Latest starts are moved earlier by the time the held calls take at that rate, so
   * calls with close deadlines come due together: released all at once they would only queue at the
   * sidecars (and set off their function's pacer); released at the drain rate they still all finish
   * in time, and the region sees a steady stream instead of a burst.
   */
  public boolean tryDrainDue(String function, long now, double otherRate) {
    double rate = drainRate(now, otherRate);
    if (!(rate > 0)) return true; // no capacity known at all: nothing to pace due calls by
    dueBudget =
        Math.min(Math.max(1, rate / 10), dueBudget + Math.max(0, now - dueBudgetAt) * rate / 1000);
    dueBudgetAt = now;
    // And no faster than the function runs: what its windows cannot take would wait at the
    // sidecars, where no latest start sees it; held here, it counts in the drain time of the rest.
    // Paced by a bucket of its own, not the function's room: CRITICAL and NORMAL calls of the
    // function (which put the room in debt) must not keep a due call from its deadline.
    double[] fn = functionBudget(functionDue, function, now);
    if (dueBudget >= 1 && (fn == null || fn[0] >= 1)) {
      dueBudget -= 1;
      if (fn != null) fn[0] -= 1;
      double[] room = functionBudget(functionRoom, function, now);
      if (room != null) room[0] = Math.max(-MAX_FUNCTION_DEBT_S * room[2], room[0] - 1);
      dueDispatched(now);
      return true;
    }
    return false;
  }

  /**
   * A DEFERRABLE call went at its latest start: it goes whatever the level, and still takes the
   * level's room (into debt), so the level counts every dispatch and held work does not leave on
   * top of it.
   */
  public void dueDispatched(long now) {
    takeLevelRoom(now);
  }

  /**
   * When {@link #tryDrainDue} next has room for {@code function}: a due call's wait, at most 1 s.
   */
  public long nextDrainAt(String function, long now, double otherRate) {
    double rate = drainRate(now, otherRate);
    double wait = Math.max(0, 1 - dueBudget) * 1000 / rate;
    double[] fn = functionBudget(functionDue, function, now);
    if (fn != null) wait = Math.max(wait, Math.max(0, 1 - fn[0]) * 1000 / fn[2]);
    return now + Math.max(1, Math.min(1000, (long) Math.ceil(wait)));
  }

  /**
   * {@code function}'s room at the sidecars, a bucket refilled at its rate to {@code now}: {calls,
   * at, rate, rate learned at}; null while its rate is unknown. Due and spare releases of held work
   * take from it; CRITICAL and NORMAL dispatches too, into debt.
   */
  private double[] functionBudget(Map<String, double[]> buckets, String function, long now) {
    double[] b = buckets.get(function);
    // The rate is relearned at most every RATE_EVERY_MS: every dispatch passes here.
    if (b == null || now - (long) b[3] >= RATE_EVERY_MS) {
      double rate = functionCapacityPerSecond(function, now);
      if (!(rate > 0)) {
        if (b != null) buckets.remove(function);
        return null;
      }
      if (b == null) {
        if (buckets.size() >= MAX_FUNCTION_ROOMS) buckets.clear(); // buckets only: they refill
        b = new double[] {Math.max(1, rate / 10), now, rate, now};
        buckets.put(function, b);
      }
      b[2] = rate;
      b[3] = now;
    }
    double burst = Math.max(1, b[2] / 10);
    b[0] = Math.min(burst, b[0] + Math.max(0, now - (long) b[1]) * b[2] / 1000);
    b[1] = now;
    return b;
  }

  /** How often a function's rate at the sidecars is recomputed from their reports. */
  static final long RATE_EVERY_MS = 100;

  /** Seconds of a function's rate CRITICAL and NORMAL dispatches may take beyond its room. */
  static final double MAX_FUNCTION_DEBT_S = 30;

  /** Functions whose room is kept at most (one subtask's hot functions). */
  static final int MAX_FUNCTION_ROOMS = 10_000;

  /**
   * The least share of a subtask's capacity counted on to run held work: a drain estimate from a
   * capacity nearly all taken would put latest starts far in the past and release everything.
   */
  static final double LEAST_DRAIN_SHARE = 0.1;

  /** The function's learned median run time, 0 when unknown. */
  public long expectedRunMs(String function) {
    RunTime r = runTimes.get(function);
    return r == null || Double.isNaN(r.p50) ? 0 : (long) Math.ceil(r.p50);
  }

  /** The configured least margin plus the function's learned spread (p99 − median). */
  public long marginMs(String function) {
    RunTime r = runTimes.get(function);
    long spread = r == null || Double.isNaN(r.p99) ? 0 : (long) Math.max(0, r.p99 - r.p50);
    return settings.marginMs() + spread;
  }

  private Map<String, SidecarLoad> fresh(long now) {
    sidecars.values().removeIf(s -> s.reportedAt < now - settings.feedbackStaleMs());
    return sidecars;
  }
}
