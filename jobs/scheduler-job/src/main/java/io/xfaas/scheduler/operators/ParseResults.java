package io.xfaas.scheduler.operators;

import io.xfaas.kafka.RawRecord;
import io.xfaas.records.Outcome;
import io.xfaas.time.WallClock;
import org.apache.flink.util.Collector;

/** Parses the sidecars' results; unreadable ones leave as dead letters, never as failures. */
public final class ParseResults extends ParsingFunction<Outcome> {
  private final ResultParser parser;

  public ParseResults(ResultParser parser, WallClock clock) {
    super(clock);
    this.parser = parser;
  }

  @Override
  protected String deadLetterMetric() {
    return "resultDeadLetters";
  }

  @Override
  public void processElement(RawRecord record, Context ctx, Collector<Outcome> out) {
    Outcome o = parser.parse(record, now(), d -> deadLetter(ctx, d));
    if (o != null) out.collect(o);
  }
}
