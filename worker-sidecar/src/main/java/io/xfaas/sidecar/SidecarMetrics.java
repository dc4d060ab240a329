package io.xfaas.sidecar;

import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.xfaas.records.Criticality;
import io.xfaas.records.Invocation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;

/**
 * A sidecar's Prometheus metrics, through the Prometheus Java client in a registry of its own
 * (several sidecars may share a JVM): its counts and per-function gauges, read from the sidecar at
 * each scrape under the names they always had, and two histograms it observes as calls finish: call
 * latency per function and queueing delay (submission to the call's start) per criticality.
 */
final class SidecarMetrics {
  /** Call latency buckets, in seconds: sub-millisecond calls up to the default call timeout. */
  static final double[] CALL_SECONDS = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60
  };

  /**
   * Queueing delay buckets, in seconds: CRITICAL calls wait milliseconds, held DEFERRABLE ones up
   * to hours.
   */
  static final double[] QUEUEING_SECONDS = {
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 14400
  };

  private static final PrometheusTextFormatWriter TEXT =
      PrometheusTextFormatWriter.builder().setIncludeCreatedTimestamps(false).build();

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Histogram callDuration;
  private final Histogram queueingDelay;
  // Each call observes both: look their data points up once, not per call.
  private final Map<String, DistributionDataPoint> durationByFunction = new ConcurrentHashMap<>();
  private final DistributionDataPoint[] queueingByCriticality;

  SidecarMetrics(WorkerSidecar s) {
    counter("xfaas_sidecar_processed", "RunQ records decided and written", s::processed);
    counter("xfaas_sidecar_succeeded", "SUCCEEDED results written", s::succeeded);
    counter("xfaas_sidecar_failed", "FAILED results written", s::failed);
    counter("xfaas_sidecar_retried", "retries written to DurableQ", s::retried);
    counter("xfaas_sidecar_dead_lettered", "dead letters written", s::deadLettered);
    gauge("xfaas_sidecar_capacity", "most calls running at once", s::capacity);
    gauge("xfaas_sidecar_in_flight", "calls running now", s::callsInFlight);
    gauge("xfaas_sidecar_partitions", "RunQ partitions owned", x -> x.assignment().size(), s);
    perFunctionGauge(
        "xfaas_function_window", "concurrency window of a function", s, l -> l.window());
    perFunctionGauge(
        "xfaas_function_in_flight", "calls of a function running now", s, l -> l.inFlight());
    perFunctionGauge(
        "xfaas_function_queued", "calls of a function waiting for its window", s, l -> l.queued());
    String[] totals = {"completions", "errors", "timeouts", "throttles"};
    for (int i = 0; i < totals.length; i++) {
      int k = i;
      CounterWithCallback.builder()
          .name("xfaas_function_" + totals[i])
          .help(totals[i] + " of a function's calls")
          .labelNames("function")
          .callback(cb -> s.lanes().forEach((fn, l) -> cb.call(l.totals()[k], fn)))
          .register(registry);
    }
    callDuration =
        Histogram.builder()
            .name("xfaas_function_call_duration_seconds")
            .help("how long a function's calls ran (a batch's calls each count its time)")
            .labelNames("function")
            .classicOnly()
            .classicUpperBounds(CALL_SECONDS)
            .register(registry);
    queueingDelay =
        Histogram.builder()
            .name("xfaas_sidecar_queueing_delay_seconds")
            .help("from submission (or a retry's notBefore) to the call's start on this sidecar")
            .labelNames("criticality")
            .classicOnly()
            .classicUpperBounds(QUEUEING_SECONDS)
            .register(registry);
    Criticality[] all = Criticality.values();
    queueingByCriticality = new DistributionDataPoint[all.length];
    for (Criticality c : all)
      queueingByCriticality[c.ordinal()] = queueingDelay.labelValues(c.name());
  }

  /** A batch of {@code function}'s calls, started at {@code startedAtMs}, ran {@code latencyMs}. */
  void finished(String function, List<Invocation> calls, long startedAtMs, long latencyMs) {
    DistributionDataPoint duration =
        durationByFunction.computeIfAbsent(function, fn -> callDuration.labelValues(fn));
    double seconds = latencyMs / 1000.0;
    for (Invocation inv : calls) {
      duration.observe(seconds);
      long ready = inv.notBefore() == null ? inv.submittedAt() : inv.notBefore();
      long waited = Math.max(0, startedAtMs - Math.max(inv.submittedAt(), ready));
      queueingByCriticality[inv.criticality().ordinal()].observe(waited / 1000.0);
    }
  }

  String contentType() {
    return PrometheusTextFormatWriter.CONTENT_TYPE;
  }

  /** The Prometheus text exposition of every metric, as of now. */
  void writeTo(OutputStream out) throws IOException {
    TEXT.write(out, registry.scrape());
  }

  /** {@link #writeTo} as a string. */
  String text() {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try {
      writeTo(b);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return b.toString(StandardCharsets.UTF_8);
  }

  private void counter(String name, String help, java.util.function.LongSupplier value) {
    CounterWithCallback.builder()
        .name(name)
        .help(help)
        .callback(cb -> cb.call(value.getAsLong()))
        .register(registry);
  }

  private void gauge(String name, String help, java.util.function.LongSupplier value) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .callback(cb -> cb.call(value.getAsLong()))
        .register(registry);
  }

  private void gauge(
      String name, String help, ToLongFunction<WorkerSidecar> value, WorkerSidecar s) {
    gauge(name, help, () -> value.applyAsLong(s));
  }

  private void perFunctionGauge(
      String name, String help, WorkerSidecar s, ToLongFunction<FunctionLane> value) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .labelNames("function")
        .callback(
            cb -> {
              for (Map.Entry<String, FunctionLane> e : s.lanes().entrySet()) {
                cb.call(value.applyAsLong(e.getValue()), e.getKey());
              }
            })
        .register(registry);
  }
}
