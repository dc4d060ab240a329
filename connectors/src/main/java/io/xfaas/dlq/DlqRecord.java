package io.xfaas.dlq;

import io.xfaas.records.DeadLetter;

/**
 * One record of the DLQ topic: where it sits, and the dead letter it holds.
 *
 * @param topic the DLQ topic
 * @param partition its partition
 * @param offset its offset
 * @param letter the dead letter, or null when the value could not be read as one
 * @param error why the value could not be read, when {@code letter} is null
 */
public record DlqRecord(String topic, int partition, long offset, DeadLetter letter, String error) {

  public static DlqRecord of(String topic, int partition, long offset, DeadLetter letter) {
    return new DlqRecord(topic, partition, offset, letter, null);
  }

  /** The key of this record in the redrive audit: {@code topic/partition/offset}. */
  public String auditKey() {
    return auditKey(topic, partition, offset);
  }

  public static String auditKey(String topic, int partition, long offset) {
    return topic + "/" + partition + "/" + offset;
  }

  /** The reason's name, or {@code (unreadable)} when the value is not a dead letter. */
  public String reasonName() {
    if (letter == null) return "(unreadable)";
    return letter.reason() == null ? "(none)" : letter.reason().name();
  }
}
