package io.xfaas.records;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A record that could not be processed, kept with its original bytes on the dead-letter topic.
 *
 * @param reason machine-readable cause
 * @param detail human-readable explanation
 * @param id the invocation id, when the record carried a usable one
 * @param tenant the tenant, when known
 * @param function the function, when known
 * @param original the record as it arrived, when it was valid UTF-8
 * @param originalBase64 the record as it arrived, base64, when it was not valid UTF-8
 * @param topic where it came from
 * @param partition where it came from
 * @param offset where it came from
 * @param failedAt when it was dead-lettered
 * @param region the region that dead-lettered it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeadLetter(
    ReasonCode reason,
    String detail,
    String id,
    String tenant,
    String function,
    String original,
    String originalBase64,
    String topic,
    int partition,
    long offset,
    long failedAt,
    String region) {

  /**
   * A dead letter for {@code original} as it arrived: kept as text when it is valid UTF-8, as
   * base64 otherwise, so the exact bytes can always be recovered.
   */
  public static DeadLetter of(
      ReasonCode reason,
      String detail,
      String id,
      String tenant,
      String function,
      byte[] original,
      String topic,
      int partition,
      long offset,
      long failedAt,
      String region) {
    String text = utf8OrNull(original);
    String base64 =
        text == null && original != null ? Base64.getEncoder().encodeToString(original) : null;
    return new DeadLetter(
        reason, detail, id, tenant, function, text, base64, topic, partition, offset, failedAt,
        region);
  }

  private static String utf8OrNull(byte[] bytes) {
    if (bytes == null) return null;
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
