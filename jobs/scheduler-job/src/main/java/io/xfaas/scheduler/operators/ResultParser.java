package io.xfaas.scheduler.operators;

import io.xfaas.dlq.DeadLetters;
import io.xfaas.kafka.RawRecord;
import io.xfaas.records.DeadLetter;
import io.xfaas.records.Outcome;
import io.xfaas.records.ReasonCode;
import io.xfaas.serde.Json;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/** Reads one attempt result written by a sidecar; an unreadable one becomes a dead letter. */
public final class ResultParser implements Serializable {
  private final DeadLetters letters;

  public ResultParser(String region) {
    this.letters = new DeadLetters(region);
  }

  /** The outcome, or null after handing {@code deadLetters} the reason it could not be read. */
  public Outcome parse(RawRecord record, long now, Consumer<DeadLetter> deadLetters) {
    if (record.value() == null || record.value().length == 0) {
      deadLetters.accept(letters.unnamed(record, ReasonCode.MALFORMED_JSON, "empty record", now));
      return null;
    }
    try {
      Outcome o = Json.readOutcome(record.value());
      if (o.id() == null || o.status() == null) {
        deadLetters.accept(
            letters.unnamed(record, ReasonCode.MISSING_FIELD, "result without id or status", now));
        return null;
      }
      return o;
    } catch (UncheckedIOException e) {
      deadLetters.accept(
          letters.unnamed(record, ReasonCode.MALFORMED_JSON, String.valueOf(e.getMessage()), now));
      return null;
    }
  }
}
