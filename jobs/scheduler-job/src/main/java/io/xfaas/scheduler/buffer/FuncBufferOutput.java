package io.xfaas.scheduler.buffer;

import io.xfaas.records.Invocation;
import io.xfaas.records.LoadReport;
import io.xfaas.records.Outcome;
import io.xfaas.records.SchedulingDecision;
import io.xfaas.records.SchedulingMetrics;
import io.xfaas.records.SerializedOutcome;

/**
 * Where the {@link FuncBuffer} sends what it decides: the Flink function's collector, side outputs,
 * counters and timer service, or a test's lists. Timers are for the tenant of the current event.
 */
public interface FuncBufferOutput {
  /** To RunQ. */
  void dispatch(Invocation inv);

  void decision(SchedulingDecision decision);

  /** A terminal outcome decided before the call ran (expired, rejected, cancelled). */
  void outcome(Outcome outcome);

  /** A call's first result, the outcome its sidecar wrote, passed on as it is. */
  void result(SerializedOutcome result);

  void metrics(SchedulingMetrics metrics);

  void load(LoadReport report);

  void count(Tally tally);

  void timer(long at);

  void deleteTimer(long at);
}
