package io.xfaas.replay;

import io.xfaas.records.Criticality;

/**
 * One call of a replay plan.
 *
 * @param atMs when to submit it, ms after the replay starts
 * @param minute the minute of the day it belongs to
 * @param tenant who calls
 * @param function what
 * @param criticality its class
 * @param deadlineAfterMs its deadline after submission, in wall ms; 0 for none
 * @param runMs its execution time in trace ms (the emulator sleeps it times the scale)
 */
public record PlannedCall(
    long atMs,
    int minute,
    String tenant,
    String function,
    Criticality criticality,
    long deadlineAfterMs,
    long runMs) {}
