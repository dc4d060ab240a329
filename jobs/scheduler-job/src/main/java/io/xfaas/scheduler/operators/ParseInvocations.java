package io.xfaas.scheduler.operators;

import io.xfaas.kafka.RawRecord;
import io.xfaas.records.DeadLetter;
import io.xfaas.records.SerializedOutcome;
import io.xfaas.scheduler.buffer.TenantEvent;
import io.xfaas.scheduler.wire.WireTypes;
import io.xfaas.time.WallClock;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Parses DurableQ records. Admitted invocations and cancel requests go on to the FuncBuffer;
 * outcomes (REJECTED, EXPIRED) and dead letters leave through side outputs. Bad input never fails
 * the job.
 */
public final class ParseInvocations extends ParsingFunction<TenantEvent> {
  /** Outcomes decided by the scheduler, and the sidecars' results passed on, for the topic. */
  public static final OutputTag<SerializedOutcome> OUTCOMES =
      new OutputTag<>("outcomes", WireTypes.SERIALIZED_OUTCOME);

  public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

  private final Admission admission;
  private transient Counter admitted;
  private transient Counter expiredOnArrival;
  private transient Counter rejected;

  public ParseInvocations(Admission admission, WallClock clock) {
    super(clock);
    this.admission = admission;
  }

  @Override
  public void open(OpenContext openContext) {
    super.open(openContext);
    var metrics = getRuntimeContext().getMetricGroup();
    admitted = metrics.counter("invocationsAdmitted");
    expiredOnArrival = metrics.counter("invocationsExpiredOnArrival");
    rejected = metrics.counter("invocationsRejected");
  }

  /** Counted beside the admission's counters above, under the operator's metric group. */
  @Override
  protected String deadLetterMetric() {
    return "deadLetters";
  }

  @Override
  public void processElement(RawRecord record, Context ctx, Collector<TenantEvent> out) {
    Admission.Decision decision = admission.admit(record, now());
    if (decision instanceof Admission.Decision.Admitted a) {
      admitted.inc();
      out.collect(TenantEvent.invocation(a.invocation()));
    } else if (decision instanceof Admission.Decision.Cancel c) {
      out.collect(TenantEvent.cancel(c.tenant(), c.id()));
    } else if (decision instanceof Admission.Decision.Expired e) {
      expiredOnArrival.inc();
      ctx.output(OUTCOMES, SerializedOutcome.of(e.outcome()));
    } else if (decision instanceof Admission.Decision.Rejected r) {
      deadLetter(ctx, r.deadLetter());
      if (r.outcome() != null) {
        rejected.inc();
        ctx.output(OUTCOMES, SerializedOutcome.of(r.outcome()));
      }
    }
  }
}
