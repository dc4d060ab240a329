package io.xfaas.bench.timeshift;

import io.xfaas.bench.timeshift.TimeshiftAnalysis.Miss;
import io.xfaas.bench.timeshift.TimeshiftAnalysis.RunSummary;
import io.xfaas.replay.RunRecords;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What a restart of the scheduler job in the middle of a controller-on run did to the time-shifting
 * controller, read from the run's records: whether its level and its held backlog came back from
 * the checkpoint (the restored job's first load report against the last one before the fault), and
 * whether every call still got exactly one terminal outcome.
 *
 * <p>A held call released at the restore, all at once, shows as a held backlog that drops to
 * nothing across the restart; a forgotten demand profile shows as a level of 0 after it. Deadlines
 * whose latest start fell inside the outage (from the fault to the recovery, plus the feasibility
 * margin) may be missed because nothing ran then: they are counted apart from the others, which the
 * controller alone answers for.
 *
 * @param run the run's figures, as for any controller-on run
 * @param faultAt when the TaskManager was killed (epoch ms)
 * @param recoveredAt when every task of the restored job ran again (epoch ms)
 * @param restoredCheckpoint the checkpoint the job restored, -1 if Flink reported none
 * @param levelBefore the controller's level in the last report before the fault (calls/s, summed
 *     over subtasks)
 * @param levelAfter the same in the restored job's first report (the first after the fault: the
 *     killed job reports no more)
 * @param heldBefore held DEFERRABLE calls in the last report before the fault
 * @param heldAfter held DEFERRABLE calls in the restored job's first report
 * @param accepted first attempts on DurableQ
 * @param lost accepted calls with no terminal outcome
 * @param duplicateOutcomes terminal outcomes beyond the first for a call
 * @param outageMisses feasible deadline misses whose latest start fell in the outage
 * @param otherMisses every other feasible deadline miss
 */
public record RestartCheck(
    RunSummary run,
    long faultAt,
    long recoveredAt,
    long restoredCheckpoint,
    double levelBefore,
    double levelAfter,
    long heldBefore,
    long heldAfter,
    long accepted,
    long lost,
    long duplicateOutcomes,
    long outageMisses,
    long otherMisses) {

  public static RestartCheck of(
      RunSummary run,
      RunRecords records,
      long faultAt,
      long recoveredAt,
      long restoredCheckpoint,
      long feasibilityMarginMs) {
    Report before = lastAtOrBefore(records.held(), faultAt);
    Report after = firstAfter(records.held(), faultAt);
    Map<String, Integer> outcomes = new HashMap<>();
    for (RunRecords.Done d : records.outcomes()) outcomes.merge(d.id(), 1, Integer::sum);
    long lost = 0;
    Set<String> accepted = new HashSet<>();
    for (RunRecords.Arrival a : records.arrivals()) {
      if (accepted.add(a.id()) && !outcomes.containsKey(a.id())) lost++;
    }
    long duplicates = 0;
    for (int n : outcomes.values()) duplicates += n - 1;
    long outage = 0;
    long other = 0;
    for (Miss m : run.misses()) {
      long latestStart = m.deadline() - m.emulatedMs();
      if (latestStart >= faultAt && latestStart <= recoveredAt + feasibilityMarginMs) outage++;
      else other++;
    }
    return new RestartCheck(
        run,
        faultAt,
        recoveredAt,
        restoredCheckpoint,
        before.level,
        after.level,
        before.held,
        after.held,
        accepted.size(),
        lost,
        duplicates,
        outage,
        other);
  }

  /** The restart's downtime, fault to recovery. */
  public long outageMs() {
    return recoveredAt - faultAt;
  }

  /**
   * The scheduler's load reports from 3 s before the fault to 4 s after the recovery, as {@code
   * reporter +offset s: held @ level} (offsets from the fault), for looking into a restart.
   */
  public static String heldAround(RunRecords records, long faultAt, long recoveredAt) {
    StringBuilder b = new StringBuilder();
    records.held().stream()
        .filter(h -> h.reportedAt() >= faultAt - 3_000 && h.reportedAt() <= recoveredAt + 4_000)
        .sorted(Comparator.comparingLong(RunRecords.Held::reportedAt))
        .forEach(
            h ->
                b.append(
                    String.format(
                        Locale.ROOT,
                        " %s %+.1fs: %d @ %.1f;",
                        h.reporter(),
                        (h.reportedAt() - faultAt) / 1000.0,
                        h.deferrableWaiting(),
                        h.levelRate())));
    return b.toString();
  }

  /** One line for the benchmark's report. */
  public String describe() {
    return String.format(
        Locale.ROOT,
        "restart: TaskManager killed %d ms into the run, every task running again %d ms later"
            + " (restored checkpoint %d); level %.1f/s before, %.1f/s after; held DEFERRABLE %d"
            + " before, %d after; %d accepted, %d lost, %d duplicate outcomes; feasible misses"
            + " %d with a latest start in the outage, %d others",
        faultAt - run.window().startMs(),
        outageMs(),
        restoredCheckpoint,
        levelBefore,
        levelAfter,
        heldBefore,
        heldAfter,
        accepted,
        lost,
        duplicateOutcomes,
        outageMisses,
        otherMisses);
  }

  private record Report(long held, double level) {}

  /** Each subtask's latest report at or before {@code t}, summed. */
  private static Report lastAtOrBefore(List<RunRecords.Held> reports, long t) {
    return sum(perSubtask(reports, h -> h.reportedAt() <= t, true));
  }

  /** Each subtask's first report after {@code t}, summed. */
  private static Report firstAfter(List<RunRecords.Held> reports, long t) {
    return sum(perSubtask(reports, h -> h.reportedAt() > t, false));
  }

  /** Of the reports {@code in}, each subtask's latest ({@code latest}) or earliest. */
  private static Collection<RunRecords.Held> perSubtask(
      List<RunRecords.Held> reports, Predicate<RunRecords.Held> in, boolean latest) {
    Map<String, RunRecords.Held> chosen = new HashMap<>();
    for (RunRecords.Held h : reports) {
      if (!in.test(h)) continue;
      chosen.merge(h.reporter(), h, (a, b) -> (b.reportedAt() >= a.reportedAt()) == latest ? b : a);
    }
    return chosen.values();
  }

  private static Report sum(Collection<RunRecords.Held> reports) {
    long held = 0;
    double level = 0;
    for (RunRecords.Held h : reports) {
      held += h.deferrableWaiting();
      level += h.levelRate();
    }
    return new Report(held, level);
  }
}
