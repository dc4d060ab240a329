package io.xfaas.scheduler.sim;

/**
 * What became of one tenant's calls in one simulated run. Throttled, deferred and paced count the
 * FuncBuffer's decisions (a call may be throttled and then released); the other counts are fates.
 *
 * @param arrived calls of the window
 * @param dispatched released to RunQ
 * @param throttled THROTTLED decisions (rate, concurrency or fair share)
 * @param deferred DEFERRED decisions (DEFERRABLE work held while the region is busy)
 * @param paced PACED decisions (the function's pace)
 * @param expired not dispatched by their deadline
 * @param rejected refused on arrival (buffer bound, unknown tenant or function)
 * @param unfinished still waiting when the simulation stopped (its drain time ran out)
 * @param delayP50Ms queueing delay in the FuncBuffer (arrival to dispatch), median, of dispatched
 *     calls; 0 when none was dispatched
 * @param delayP99Ms the same, 99th percentile
 * @param startP50Ms arrival to start on a sidecar (FuncBuffer, then RunQ waiting for a slot),
 *     median
 * @param startP99Ms the same, 99th percentile
 * @param deadlineMisses calls with a deadline that did not start by it: expired, or started on a
 *     sidecar after it
 */
public record TenantFigures(
    String tenant,
    long arrived,
    long dispatched,
    long throttled,
    long deferred,
    long paced,
    long expired,
    long rejected,
    long unfinished,
    long delayP50Ms,
    long delayP99Ms,
    long startP50Ms,
    long startP99Ms,
    long deadlineMisses) {}
