package io.xfaas.scheduler.operators;

import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.kafka.RawRecord;
import io.xfaas.records.Criticality;
import io.xfaas.records.DeadLetter;
import io.xfaas.records.Outcome;
import io.xfaas.records.OutcomeStatus;
import io.xfaas.records.ReasonCode;
import io.xfaas.scheduler.buffer.TenantEvent;
import io.xfaas.serde.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResultParserTest {
  private final ResultParser parser = new ResultParser("r1");
  private final List<DeadLetter> letters = new ArrayList<>();

  private static final Outcome SUCCEEDED =
      new Outcome(
          "id-1",
          "tenant-a",
          "echo",
          Criticality.CRITICAL,
          OutcomeStatus.SUCCEEDED,
          null,
          null,
          1,
          10L,
          11L,
          12L,
          13L,
          "r1",
          "{\"echo\":[1,{\"deep\":\"x\"}]}");

  @Test
  void aSidecarsResultGoesToItsTenantWithItsBytesAsTheOutcome() {
    byte[] bytes = Json.write(SUCCEEDED);

    TenantEvent e = parse(bytes);

    assertThat(e.tenant()).isEqualTo("tenant-a");
    assertThat(e.result().id()).isEqualTo("id-1");
    assertThat(e.result().json()).isSameAs(bytes);
    assertThat(e.result().outcome()).isEqualTo(SUCCEEDED);
    assertThat(letters).isEmpty();
  }

  @Test
  void aResultWithoutATenantGoesUnderTheEmptyTenant() {
    TenantEvent e = parse(text("{\"id\":\"x\",\"status\":\"FAILED\",\"reason\":\"TIMEOUT\"}"));

    assertThat(e.tenant()).isEmpty();
    assertThat(e.result().id()).isEqualTo("x");
  }

  @Test
  void fieldsOfANewerVersionAreLetThrough() {
    TenantEvent e = parse(text("{\"id\":\"x\",\"status\":\"SUCCEEDED\",\"cost\":{\"ms\":[3]}}"));

    assertThat(e.result().id()).isEqualTo("x");
  }

  @Test
  void anEmptyRecordIsADeadLetter() {
    assertThat(parse(new byte[0])).isNull();
    assertThat(letters).extracting(DeadLetter::reason).containsExactly(ReasonCode.MALFORMED_JSON);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "not json",
        "[1,2]",
        "\"id\"",
        "{\"id\":\"x\",\"status\":\"SUCCEEDED\"",
        "{\"id\":\"x\",\"status\":\"SUCCEEDED\",\"result\":{\"a\":}",
        "{\"id\":\"x\",\"status\":\"DONE-ISH\"}",
        "{\"id\":\"x\",\"status\":\"FAILED\",\"reason\":\"BAD-LUCK\"}",
        "{\"id\":\"x\",\"status\":\"SUCCEEDED\",\"criticality\":\"SOMETIMES\"}",
        "{\"id\":\"x\",\"status\":\"SUCCEEDED\",\"attempts\":\"two\"}",
        "{\"id\":\"x\",\"status\":\"SUCCEEDED\",\"finishedAt\":{}}",
        "{\"id\":{\"nested\":1},\"status\":\"SUCCEEDED\"}",
      })
  void whatCannotBeReadAsAnOutcomeIsMalformed(String json) {
    assertThat(parse(text(json))).isNull();
    assertThat(letters).extracting(DeadLetter::reason).containsExactly(ReasonCode.MALFORMED_JSON);
    assertThat(letters.get(0).original()).isEqualTo(json);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"status\":\"SUCCEEDED\"}",
        "{\"id\":null,\"status\":\"SUCCEEDED\"}",
        "{\"id\":\"x\"}",
        "{\"id\":\"x\",\"status\":null}",
      })
  void aResultWithoutIdOrStatusIsMissingAField(String json) {
    assertThat(parse(text(json))).isNull();
    assertThat(letters).extracting(DeadLetter::reason).containsExactly(ReasonCode.MISSING_FIELD);
  }

  /** The scan accepts what reading the whole outcome accepted, and refuses what it refused. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"id\":\"x\",\"status\":\"SUCCEEDED\",\"attempts\":2,\"submittedAt\":5}",
        "{\"id\":\"x\",\"status\":\"EXPIRED\",\"dispatchedAt\":null,\"result\":null}",
        "{\"id\":\"x\",\"status\":\"SUCCEEDED\",\"result\":\"plain\",\"region\":\"r\"}",
        "{\"id\":\"x\",\"status\":\"SUCCEEDED\",\"result\":[1,2,{\"a\":[]}]}",
        "{\"id\":\"x\",\"status\":\"CANCELLED\",\"unknown\":true}",
        "{\"id\":\"x\",\"status\":\"SUCCEEDED\",\"attempts\":\"two\"}",
        "{\"id\":\"x\",\"status\":\"DONE-ISH\"}",
        "{\"id\":\"x\",\"status\":\"SUCCEEDED\",\"result\":{\"a\":}",
        "[1,2]",
      })
  void itAgreesWithReadingTheWholeOutcome(String json) {
    boolean whole;
    try {
      Outcome o = Json.readOutcome(text(json));
      whole = o.id() != null && o.status() != null;
    } catch (RuntimeException e) {
      whole = false;
    }

    assertThat(parse(text(json)) != null).isEqualTo(whole);
  }

  private TenantEvent parse(byte[] value) {
    return parser.parse(new RawRecord("results", 0, 7, 1, null, value), 100, letters::add);
  }

  private static byte[] text(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
