package io.xfaas.kafka;

/**
 * A DurableQ record as it arrived, before parsing: the bytes plus where they came from, so a dead
 * letter can point back at the original; and, when the scheduler checks signatures, the signature
 * headers ({@code keyId}, {@code signature}: null when absent or not read).
 */
public record RawRecord(
    String topic,
    int partition,
    long offset,
    long timestamp,
    byte[] key,
    byte[] value,
    String keyId,
    String signature)
    implements TopicRecord {

  /** A record without signature headers. */
  public RawRecord(
      String topic, int partition, long offset, long timestamp, byte[] key, byte[] value) {
    this(topic, partition, offset, timestamp, key, value, null, null);
  }
}
