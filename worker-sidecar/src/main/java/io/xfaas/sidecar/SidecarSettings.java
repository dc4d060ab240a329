package io.xfaas.sidecar;

import io.xfaas.config.Topics;
import io.xfaas.config.XfaasConfig;
import io.xfaas.config.XfaasOption;
import io.xfaas.config.XfaasOptions;
import io.xfaas.serde.InvocationLimits;
import java.time.Duration;
import java.util.Objects;

/**
 * What one sidecar needs from the configuration, read and checked once.
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param groupId consumer group on RunQ, shared by the region's sidecars
 * @param topics RunQ to read; results, DurableQ (retries) and DLQ to write
 * @param region stamped on outcomes and dead letters
 * @param threads worker threads running calls
 * @param maxPollRecords invocations taken per poll, and so the largest batch
 * @param retryBackoffMs delay before a retry ({@code notBefore = now + this})
 * @param callTimeout longest a function may run before the attempt counts as failed
 * @param limits what a RunQ record is validated against
 */
public record SidecarSettings(
    String bootstrapServers,
    String groupId,
    Topics topics,
    String region,
    int threads,
    int maxPollRecords,
    long retryBackoffMs,
    Duration callTimeout,
    InvocationLimits limits) {

  public SidecarSettings {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(groupId, "groupId");
    Objects.requireNonNull(topics, "topics");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(callTimeout, "callTimeout");
    Objects.requireNonNull(limits, "limits");
    require(threads >= 1, XfaasOptions.SIDECAR_THREADS, threads);
    require(maxPollRecords >= 1, XfaasOptions.SIDECAR_MAX_POLL_RECORDS, maxPollRecords);
    require(retryBackoffMs >= 0, XfaasOptions.SIDECAR_RETRY_BACKOFF_MS, retryBackoffMs);
    require(
        !callTimeout.isNegative() && !callTimeout.isZero(),
        XfaasOptions.SIDECAR_CALL_TIMEOUT_MS,
        callTimeout.toMillis());
  }

  public static SidecarSettings from(XfaasConfig config) {
    return new SidecarSettings(
        config.bootstrapServers(),
        config.get(XfaasOptions.SIDECAR_GROUP_ID),
        config.topics(),
        config.region(),
        config.getInt(XfaasOptions.SIDECAR_THREADS),
        config.getInt(XfaasOptions.SIDECAR_MAX_POLL_RECORDS),
        config.getLong(XfaasOptions.SIDECAR_RETRY_BACKOFF_MS),
        Duration.ofMillis(config.getLong(XfaasOptions.SIDECAR_CALL_TIMEOUT_MS)),
        config.invocationLimits());
  }

  /** These settings with another call timeout (for tests and embedders). */
  public SidecarSettings withCallTimeout(Duration timeout) {
    return new SidecarSettings(
        bootstrapServers,
        groupId,
        topics,
        region,
        threads,
        maxPollRecords,
        retryBackoffMs,
        timeout,
        limits);
  }

  private static void require(boolean ok, XfaasOption option, long value) {
    if (!ok) throw new IllegalArgumentException(option.key() + " is out of range: " + value);
  }
}
