package io.xfaas.dlq;

import io.xfaas.kafka.TopicRecord;
import io.xfaas.records.DeadLetter;
import io.xfaas.records.Invocation;
import io.xfaas.records.ReasonCode;
import io.xfaas.serde.ParseResult;
import java.io.Serializable;

/**
 * Makes one region's dead letters for records read from a topic. A letter keeps the record's bytes
 * and where they were read, and names the invocation as far as the record could be read.
 */
public final class DeadLetters implements Serializable {
  private final String region;

  public DeadLetters(String region) {
    this.region = region;
  }

  /** For a record that names no invocation: unreadable, or about something else. */
  public DeadLetter unnamed(TopicRecord record, ReasonCode reason, String detail, long at) {
    return letter(record, reason, detail, null, null, null, at);
  }

  /** For a record about a tenant's settings rather than an invocation. */
  public DeadLetter ofTenant(
      TopicRecord record, ReasonCode reason, String detail, String tenant, long at) {
    return letter(record, reason, detail, null, tenant, null, at);
  }

  /** For a record the parser rejected, naming what of the invocation it could read. */
  public DeadLetter rejected(TopicRecord record, ParseResult.Rejected rejected, long at) {
    return letter(
        record,
        rejected.reason(),
        rejected.detail(),
        rejected.id(),
        rejected.tenant(),
        rejected.function(),
        at);
  }

  /** For a record whose invocation was read and then given up on. */
  public DeadLetter gaveUp(
      TopicRecord record, Invocation inv, ReasonCode reason, String detail, long at) {
    return letter(record, reason, detail, inv.id(), inv.tenant(), inv.function(), at);
  }

  /** The first line of a parse error: Jackson goes on, on later lines, to quote the input. */
  public static String firstLine(Exception e) {
    return String.valueOf(e.getMessage()).lines().findFirst().orElse("unreadable");
  }

  private DeadLetter letter(
      TopicRecord record,
      ReasonCode reason,
      String detail,
      String id,
      String tenant,
      String function,
      long at) {
    return DeadLetter.of(
        reason,
        detail,
        id,
        tenant,
        function,
        record.value(),
        record.topic(),
        record.partition(),
        record.offset(),
        at,
        region);
  }
}
