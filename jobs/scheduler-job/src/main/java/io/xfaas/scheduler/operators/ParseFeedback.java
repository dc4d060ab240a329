package io.xfaas.scheduler.operators;

import io.xfaas.dlq.DeadLetters;
import io.xfaas.kafka.RawRecord;
import io.xfaas.records.FunctionFeedback;
import io.xfaas.records.ReasonCode;
import io.xfaas.serde.Json;
import java.io.IOException;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Reads the sidecars' feedback topic. Reports from another region are skipped; an unreadable one is
 * a dead letter (MALFORMED_JSON) and changes nothing.
 */
public final class ParseFeedback extends ProcessFunction<RawRecord, FunctionFeedback> {
  private final String region;
  private final DeadLetters deadLetters;

  public ParseFeedback(String region) {
    this.region = region;
    this.deadLetters = new DeadLetters(region);
  }

  @Override
  public void processElement(RawRecord record, Context ctx, Collector<FunctionFeedback> out) {
    if (record.value() == null) return;
    try {
      FunctionFeedback f = Json.MAPPER.readValue(record.value(), FunctionFeedback.class);
      if (f.function() == null || f.sidecar() == null) {
        throw new IOException("feedback without function or sidecar");
      }
      if (f.region() == null || f.region().equals(region)) out.collect(f);
    } catch (IOException e) {
      ctx.output(
          ParseInvocations.DEAD_LETTERS,
          deadLetters.unnamed(
              record,
              ReasonCode.MALFORMED_JSON,
              "feedback: " + DeadLetters.firstLine(e),
              record.timestamp()));
    }
  }
}
