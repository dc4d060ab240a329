package io.xfaas.serde;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/** Reads any JSON value back into its text form, the mirror of {@code @JsonRawValue}. */
public final class RawJsonDeserializer extends JsonDeserializer<String> {
  @Override
  public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    JsonNode node = p.readValueAsTree();
    return node == null || node.isNull() ? null : node.toString();
  }

  @Override
  public String getNullValue(DeserializationContext ctxt) {
    return null;
  }
}
