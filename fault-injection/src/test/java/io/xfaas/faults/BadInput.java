package io.xfaas.faults;

import io.xfaas.records.ReasonCode;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One record of each kind of bad input the scheduler's parser rejects, by {@link ReasonCode}. All
 * but the malformed one carry an id, so their submitter is owed a REJECTED outcome.
 */
final class BadInput {
  /** The kinds, in the order the flood cycles through them. */
  static final List<ReasonCode> KINDS =
      List.of(
          ReasonCode.MALFORMED_JSON,
          ReasonCode.MISSING_FIELD,
          ReasonCode.INVALID_FIELD,
          ReasonCode.UNKNOWN_CRITICALITY,
          ReasonCode.INVALID_TIMESTAMP,
          ReasonCode.PAYLOAD_TOO_LARGE);

  private BadInput() {}

  /** A record of {@code kind} with id {@code id}; {@code payloadLimit} is the region's limit. */
  static byte[] record(ReasonCode kind, String id, int payloadLimit) {
    String json =
        switch (kind) {
          case MALFORMED_JSON -> "{\"id\":\"" + id + "\",\"tenant\":";
          case MISSING_FIELD -> "{\"id\":\"" + id + "\",\"function\":\"echo\"}";
          case INVALID_FIELD ->
              "{\"id\":\""
                  + id
                  + "\",\"tenant\":\"bad\",\"function\":\"echo\",\"priority\":\"high\"}";
          case UNKNOWN_CRITICALITY ->
              "{\"id\":\""
                  + id
                  + "\",\"tenant\":\"bad\",\"function\":\"echo\",\"criticality\":\"URGENT\"}";
          case INVALID_TIMESTAMP ->
              "{\"id\":\""
                  + id
                  + "\",\"tenant\":\"bad\",\"function\":\"echo\",\"submittedAt\":1000,\"deadline\":10}";
          case PAYLOAD_TOO_LARGE ->
              "{\"id\":\""
                  + id
                  + "\",\"tenant\":\"bad\",\"function\":\"echo\",\"payload\":\""
                  + "x".repeat(payloadLimit + 1)
                  + "\"}";
          default -> throw new IllegalArgumentException("not a parser rejection: " + kind);
        };
    return json.getBytes(StandardCharsets.UTF_8);
  }

  /** Whether a rejected record of this kind carries a usable id. */
  static boolean hasId(ReasonCode kind) {
    return kind != ReasonCode.MALFORMED_JSON;
  }
}
