package io.xfaas.sidecar;

import io.xfaas.records.FunctionFeedback;
import io.xfaas.records.LoadReport;
import io.xfaas.serde.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sidecar's load report (kind {@code sidecar}) to the global load topic, key = region, made
 * from the same period's per-function feedback: what the GTC job needs to know about a region's
 * capacity and how busy it is. Every report is also the region's heartbeat, so one is sent every
 * period even when the sidecar is idle.
 *
 * <p>{@link #report} and {@link #send} are called from the sidecar's timer thread only. The Kafka
 * send itself runs on a thread of its own: a send can block (up to the producer's max.block.ms
 * while the load topic's metadata is unknown, e.g. when the topic does not exist), and the timer
 * thread also runs batch flushes and call timeouts.
 */
final class LoadReporter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LoadReporter.class);

  /** In-flight share from which the sidecar counts as saturated: its throughput is its capacity. */
  static final double SATURATED = 0.9;

  private final String region;
  private final String topic;
  private final String reporter;
  private final LongSupplier clock;
  private final ExecutorService sender;
  private final AtomicBoolean sending = new AtomicBoolean();
  private long periodStart;

  /** The mean latency of the last period with completions: an idle sidecar keeps its estimate. */
  private double meanLatencyMs = Double.NaN;

  LoadReporter(String region, String topic, String sidecarName, LongSupplier clock) {
    this.region = region;
    this.topic = topic;
    // Sidecar names count per JVM, so two processes may share one: the suffix keeps them apart.
    this.reporter = sidecarName + "-" + UUID.randomUUID().toString().substring(0, 8);
    this.clock = clock;
    this.periodStart = clock.getAsLong();
    this.sender =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, sidecarName + "-load");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * The report of the period since the last one.
   *
   * @param feedback the period's per-function reports (functions active in the period)
   * @param slots the sidecar's capacity: most calls it runs at once
   * @param utilization the share of the slots in use over the period, in [0, 1]
   */
  LoadReport report(List<FunctionFeedback> feedback, int slots, double utilization) {
    long now = clock.getAsLong();
    long periodMs = Math.max(1, now - periodStart);
    periodStart = now;
    long completions = 0;
    double latencySum = 0;
    for (FunctionFeedback f : feedback) {
      completions += f.completions();
      latencySum += (double) f.completions() * f.latencyP50Ms();
    }
    if (completions > 0) meanLatencyMs = latencySum / completions;
    double completionsPerSecond = completions * 1000.0 / periodMs;
    return new LoadReport(
        region,
        LoadReport.SIDECAR,
        reporter,
        now,
        periodMs,
        0,
        completionsPerSecond,
        0,
        0,
        0,
        capacity(slots, utilization, completionsPerSecond),
        utilization,
        0);
  }

  /**
   * Calls per second the sidecar can run: its slots over the mean latency (a latency under 1 ms
   * counts as 1 ms); when saturated, what it actually completes, since a busy sidecar's latency
   * includes its queueing. 0 while no call has ever completed here: unknown.
   */
  private double capacity(int slots, double utilization, double completionsPerSecond) {
    if (utilization >= SATURATED && completionsPerSecond > 0) return completionsPerSecond;
    if (Double.isNaN(meanLatencyMs)) return 0;
    return slots * 1000.0 / Math.max(1.0, meanLatencyMs);
  }

  /**
   * Makes the period's report and hands it to the sending thread, without waiting. While an earlier
   * report is still being handed to Kafka, this one is dropped: the next replaces it.
   */
  void send(
      Producer<byte[], byte[]> producer,
      List<FunctionFeedback> feedback,
      int slots,
      double utilization) {
    LoadReport r = report(feedback, slots, utilization);
    if (!sending.compareAndSet(false, true)) return;
    try {
      sender.execute(() -> write(producer, r));
    } catch (RejectedExecutionException e) {
      sending.set(false); // closed
    }
  }

  private void write(Producer<byte[], byte[]> producer, LoadReport r) {
    try {
      producer.send(
          new ProducerRecord<>(topic, region.getBytes(StandardCharsets.UTF_8), Json.write(r)),
          (m, e) -> {
            if (e != null) LOG.debug("{}: load report not written: {}", reporter, e.toString());
          });
    } catch (RuntimeException e) {
      LOG.debug("{}: load report not sent: {}", reporter, e.toString());
    } finally {
      sending.set(false);
    }
  }

  /** Stops the sending thread; a send blocked on metadata ends when the producer closes. */
  @Override
  public void close() {
    sender.shutdownNow();
  }
}
