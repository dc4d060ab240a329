package io.xfaas.scheduler.operators;

import io.xfaas.kafka.RawRecord;
import io.xfaas.records.DeadLetter;
import io.xfaas.time.WallClock;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;

/**
 * The Flink shell shared by the operators that parse raw records with plain logic: it reads the
 * job's clock, and sends dead letters to {@link ParseInvocations#DEAD_LETTERS}, counted under the
 * metric each operator names ({@link #deadLetterMetric()}).
 */
abstract class ParsingFunction<OUT> extends ProcessFunction<RawRecord, OUT> {
  private final WallClock clock;
  private transient Counter deadLetters;

  ParsingFunction(WallClock clock) {
    this.clock = clock;
  }

  /** The metric counting this operator's dead letters. */
  protected abstract String deadLetterMetric();

  @Override
  public void open(OpenContext openContext) {
    deadLetters = getRuntimeContext().getMetricGroup().counter(deadLetterMetric());
  }

  protected final long now() {
    return clock.now();
  }

  protected final void deadLetter(Context ctx, DeadLetter letter) {
    deadLetters.inc();
    ctx.output(ParseInvocations.DEAD_LETTERS, letter);
  }
}
