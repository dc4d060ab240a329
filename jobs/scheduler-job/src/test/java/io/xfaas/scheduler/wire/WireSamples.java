package io.xfaas.scheduler.wire;

import io.xfaas.records.Criticality;
import io.xfaas.records.Invocation;
import io.xfaas.records.Outcome;
import io.xfaas.records.OutcomeStatus;
import io.xfaas.records.ReasonCode;
import java.util.Map;

/** Records with every optional part present and absent, and text beyond ASCII. */
final class WireSamples {
  private WireSamples() {}

  static Invocation full() {
    return new Invocation(
        "id-ü-1",
        "tenant-a",
        "echo",
        Criticality.DEFERRABLE,
        -3,
        1_700_000_000_000L,
        1_700_000_000_500L,
        1_700_000_060_000L,
        2,
        5,
        "{\"text\":\"héllo \\u0001 ☃ 😀\",\"n\":[1,2,3]}",
        Map.of("trace", "abc", "ключ", "значение"),
        1_700_000_000_900L,
        Map.of("x-unknown", "{\"nested\":true}"));
  }

  static Invocation bare() {
    return new Invocation(
        "id-2", "t", "f", Criticality.CRITICAL, 0, 0L, null, null, 1, 1, null, null, null, null);
  }

  static Invocation empty() {
    return new Invocation(
        "",
        "",
        "",
        Criticality.NORMAL,
        Integer.MAX_VALUE,
        Long.MIN_VALUE,
        null,
        null,
        0,
        0,
        "",
        Map.of("", ""),
        null,
        Map.of());
  }

  static Outcome succeeded() {
    return Outcome.succeeded(full(), 1_700_000_001_000L, 1_700_000_001_250L, "eu-1", "{\"ok\":1}");
  }

  static Outcome rejected() {
    return new Outcome(
        "id-3",
        null,
        null,
        null,
        OutcomeStatus.REJECTED,
        ReasonCode.values()[0],
        "bad ☃",
        0,
        5L,
        null,
        null,
        9L,
        null,
        null);
  }
}
