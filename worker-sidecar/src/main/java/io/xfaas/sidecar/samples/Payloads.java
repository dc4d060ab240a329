package io.xfaas.sidecar.samples;

import com.fasterxml.jackson.databind.JsonNode;
import io.xfaas.serde.Json;
import java.io.IOException;

/** Reads the arguments of the sample functions from their JSON payload. */
final class Payloads {
  private Payloads() {}

  /**
   * The non-negative integer field {@code field} of a JSON object payload, or {@code dflt} when the
   * payload or the field is absent.
   *
   * @throws IllegalArgumentException if the payload is not an object or the field not an integer
   *     &gt;= 0: a call with bad arguments fails like any other function error
   */
  static long nonNegativeLong(String payloadJson, String field, long dflt) {
    if (payloadJson == null) return dflt;
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(payloadJson);
    } catch (IOException e) {
      throw new IllegalArgumentException("payload is not JSON: " + e.getMessage(), e);
    }
    if (root == null || root.isNull()) return dflt;
    if (!root.isObject()) throw new IllegalArgumentException("payload must be a JSON object");
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) return dflt;
    if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < 0) {
      throw new IllegalArgumentException(field + " must be an integer >= 0, not " + node);
    }
    return node.longValue();
  }
}
