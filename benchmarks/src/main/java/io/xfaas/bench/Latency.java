package io.xfaas.bench;

/**
 * Latency percentiles of one paced run.
 *
 * @param path what was timed
 * @param load the offered rate as a share of the measured maximum, e.g. 0.5
 * @param offeredRate invocations per second submitted
 * @param p50Ms median, ms
 * @param p99Ms 99th percentile, ms
 * @param samples measured invocations (the first fifth of the run is warm-up, not counted)
 */
public record Latency(
    String path, double load, double offeredRate, long p50Ms, long p99Ms, int samples) {}
