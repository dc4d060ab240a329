package io.xfaas.scheduler.operators;

import io.xfaas.kafka.RawRecord;
import io.xfaas.records.DeadLetter;
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

  public ParseFeedback(String region) {
    this.region = region;
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
          DeadLetter.of(
              ReasonCode.MALFORMED_JSON,
              "feedback: "
                  + String.valueOf(e.getMessage()).lines().findFirst().orElse("unreadable"),
              null,
              null,
              null,
              record.value(),
              record.topic(),
              record.partition(),
              record.offset(),
              record.timestamp(),
              region));
    }
  }
}
