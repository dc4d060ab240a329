package io.xfaas.scheduler.operators;

import io.xfaas.kafka.RawRecord;
import io.xfaas.records.Outcome;
import io.xfaas.time.WallClock;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/** Parses the sidecars' results; unreadable ones leave as dead letters, never as failures. */
public final class ParseResults extends ProcessFunction<RawRecord, Outcome> {
  private final ResultParser parser;
  private final WallClock clock;
  private transient Counter deadLetters;

  public ParseResults(ResultParser parser, WallClock clock) {
    this.parser = parser;
    this.clock = clock;
  }

  @Override
  public void open(OpenContext openContext) {
    deadLetters = getRuntimeContext().getMetricGroup().counter("resultDeadLetters");
  }

  @Override
  public void processElement(RawRecord record, Context ctx, Collector<Outcome> out) {
    Outcome o =
        parser.parse(
            record,
            clock.now(),
            d -> {
              deadLetters.inc();
              ctx.output(ParseInvocations.DEAD_LETTERS, d);
            });
    if (o != null) out.collect(o);
  }
}
