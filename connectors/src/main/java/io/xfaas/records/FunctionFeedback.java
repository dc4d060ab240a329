package io.xfaas.records;

/**
 * What one sidecar reports about one function, about every second, to the feedback topic (keyed by
 * function). The scheduler paces the function from these reports. Counts cover the period from
 * {@code periodStart} to {@code reportedAt}; the window, in-flight and queue sizes are as of {@code
 * reportedAt}. Timestamps are epoch milliseconds, UTC.
 *
 * @param function the function reported on
 * @param sidecar the reporting sidecar (its client id)
 * @param region the sidecar's region
 * @param periodStart start of the period the counts cover
 * @param reportedAt end of the period
 * @param completions calls that ended in the period, whatever their result
 * @param errors calls that failed (retryable or not), timeouts and throttles excluded
 * @param timeouts calls that ran out of time
 * @param throttles calls the function answered with an explicit throttle
 * @param latencyP50Ms median latency of the period's completions, in ms (0 when none)
 * @param latencyP99Ms 99th percentile latency of the period's completions, in ms (0 when none)
 * @param window the function's concurrency window
 * @param inFlight calls of the function running now
 * @param queued calls of the function waiting for room in the window
 * @param capacity the sidecar's capacity: most calls it runs at once over all functions
 * @param windowSum the sum of the windows of the sidecar's functions
 * @param utilization the sidecar's calls in flight over its capacity, in [0, 1] (may exceed 1
 *     briefly while functions use their fair share)
 */
public record FunctionFeedback(
    String function,
    String sidecar,
    String region,
    long periodStart,
    long reportedAt,
    long completions,
    long errors,
    long timeouts,
    long throttles,
    long latencyP50Ms,
    long latencyP99Ms,
    int window,
    int inFlight,
    int queued,
    int capacity,
    int windowSum,
    double utilization) {}
