package io.xfaas.scheduler.operators;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.xfaas.dlq.DeadLetters;
import io.xfaas.kafka.RawRecord;
import io.xfaas.records.Criticality;
import io.xfaas.records.DeadLetter;
import io.xfaas.records.OutcomeStatus;
import io.xfaas.records.ReasonCode;
import io.xfaas.records.SerializedOutcome;
import io.xfaas.scheduler.buffer.TenantEvent;
import io.xfaas.serde.Json;
import java.io.IOException;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Reads one attempt result written by a sidecar, without building it. The scheduler needs only its
 * id and tenant; the bytes go on to the outcomes topic as they are. So the result is scanned once,
 * token by token: it must be a JSON object with an id and a known status, numbers where an outcome
 * has numbers and names where it has names, what {@code Json.readOutcome} would accept. Reading it
 * into an {@code Outcome} and writing that out again cost as much as the FuncBuffer's own work on
 * the result (JFR, 2026-12-07). An unreadable result becomes a dead letter.
 */
public final class ResultParser implements Serializable {
  private static final JsonFactory FACTORY = Json.MAPPER.getFactory();
  private static final Set<String> STATUSES = names(OutcomeStatus.values());
  private static final Set<String> CRITICALITIES = names(Criticality.values());
  private static final Set<String> REASONS = names(ReasonCode.values());

  private final DeadLetters letters;

  public ResultParser(String region) {
    this.letters = new DeadLetters(region);
  }

  /**
   * The result as its tenant's event, or null after handing {@code deadLetters} the reason it could
   * not be read.
   */
  public TenantEvent parse(RawRecord record, long now, Consumer<DeadLetter> deadLetters) {
    byte[] value = record.value();
    if (value == null || value.length == 0) {
      deadLetters.accept(letters.unnamed(record, ReasonCode.MALFORMED_JSON, "empty record", now));
      return null;
    }
    Scan scan = new Scan();
    try {
      scan.read(value);
    } catch (IOException e) {
      deadLetters.accept(
          letters.unnamed(
              record, ReasonCode.MALFORMED_JSON, "not an outcome: " + e.getMessage(), now));
      return null;
    }
    if (scan.id == null || !scan.status) {
      deadLetters.accept(
          letters.unnamed(record, ReasonCode.MISSING_FIELD, "result without id or status", now));
      return null;
    }
    return TenantEvent.result(scan.tenant, new SerializedOutcome(scan.id, value));
  }

  /** What the scheduler takes from a result, checked on the way through. */
  private static final class Scan {
    String id;
    String tenant;
    boolean status;

    void read(byte[] value) throws IOException {
      try (JsonParser p = FACTORY.createParser(value)) {
        if (p.nextToken() != JsonToken.START_OBJECT) throw new IOException("not a JSON object");
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
          if (t != JsonToken.FIELD_NAME) throw new IOException("truncated");
          String field = p.currentName();
          JsonToken v = p.nextToken();
          switch (field) {
            case "id" -> id = text(p, v, field);
            case "tenant" -> tenant = text(p, v, field);
            case "function", "detail", "region" -> text(p, v, field);
            case "status" -> status = name(p, v, field, STATUSES) != null;
            case "criticality" -> name(p, v, field, CRITICALITIES);
            case "reason" -> name(p, v, field, REASONS);
            case "attempts", "submittedAt", "dispatchedAt", "startedAt", "finishedAt" -> {
              if (!v.isNumeric() && v != JsonToken.VALUE_NULL) {
                throw new IOException(field + " is not a number");
              }
            }
            default -> p.skipChildren(); // the result (any JSON), and fields of newer versions
          }
        }
      }
    }

    private static String text(JsonParser p, JsonToken v, String field) throws IOException {
      if (v == JsonToken.VALUE_NULL) return null;
      if (!v.isScalarValue()) throw new IOException(field + " is not a string");
      return p.getText();
    }

    private static String name(JsonParser p, JsonToken v, String field, Set<String> names)
        throws IOException {
      String n = text(p, v, field);
      if (n != null && !names.contains(n)) throw new IOException("unknown " + field + " " + n);
      return n;
    }
  }

  private static Set<String> names(Enum<?>[] values) {
    return Arrays.stream(values).map(Enum::name).collect(Collectors.toUnmodifiableSet());
  }
}
