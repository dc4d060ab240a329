package io.xfaas.scheduler.operators;

import io.xfaas.kafka.RawRecord;
import io.xfaas.scheduler.buffer.TenantEvent;
import io.xfaas.time.WallClock;
import org.apache.flink.util.Collector;

/**
 * Reads the sidecars' results into their tenants' events; unreadable ones leave as dead letters,
 * never as failures.
 */
public final class ParseResults extends ParsingFunction<TenantEvent> {
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
  public void processElement(RawRecord record, Context ctx, Collector<TenantEvent> out) {
    TenantEvent e = parser.parse(record, now(), d -> deadLetter(ctx, d));
    if (e != null) out.collect(e);
  }
}
