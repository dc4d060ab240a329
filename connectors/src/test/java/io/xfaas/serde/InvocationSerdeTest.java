package io.xfaas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.records.Criticality;
import io.xfaas.records.Invocation;
import io.xfaas.records.ReasonCode;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InvocationSerdeTest {
  private static final long NOW = 1_700_000_000_000L;
  private final InvocationSerde serde = new InvocationSerde(new InvocationLimits(64, 16, 1000, 3));

  private ParseResult parse(String json) {
    return serde.parse(json.getBytes(StandardCharsets.UTF_8), NOW);
  }

  private Invocation accepted(String json) {
    ParseResult r = parse(json);
    assertThat(r).isInstanceOf(ParseResult.Accepted.class);
    return ((ParseResult.Accepted) r).invocation();
  }

  private ParseResult.Rejected rejected(String json) {
    ParseResult r = parse(json);
    assertThat(r).isInstanceOf(ParseResult.Rejected.class);
    return (ParseResult.Rejected) r;
  }

  @Test
  void minimalInvocationGetsDefaults() {
    Invocation inv = accepted("{\"id\":\"a1\",\"tenant\":\"t\",\"function\":\"echo\"}");
    assertThat(inv.criticality()).isEqualTo(Criticality.NORMAL);
    assertThat(inv.priority()).isZero();
    assertThat(inv.submittedAt()).isEqualTo(NOW);
    assertThat(inv.attempt()).isEqualTo(1);
    assertThat(inv.maxAttempts()).isEqualTo(3);
    assertThat(inv.deadline()).isNull();
    assertThat(inv.notBefore()).isNull();
    assertThat(inv.payload()).isNull();
    assertThat(inv.attributes()).isEmpty();
    assertThat(inv.extra()).isEmpty();
  }

  @Test
  void fullInvocationRoundTrips() {
    Invocation inv =
        new Invocation(
            "id-1",
            "tenant-a",
            "resize",
            Criticality.DEFERRABLE,
            7,
            NOW - 10,
            NOW + 5,
            NOW + 60_000,
            2,
            4,
            "{\"w\":[1,2],\"s\":\"x\"}",
            Map.of("traceparent", "00-abc"),
            NOW,
            Map.of("future", "{\"n\":1}"));
    Invocation back = accepted(new String(InvocationSerde.write(inv), StandardCharsets.UTF_8));
    assertThat(back).isEqualTo(inv);
  }

  @Test
  void unknownFieldsArePreservedThroughARoundTrip() {
    String json =
        "{\"id\":\"a\",\"tenant\":\"t\",\"function\":\"f\",\"x-team\":\"blue\","
            + "\"nested\":{\"k\":[1,true,null]},\"payload\":{\"p\":1}}";
    Invocation inv = accepted(json);
    assertThat(inv.extra())
        .containsEntry("x-team", "\"blue\"")
        .containsEntry("nested", "{\"k\":[1,true,null]}");
    String written = new String(InvocationSerde.write(inv), StandardCharsets.UTF_8);
    assertThat(written)
        .contains("\"x-team\":\"blue\"")
        .contains("\"nested\":{\"k\":[1,true,null]}");
    assertThat(accepted(written)).isEqualTo(inv);
  }

  @Test
  void criticalityIsCaseInsensitive() {
    assertThat(
            accepted(
                    "{\"id\":\"a\",\"tenant\":\"t\",\"function\":\"f\",\"criticality\":\"critical\"}")
                .criticality())
        .isEqualTo(Criticality.CRITICAL);
  }

  @Test
  void aPastDeadlineWithoutSubmittedAtIsALateCallNotBadInput() {
    // submittedAt is filled with the arrival time: the producer's deadline cannot contradict it.
    Invocation inv =
        accepted(
            "{\"id\":\"late\",\"tenant\":\"t\",\"function\":\"f\",\"deadline\":1699999999000}");
    assertThat(inv.submittedAt()).isEqualTo(NOW);
    assertThat(inv.deadline()).isEqualTo(NOW - 1000);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "not json at all | MALFORMED_JSON | ",
        "[1,2,3] | MALFORMED_JSON | ",
        "{\"id\":\"a\",\"tenant\": | MALFORMED_JSON | ",
        "{\"tenant\":\"t\",\"function\":\"f\"} | MISSING_FIELD | ",
        "{\"id\":\"a\",\"function\":\"f\"} | MISSING_FIELD | a",
        "{\"id\":\"a\",\"tenant\":\"t\"} | MISSING_FIELD | a",
        "{\"id\":\"a\",\"tenant\":null,\"function\":\"f\"} | MISSING_FIELD | a",
        "{\"id\":7,\"tenant\":\"t\",\"function\":\"f\"} | INVALID_FIELD | ",
        "{\"id\":\"a\",\"tenant\":\"t t\",\"function\":\"f\"} | INVALID_FIELD | a",
        "{\"id\":\"a\",\"tenant\":\"t\",\"function\":\"f\",\"priority\":\"high\"} | INVALID_FIELD | a",
        "{\"id\":\"a\",\"tenant\":\"t\",\"function\":\"f\",\"attempt\":5,\"maxAttempts\":3} | INVALID_FIELD | a",
        "{\"id\":\"a\",\"tenant\":\"t\",\"function\":\"f\",\"maxAttempts\":0} | INVALID_FIELD | a",
        "{\"id\":\"a\",\"tenant\":\"t\",\"function\":\"f\",\"attributes\":{\"k\":1}} | INVALID_FIELD | a",
        "{\"id\":\"a\",\"tenant\":\"t\",\"function\":\"f\",\"criticality\":\"URGENT\"} | UNKNOWN_CRITICALITY | a",
        "{\"id\":\"a\",\"tenant\":\"t\",\"function\":\"f\",\"criticality\":3} | UNKNOWN_CRITICALITY | a",
        "{\"id\":\"a\",\"tenant\":\"t\",\"function\":\"f\",\"submittedAt\":\"yesterday\"} | INVALID_TIMESTAMP | a",
        "{\"id\":\"a\",\"tenant\":\"t\",\"function\":\"f\",\"submittedAt\":-1} | INVALID_TIMESTAMP | a",
        "{\"id\":\"a\",\"tenant\":\"t\",\"function\":\"f\",\"submittedAt\":1700000005000} | INVALID_TIMESTAMP | a",
        "{\"id\":\"a\",\"tenant\":\"t\",\"function\":\"f\",\"submittedAt\":1700000000000,\"deadline\":1699999999999} | INVALID_TIMESTAMP | a",
        "{\"id\":\"a\",\"tenant\":\"t\",\"function\":\"f\",\"deadline\":1.5} | INVALID_TIMESTAMP | a",
        "{\"id\":\"a\",\"tenant\":\"t\",\"function\":\"f\",\"payload\":\"0123456789012345678901234567890123456789012345678901234567890123456789\"} | PAYLOAD_TOO_LARGE | a",
      })
  void everyRejectionHasItsReason(String json, ReasonCode reason, String id) {
    ParseResult.Rejected r = rejected(json);
    assertThat(r.reason()).isEqualTo(reason);
    assertThat(r.detail()).isNotBlank();
    assertThat(r.id()).isEqualTo(id);
  }

  @Test
  void rejectionNamesTenantAndFunctionWhenReadable() {
    ParseResult.Rejected r =
        rejected("{\"id\":\"a\",\"tenant\":\"t\",\"function\":\"f\",\"criticality\":\"URGENT\"}");
    assertThat(r.tenant()).isEqualTo("t");
    assertThat(r.function()).isEqualTo("f");
  }

  @Test
  void anIdTooLongToBeAKeyIsNotUsable() {
    ParseResult.Rejected r =
        rejected("{\"id\":\"" + "x".repeat(17) + "\",\"tenant\":\"t\",\"function\":\"f\"}");
    assertThat(r.reason()).isEqualTo(ReasonCode.INVALID_FIELD);
    assertThat(r.id()).isNull();
  }

  @Test
  void emptyAndNullRecordsAreMalformed() {
    assertThat(((ParseResult.Rejected) serde.parse(new byte[0], NOW)).reason())
        .isEqualTo(ReasonCode.MALFORMED_JSON);
    assertThat(((ParseResult.Rejected) serde.parse(null, NOW)).reason())
        .isEqualTo(ReasonCode.MALFORMED_JSON);
  }

  @Test
  void payloadLimitCountsUtf8Bytes() {
    // 30 two-byte characters plus quotes: 62 bytes fits a 64-byte limit; 33 (68 bytes) does not.
    assertThat(
            accepted(
                    "{\"id\":\"a\",\"tenant\":\"t\",\"function\":\"f\",\"payload\":\""
                        + "é".repeat(31)
                        + "\"}")
                .payload())
        .isNotNull();
    assertThat(
            rejected(
                    "{\"id\":\"a\",\"tenant\":\"t\",\"function\":\"f\",\"payload\":\""
                        + "é".repeat(33)
                        + "\"}")
                .reason())
        .isEqualTo(ReasonCode.PAYLOAD_TOO_LARGE);
  }

  @Test
  void payloadAndUnknownFieldsKeepTheJsonTextTheyArrivedAs() {
    String json =
        "{\"id\":\"a\",\"tenant\":\"t\",\"function\":\"f\","
            + "\"payload\" : { \"k\" : [1, 2.50, \"h\u00e9llo \\\"\u2713\\\"\"] } ,"
            + "\"n\":12.5e3,\"flag\":true,\"s\":\"a\\u00e9\",\"x\":1,\"x\":[ ]}";
    Invocation inv = accepted(json);
    assertThat(inv.payload()).isEqualTo("{ \"k\" : [1, 2.50, \"h\u00e9llo \\\"\u2713\\\"\"] }");
    assertThat(inv.extra())
        .containsExactly(
            Map.entry("n", "12.5e3"),
            Map.entry("flag", "true"),
            Map.entry("s", "\"a\\u00e9\""),
            Map.entry("x", "[ ]"));
  }

  @Test
  void scalarPayloadsAndARepeatedPayloadKeepTheLastValue() {
    assertThat(
            accepted("{\"id\":\"a\",\"tenant\":\"t\",\"function\":\"f\",\"payload\":-7}").payload())
        .isEqualTo("-7");
    assertThat(
            accepted(
                    "{\"id\":\"a\",\"tenant\":\"t\",\"payload\":\"x\",\"function\":\"f\",\"payload\":\"y\"}")
                .payload())
        .isEqualTo("\"y\"");
    assertThat(
            accepted("{\"id\":\"a\",\"tenant\":\"t\",\"function\":\"f\",\"payload\":null}")
                .payload())
        .isNull();
  }

  @Test
  void aRecordThatIsNotAnObjectOrIsCutShortIsMalformed() {
    assertThat(rejected("[1,2]").reason()).isEqualTo(ReasonCode.MALFORMED_JSON);
    assertThat(rejected("   ").reason()).isEqualTo(ReasonCode.MALFORMED_JSON);
    assertThat(rejected("{\"id\":\"a\",\"payload\":{\"k\":[1,2}").reason())
        .isEqualTo(ReasonCode.MALFORMED_JSON);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "a surrogate's bytes in an unknown key, 7B2278ED A080223A317D",
    "a lone continuation byte in the payload, 7B227061796C6F6164223A2280227D",
    "an overlong slash, 7B227061796C6F6164223A22C0AF227D",
    "a code point past U+10FFFF, 7B227061796C6F6164223A22F4908080227D",
    "a NUL, 7B00",
    "a UTF-16LE record, 7B0022006900640022003A00310030007D00",
    "a UTF-16 byte-order mark, FEFF007B007D",
    "a sequence cut at the end, 7B227061796C6F6164223A22E282"
  })
  void aRecordThatIsNotUtf8JsonTextIsMalformed(String what, String hex) {
    byte[] bytes = java.util.HexFormat.of().parseHex(hex.replace(" ", ""));
    ParseResult r = serde.parse(bytes, NOW);
    assertThat(r).isInstanceOf(ParseResult.Rejected.class);
    assertThat(((ParseResult.Rejected) r).reason()).isEqualTo(ReasonCode.MALFORMED_JSON);
    assertThat(((ParseResult.Rejected) r).detail()).startsWith("not UTF-8 JSON text: byte ");
  }

  @Test
  void wellFormedUtf8OfEveryLengthIsRead() {
    // Two-, three- and four-byte characters, with ASCII runs around them longer than eight bytes.
    String text = "\u00e9 \u4e2d \uD83D\uDE00 then ASCII text";
    String json =
        "{\"id\":\"id-\u00e9\",\"tenant\":\"t\",\"function\":\"f\",\"payload\":\"" + text + "\"}";
    Invocation inv = accepted(json);
    assertThat(inv.id()).isEqualTo("id-\u00e9");
    assertThat(inv.payload()).isEqualTo("\"" + text + "\"");
  }

  @Test
  void aRejectionQuotingAHugeValueIsCutShort() {
    String huge = "9".repeat(5_000);
    var r =
        rejected(
            "{\"id\":\"a\",\"tenant\":\"t\",\"function\":\"f\",\"criticality\":\"" + huge + "\"}");
    assertThat(r.reason()).isEqualTo(ReasonCode.UNKNOWN_CRITICALITY);
    assertThat(r.detail()).hasSize(InvocationSerde.MAX_DETAIL).endsWith("...");
    assertThat(InvocationSerde.shortened("x".repeat(252) + "\uD83D\uDE00" + "yyy"))
        .isEqualTo("x".repeat(252) + "...");
  }
}
