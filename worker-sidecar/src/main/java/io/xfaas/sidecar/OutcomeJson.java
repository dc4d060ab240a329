package io.xfaas.sidecar;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.xfaas.records.Outcome;
import io.xfaas.serde.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes an {@link Outcome} as {@link Json#write} does, byte for byte (a test holds them equal),
 * straight to a generator: no serializer look-up or reflection per outcome, and the result, raw
 * JSON already, copied as it is.
 */
final class OutcomeJson {
  private static final JsonFactory FACTORY = Json.MAPPER.getFactory();

  private OutcomeJson() {}

  private static final int KEEP_BYTES = 16 * 1024;

  /** One buffer per thread, reused: an outcome costs one copy, its bytes. */
  private static final ThreadLocal<ByteArrayOutputStream> BUFFER =
      ThreadLocal.withInitial(() -> new ByteArrayOutputStream(1024));

  static byte[] write(Outcome o) {
    ByteArrayOutputStream out = BUFFER.get();
    out.reset();
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      string(g, "id", o.id());
      string(g, "tenant", o.tenant());
      string(g, "function", o.function());
      if (o.criticality() != null) g.writeStringField("criticality", o.criticality().name());
      if (o.status() != null) g.writeStringField("status", o.status().name());
      if (o.reason() != null) g.writeStringField("reason", o.reason().name());
      string(g, "detail", o.detail());
      g.writeNumberField("attempts", o.attempts());
      g.writeNumberField("submittedAt", o.submittedAt());
      if (o.dispatchedAt() != null) g.writeNumberField("dispatchedAt", o.dispatchedAt());
      if (o.startedAt() != null) g.writeNumberField("startedAt", o.startedAt());
      g.writeNumberField("finishedAt", o.finishedAt());
      string(g, "region", o.region());
      if (o.result() != null) {
        g.writeFieldName("result");
        g.writeRawValue(o.result());
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] bytes = out.toByteArray();
    if (bytes.length > KEEP_BYTES) BUFFER.remove(); // a rare large result: do not keep its buffer
    return bytes;
  }

  private static void string(JsonGenerator g, String field, String value) throws IOException {
    if (value != null) g.writeStringField(field, value);
  }
}
