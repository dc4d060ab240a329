package io.xfaas.sidecar;

import static io.xfaas.sidecar.OptionRange.require;

import io.xfaas.config.XfaasConfig;
import io.xfaas.config.XfaasOptions;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * How a sidecar trades latency for its cost per call: how calls share call threads, and how its
 * Kafka clients batch. The defaults come from {@code SidecarOverheadBenchmark} (2026-12-06, 2
 * shared cores): 256 KiB producer batches took the process's CPU per no-op call from about 42 to 27
 * µs against Kafka's 16 KiB, and 2,000 records a poll ({@code max-poll-records}) to about 20 µs
 * against 500; lz4 or zstd cost the sidecar 3 to 5 µs a call more, with nothing to gain on one host
 * (turn it on where the network is the bottleneck); fetching 64 KiB at least per fetch made no
 * difference, so the fetch options keep Kafka's defaults.
 *
 * @param runBudget calls expected to take this long together run one after the other on one thread
 * @param producerLingerMs Kafka {@code linger.ms} of the results producer
 * @param producerBatchBytes Kafka {@code batch.size} of the results producer
 * @param producerCompression Kafka {@code compression.type} of the results producer
 * @param fetchMinBytes Kafka {@code fetch.min.bytes} of the RunQ consumer
 * @param fetchMaxWaitMs Kafka {@code fetch.max.wait.ms} of the RunQ consumer
 * @param maxPartitionFetchBytes Kafka {@code max.partition.fetch.bytes} of the RunQ consumer
 */
public record SidecarTuning(
    Duration runBudget,
    int producerLingerMs,
    int producerBatchBytes,
    String producerCompression,
    int fetchMinBytes,
    int fetchMaxWaitMs,
    int maxPartitionFetchBytes) {

  private static final Set<String> COMPRESSIONS = Set.of("none", "lz4", "zstd", "snappy", "gzip");

  public SidecarTuning {
    Objects.requireNonNull(runBudget, "runBudget");
    Objects.requireNonNull(producerCompression, "producerCompression");
    require(!runBudget.isNegative(), XfaasOptions.SIDECAR_RUN_BUDGET, runBudget.toNanos() / 1000);
    require(producerLingerMs >= 0, XfaasOptions.SIDECAR_PRODUCER_LINGER, producerLingerMs);
    require(producerBatchBytes >= 1, XfaasOptions.SIDECAR_PRODUCER_BATCH_BYTES, producerBatchBytes);
    producerCompression = producerCompression.trim().toLowerCase(Locale.ROOT);
    if (!COMPRESSIONS.contains(producerCompression)) {
      throw new IllegalArgumentException(
          XfaasOptions.SIDECAR_PRODUCER_COMPRESSION.key()
              + " must be one of "
              + COMPRESSIONS
              + ": "
              + producerCompression);
    }
    require(fetchMinBytes >= 1, XfaasOptions.SIDECAR_FETCH_MIN_BYTES, fetchMinBytes);
    require(fetchMaxWaitMs >= 0, XfaasOptions.SIDECAR_FETCH_MAX_WAIT, fetchMaxWaitMs);
    require(
        maxPartitionFetchBytes >= 1,
        XfaasOptions.SIDECAR_MAX_PARTITION_FETCH_BYTES,
        maxPartitionFetchBytes);
  }

  public static SidecarTuning from(XfaasConfig config) {
    return new SidecarTuning(
        config.get(XfaasOptions.SIDECAR_RUN_BUDGET),
        (int) config.get(XfaasOptions.SIDECAR_PRODUCER_LINGER).toMillis(),
        config.getInt(XfaasOptions.SIDECAR_PRODUCER_BATCH_BYTES),
        config.get(XfaasOptions.SIDECAR_PRODUCER_COMPRESSION),
        config.getInt(XfaasOptions.SIDECAR_FETCH_MIN_BYTES),
        (int) config.get(XfaasOptions.SIDECAR_FETCH_MAX_WAIT).toMillis(),
        config.getInt(XfaasOptions.SIDECAR_MAX_PARTITION_FETCH_BYTES));
  }
}
