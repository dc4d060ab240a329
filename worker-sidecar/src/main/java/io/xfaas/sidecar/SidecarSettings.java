package io.xfaas.sidecar;

import static io.xfaas.sidecar.OptionRange.require;

import io.xfaas.config.Topics;
import io.xfaas.config.XfaasConfig;
import io.xfaas.config.XfaasOptions;
import io.xfaas.serde.InvocationLimits;
import io.xfaas.window.WindowSettings;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What one sidecar needs from the configuration, read and checked once.
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param groupId consumer group on RunQ, shared by the region's sidecars
 * @param topics RunQ to read; results, DurableQ (retries), DLQ and feedback to write
 * @param region stamped on outcomes and dead letters
 * @param capacity most calls running at once over all functions
 * @param maxPollRecords invocations taken per poll; also how many a partition may have waiting
 *     before it is paused
 * @param retryBackoffMs delay before the first retry; later ones double it
 * @param retryBackoffMaxMs the longest retry delay
 * @param retryJitter random extra delay, as a fraction of the delay
 * @param callTimeout longest a function may run before the attempt counts as failed
 * @param window how each function's concurrency window adapts
 * @param batchSize most calls in one batch, for functions that take batches
 * @param batchLinger how long a partial batch waits for more calls
 * @param feedbackInterval how often each function is reported to the feedback topic
 * @param remoteFunctions functions called over HTTP, and their runtimes' tokens
 * @param httpPort port of the metrics and health endpoints; 0 for none
 * @param sessionTimeout how long the group waits for a silent sidecar
 * @param limits what a RunQ record is validated against
 * @param tuning call threads' runs and the Kafka clients' batching
 * @param kafkaClient Kafka client settings of {@code xfaas.kafka.client-properties-file}
 *     (security.protocol, sasl.*, ssl.*); empty for a plaintext broker
 * @param httpBindAddress address the metrics and health endpoints listen on
 */
public record SidecarSettings(
    String bootstrapServers,
    String groupId,
    Topics topics,
    String region,
    int capacity,
    int maxPollRecords,
    long retryBackoffMs,
    long retryBackoffMaxMs,
    double retryJitter,
    Duration callTimeout,
    WindowSettings window,
    int batchSize,
    Duration batchLinger,
    Duration feedbackInterval,
    RemoteFunctions remoteFunctions,
    int httpPort,
    Duration sessionTimeout,
    InvocationLimits limits,
    SidecarTuning tuning,
    Map<String, String> kafkaClient,
    String httpBindAddress) {

  public SidecarSettings {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(groupId, "groupId");
    Objects.requireNonNull(topics, "topics");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(callTimeout, "callTimeout");
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(batchLinger, "batchLinger");
    Objects.requireNonNull(feedbackInterval, "feedbackInterval");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(tuning, "tuning");
    Objects.requireNonNull(remoteFunctions, "remoteFunctions");
    kafkaClient = Map.copyOf(kafkaClient);
    Objects.requireNonNull(httpBindAddress, "httpBindAddress");
    require(capacity >= 1, XfaasOptions.SIDECAR_THREADS, capacity);
    require(maxPollRecords >= 1, XfaasOptions.SIDECAR_MAX_POLL_RECORDS, maxPollRecords);
    require(retryBackoffMs >= 0, XfaasOptions.SIDECAR_RETRY_BACKOFF, retryBackoffMs);
    require(
        retryBackoffMaxMs >= retryBackoffMs,
        XfaasOptions.SIDECAR_RETRY_BACKOFF_MAX,
        retryBackoffMaxMs);
    if (!(retryJitter >= 0 && retryJitter <= 1)) {
      throw new IllegalArgumentException(
          XfaasOptions.SIDECAR_RETRY_JITTER.key() + " must be in [0, 1]: " + retryJitter);
    }
    require(
        !callTimeout.isNegative() && !callTimeout.isZero(),
        XfaasOptions.SIDECAR_CALL_TIMEOUT,
        callTimeout.toMillis());
    require(batchSize >= 1, XfaasOptions.SIDECAR_BATCH_SIZE, batchSize);
    require(!batchLinger.isNegative(), XfaasOptions.SIDECAR_BATCH_LINGER, batchLinger.toMillis());
    require(
        feedbackInterval.toMillis() >= 1,
        XfaasOptions.SIDECAR_FEEDBACK_INTERVAL,
        feedbackInterval.toMillis());
    require(httpPort >= 0 && httpPort <= 65535, XfaasOptions.SIDECAR_HTTP_PORT, httpPort);
    Objects.requireNonNull(sessionTimeout, "sessionTimeout");
    require(
        sessionTimeout.toMillis() >= 1,
        XfaasOptions.SIDECAR_SESSION_TIMEOUT,
        sessionTimeout.toMillis());
  }

  public static SidecarSettings from(XfaasConfig config) {
    return new SidecarSettings(
        config.bootstrapServers(),
        config.get(XfaasOptions.SIDECAR_GROUP_ID),
        config.topics(),
        config.region(),
        config.getInt(XfaasOptions.SIDECAR_THREADS),
        config.getInt(XfaasOptions.SIDECAR_MAX_POLL_RECORDS),
        config.get(XfaasOptions.SIDECAR_RETRY_BACKOFF).toMillis(),
        config.get(XfaasOptions.SIDECAR_RETRY_BACKOFF_MAX).toMillis(),
        config.get(XfaasOptions.SIDECAR_RETRY_JITTER),
        config.get(XfaasOptions.SIDECAR_CALL_TIMEOUT),
        WindowSettings.from(config),
        config.getInt(XfaasOptions.SIDECAR_BATCH_SIZE),
        config.get(XfaasOptions.SIDECAR_BATCH_LINGER),
        config.get(XfaasOptions.SIDECAR_FEEDBACK_INTERVAL),
        RemoteFunctions.from(config),
        config.getInt(XfaasOptions.SIDECAR_HTTP_PORT),
        config.get(XfaasOptions.SIDECAR_SESSION_TIMEOUT),
        config.invocationLimits(),
        SidecarTuning.from(config),
        config.kafkaClientProperties(),
        config.get(XfaasOptions.SIDECAR_HTTP_BIND_ADDRESS));
  }

  /** These settings with another call timeout (for tests and embedders). */
  public SidecarSettings withCallTimeout(Duration timeout) {
    return new SidecarSettings(
        bootstrapServers,
        groupId,
        topics,
        region,
        capacity,
        maxPollRecords,
        retryBackoffMs,
        retryBackoffMaxMs,
        retryJitter,
        timeout,
        window,
        batchSize,
        batchLinger,
        feedbackInterval,
        remoteFunctions,
        httpPort,
        sessionTimeout,
        limits,
        tuning,
        kafkaClient,
        httpBindAddress);
  }

  /** Without the Kafka client settings and tokens: they hold passwords. */
  @Override
  public String toString() {
    return "SidecarSettings[bootstrapServers="
        + bootstrapServers
        + ", groupId="
        + groupId
        + ", region="
        + region
        + ", capacity="
        + capacity
        + ", httpFunctions="
        + remoteFunctions
        + ", secret settings hidden]";
  }

  /** The retry backoff these settings describe, with {@code random} for its jitter. */
  RetryBackoff retryBackoff(java.util.function.DoubleSupplier random) {
    return new RetryBackoff(retryBackoffMs, retryBackoffMaxMs, retryJitter, random);
  }
}
