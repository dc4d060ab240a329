package io.xfaas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import io.xfaas.records.Criticality;
import io.xfaas.records.Invocation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The RunQ writer against the Jackson generator it replaced: the same bytes, record by record. */
class InvocationWriteTest {
  private static final String ALPHABET = "aZ09 -_:.\"\\/\n\t\r\b\f\u0001\u001f\u007fé✓\u00a0";

  @Test
  void writesWhatJacksonsGeneratorWrote() throws IOException {
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < 2000; i++) {
      Invocation inv = randomInvocation(random);
      assertThat(new String(InvocationSerde.write(inv), StandardCharsets.UTF_8))
          .as("invocation %d", i)
          .isEqualTo(new String(jackson(inv), StandardCharsets.UTF_8));
    }
  }

  @Test
  void numbersAtTheEdgesAsJacksonWritesThem() throws IOException {
    long[] edges = {
      0,
      -1,
      9,
      10,
      99,
      100,
      -9,
      -10,
      999_999_999_999_999_999L,
      1_000_000_000_000_000_000L,
      Long.MAX_VALUE,
      Long.MIN_VALUE,
      Long.MIN_VALUE + 1,
      Integer.MIN_VALUE
    };
    for (long n : edges) {
      Invocation inv = sample(n, "{}");
      assertThat(new String(InvocationSerde.write(inv), StandardCharsets.UTF_8))
          .as("%d", n)
          .isEqualTo(new String(jackson(inv), StandardCharsets.UTF_8));
    }
  }

  /** The writer keeps its buffer between records: a big record must not leave bytes behind. */
  @Test
  void aSmallRecordAfterABigOneIsWrittenWhole() throws IOException {
    Invocation big = sample(1, "\"" + "x".repeat(200_000) + "\"");
    Invocation small = sample(2, "[1]");
    assertThat(InvocationSerde.write(big)).isEqualTo(jackson(big));
    assertThat(InvocationSerde.write(small)).isEqualTo(jackson(small));
    assertThat(InvocationSerde.write(small)).isEqualTo(jackson(small));
  }

  private static Invocation sample(long n, String payload) {
    return new Invocation(
        "id", "t", "f", Criticality.NORMAL, (int) n, n, n, n, 1, 3, payload, Map.of(), n, Map.of());
  }

  @Test
  void aWrittenInvocationReadsBackEqual() {
    SplittableRandom random = new SplittableRandom(7);
    InvocationSerde serde = new InvocationSerde(new InvocationLimits(1000, 16, 1 << 20, 3));
    for (int i = 0; i < 200; i++) {
      Invocation inv = randomInvocation(random);
      ParseResult r = serde.parse(InvocationSerde.write(inv), inv.submittedAt());
      assertThat(r).isInstanceOf(ParseResult.Accepted.class);
      assertThat(((ParseResult.Accepted) r).invocation()).isEqualTo(inv);
    }
  }

  @Test
  void aLoneSurrogateReadFromAnEscapeIsWrittenAsTheSameEscape() {
    InvocationSerde serde = new InvocationSerde(InvocationLimits.DEFAULTS);
    String json =
        "{\"id\":\"a\\ud800\",\"tenant\":\"t\",\"function\":\"f\","
            + "\"attributes\":{\"k\":\"\\udc00x\\ud83d\\ude00\"},\"x-\\udbff\":1}";
    Invocation inv =
        ((ParseResult.Accepted) serde.parse(json.getBytes(StandardCharsets.UTF_8), 1L))
            .invocation();
    assertThat(inv.id()).isEqualTo("a\ud800");
    byte[] written = InvocationSerde.write(inv);
    assertThat(new String(written, StandardCharsets.UTF_8))
        .contains("\"a\\uD800\"", "\"\\uDC00x\uD83D\uDE00\"", "\"x-\\uDBFF\":1");
    assertThat(serde.parse(written, 1L)).isEqualTo(new ParseResult.Accepted(inv));
  }

  private static Invocation randomInvocation(SplittableRandom r) {
    Map<String, String> attributes = new LinkedHashMap<>();
    for (int k = r.nextInt(3); k > 0; k--) attributes.put(text(r, 6), text(r, 10));
    Map<String, String> extra = new LinkedHashMap<>();
    if (r.nextBoolean()) extra.put("x-" + r.nextInt(100), "{\"k\":[1,\"" + "é✓" + "\"]}");
    String payload =
        switch (r.nextInt(3)) {
          case 0 -> null;
          case 1 -> "{\"s\":\"" + "ab✓".repeat(r.nextInt(5)) + "\",\"n\":" + r.nextInt() + "}";
          default -> "[1,2.5,true,null]";
        };
    return new Invocation(
        "id-" + r.nextInt(1_000_000),
        "tenant-" + r.nextInt(100),
        "fn." + r.nextInt(10),
        Criticality.values()[r.nextInt(3)],
        r.nextInt(-5, 5),
        1_700_000_000_000L + r.nextInt(1000),
        r.nextBoolean() ? null : 1_700_000_000_000L + r.nextInt(1000),
        r.nextBoolean() ? null : 1_800_000_000_000L,
        1 + r.nextInt(3),
        3,
        payload,
        attributes,
        r.nextBoolean() ? null : 1_700_000_000_500L,
        extra);
  }

  private static String text(SplittableRandom r, int max) {
    StringBuilder b = new StringBuilder();
    for (int n = 1 + r.nextInt(max); n > 0; n--)
      b.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
    return b.toString();
  }

  /** The generator-based writer this module used before. */
  private static byte[] jackson(Invocation inv) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("id", inv.id());
      g.writeStringField("tenant", inv.tenant());
      g.writeStringField("function", inv.function());
      g.writeStringField("criticality", inv.criticality().name());
      g.writeNumberField("priority", inv.priority());
      g.writeNumberField("submittedAt", inv.submittedAt());
      if (inv.notBefore() != null) g.writeNumberField("notBefore", inv.notBefore());
      if (inv.deadline() != null) g.writeNumberField("deadline", inv.deadline());
      g.writeNumberField("attempt", inv.attempt());
      g.writeNumberField("maxAttempts", inv.maxAttempts());
      if (inv.dispatchedAt() != null) g.writeNumberField("dispatchedAt", inv.dispatchedAt());
      if (!inv.attributes().isEmpty()) {
        g.writeObjectFieldStart("attributes");
        for (Map.Entry<String, String> e : inv.attributes().entrySet()) {
          g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
      }
      if (inv.payload() != null) {
        g.writeFieldName("payload");
        g.writeRawValue(inv.payload());
      }
      for (Map.Entry<String, String> e : inv.extra().entrySet()) {
        g.writeFieldName(e.getKey());
        g.writeRawValue(e.getValue());
      }
      g.writeEndObject();
    }
    return out.toByteArray();
  }
}
