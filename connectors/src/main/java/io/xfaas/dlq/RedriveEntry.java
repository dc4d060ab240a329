package io.xfaas.dlq;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The audit record of one redriven dead letter, keyed {@code topic/partition/offset} of the DLQ
 * record on the compacted redrive topic.
 *
 * @param who the user that ran the redrive
 * @param when epoch milliseconds of the run
 * @param dlqTopic the DLQ record's topic
 * @param dlqPartition its partition
 * @param dlqOffset its offset
 * @param id the invocation id, when the dead letter has one
 * @param reason the dead letter's reason
 * @param runId the run that redrove it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RedriveEntry(
    String who,
    long when,
    String dlqTopic,
    int dlqPartition,
    long dlqOffset,
    String id,
    String reason,
    String runId) {

  public String auditKey() {
    return DlqRecord.auditKey(dlqTopic, dlqPartition, dlqOffset);
  }
}
