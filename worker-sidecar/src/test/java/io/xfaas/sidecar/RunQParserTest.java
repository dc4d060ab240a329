package io.xfaas.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.records.Criticality;
import io.xfaas.records.Invocation;
import io.xfaas.serde.InvocationLimits;
import io.xfaas.serde.InvocationSerde;
import io.xfaas.serde.ParseResult;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The streaming reader agrees with the contract's own on every record, and keeps payloads raw. */
class RunQParserTest {
  private static final long NOW = 1_700_000_000_000L;
  private final RunQParser parser = new RunQParser(InvocationLimits.DEFAULTS);
  private final InvocationSerde serde = new InvocationSerde(InvocationLimits.DEFAULTS);

  @Test
  void agreesWithTheContractsReaderOnEveryKindOfRecord() {
    Map<String, String> attrs = new LinkedHashMap<>();
    attrs.put("trace", "abc");
    attrs.put("span", "1");
    List<String> records =
        List.of(
            write(invocation("a", null, Map.of(), null)),
            // Payloads as the scheduler writes them: compact, as the contract's reader gives them.
            write(
                invocation(
                    "b", "{\"n\":[1,2.5,{\"x\":\"\u00e9\\\"\"}],\"e\":{}}", attrs, NOW - 10)),
            write(invocation("c", "[1,2,3]", Map.of(), null)),
            "{\"id\":\"d\",\"tenant\":\"t\",\"function\":\"f\"}",
            "{\"id\":\"e\",\"tenant\":\"t\",\"function\":\"f\",\"criticality\":\"critical\"}",
            "{\"id\":\"f\",\"tenant\":\"t\",\"function\":\"f\",\"payload\":\"text\"}",
            "{\"id\":\"g\",\"tenant\":\"t\",\"function\":\"f\",\"payload\":42,\"priority\":null}",
            "{\"id\":\"h\",\"tenant\":\"t\",\"function\":\"f\",\"custom\":{\"a\":1}}",
            "{\"kind\":\"cancel\",\"id\":\"i\",\"tenant\":\"t\"}",
            "{\"id\":\"j\",\"tenant\":\"t\",\"function\":\"f\",\"attempt\":4,\"maxAttempts\":3}",
            "{\"id\":\"k\",\"tenant\":\"t\",\"function\":\"f\",\"attempt\":1.5}",
            "{\"id\":\"l\",\"tenant\":\"t\",\"function\":\"f\",\"deadline\":1,\"submittedAt\":5}",
            "{\"id\":\"m\",\"tenant\":\"t\",\"function\":\"f\",\"deadline\":1}",
            "{\"id\":\"n\",\"tenant\":\"t b\",\"function\":\"f\"}",
            "{\"id\":\"o\",\"tenant\":\"t\",\"function\":\"f\",\"attributes\":{\"a\":1}}",
            "{\"id\":\"p\",\"tenant\":\"t\",\"function\":\"f\"} trailing",
            "{\"id\":\"q\",\"tenant\":\"t\",\"function\":\"f\",\"payload\":{\"a\":",
            "{\"id\":\"r\",\"tenant\":\"t\",\"function\":\"f\",\"payload\":{\"a\":1},\"payload\":null}",
            "{\"id\":7,\"tenant\":\"t\",\"function\":\"f\"}",
            "[1,2]",
            "");
    for (String r : records) {
      byte[] bytes = r.getBytes(StandardCharsets.UTF_8);
      assertThat(parser.parse(bytes, NOW)).as(r).isEqualTo(serde.parse(bytes, NOW));
    }
    assertThat(parser.parse(null, NOW)).isEqualTo(serde.parse(null, NOW));
  }

  /** Unlike the contract's reader, which re-serialises it (compact, escapes decoded). */
  @Test
  void keepsThePayloadAsTheTextItArrivedAs() {
    String payload = "{ \"b\" : [1, 2.50], \"a\":\"\\u00e9\" }";
    byte[] bytes =
        ("{\"id\":\"x\",\"payload\": " + payload + ",\"tenant\":\"t\",\"function\":\"f\"}")
            .getBytes(StandardCharsets.UTF_8);

    ParseResult r = parser.parse(bytes, NOW);

    assertThat(((ParseResult.Accepted) r).invocation().payload()).isEqualTo(payload);
  }

  private static String write(Invocation inv) {
    return new String(InvocationSerde.write(inv), StandardCharsets.UTF_8);
  }

  private static Invocation invocation(
      String id, String payload, Map<String, String> attributes, Long dispatchedAt) {
    return new Invocation(
        id,
        "tenant-1",
        "echo",
        Criticality.DEFERRABLE,
        3,
        NOW - 1_000,
        NOW - 500,
        NOW + 60_000,
        2,
        5,
        payload,
        attributes,
        dispatchedAt,
        Map.of());
  }
}
