package io.xfaas.dlq;

/**
 * The audit record of one redrive run, keyed {@code run/<runId>} on the redrive topic.
 *
 * @param runId the run
 * @param who the user that ran it
 * @param when epoch milliseconds
 * @param redriven dead letters re-submitted to DurableQ
 * @param skipped matching dead letters skipped because an earlier run redrove them
 * @param unredrivable matching dead letters that cannot be redriven (no original, or not from
 *     DurableQ)
 * @param filters the selection the run was given
 * @param durableq where the originals went
 */
public record RedriveRun(
    String runId,
    String who,
    long when,
    int redriven,
    int skipped,
    int unredrivable,
    DlqSelection filters,
    String durableq) {}
