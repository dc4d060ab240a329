package io.xfaas.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.xfaas.config.XfaasConfig;
import io.xfaas.config.XfaasOptions;
import io.xfaas.gtc.GtcJob;
import io.xfaas.records.Invocation;
import io.xfaas.scheduler.SchedulerJob;
import io.xfaas.sidecar.FunctionRegistry;
import io.xfaas.sidecar.WorkerSidecar;
import io.xfaas.submit.InvocationBuilder;
import io.xfaas.submit.SubmitterClient;
import io.xfaas.testing.EmbeddedKafkaExtension;
import io.xfaas.testing.FlinkClusterExtension;
import io.xfaas.testing.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Metrics the way operators read them: the scheduler and GTC jobs on a MiniCluster with Flink's
 * Prometheus reporter configured as in flink-conf/config.yaml, a sidecar with its /metrics, and
 * some calls through them. Both endpoints are scraped as Prometheus would, and every metric the
 * provisioned Grafana dashboard reads must be among what they serve.
 */
class PrometheusScrapeITCase {
  private static final int FLINK_PORT = Ports.free();

  @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  @RegisterExtension
  static final FlinkClusterExtension FLINK =
      FlinkClusterExtension.slots(2)
          .parallelism(1)
          .configure(
              c -> {
                c.set(
                    key("metrics.reporter.prom.factory.class"),
                    "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
                c.set(key("metrics.reporter.prom.port"), Integer.toString(FLINK_PORT));
              });

  private static ConfigOption<String> key(String name) {
    return ConfigOptions.key(name).stringType().noDefaultValue();
  }

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void theJobsAndASidecarServeEveryFamilyTheDashboardReads() throws Exception {
    XfaasConfig config = KAFKA.newRegion("prom", Map.of());
    int sidecarPort = Ports.free();
    JobClient scheduler =
        SchedulerJob.start(StreamExecutionEnvironment.getExecutionEnvironment(), config);
    JobClient gtc = GtcJob.start(StreamExecutionEnvironment.getExecutionEnvironment(), config);
    try (WorkerSidecar sidecar =
            new WorkerSidecar(
                config.with(
                    Map.of(XfaasOptions.SIDECAR_HTTP_PORT.key(), Integer.toString(sidecarPort))),
                FunctionRegistry.fromServiceLoader());
        SubmitterClient client = SubmitterClient.create(config)) {
      FlinkClusterExtension.awaitRunning(scheduler, gtc);
      sidecar.start();
      List<Invocation> calls = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        calls.add(InvocationBuilder.call("tenant-" + (i % 4), "echo").id("prom-" + i).build());
      }
      client.submitAllAndWait(calls);

      Set<String> wanted = GrafanaDashboard.allMetrics();
      await("every metric of the dashboard in a scrape")
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofSeconds(1))
          .untilAsserted(
              () -> {
                Set<String> served = new TreeSet<>();
                served.addAll(sampleNames(scrape(FLINK_PORT)));
                served.addAll(sampleNames(scrape(sidecarPort)));
                Set<String> missing = new TreeSet<>(wanted);
                missing.removeAll(served);
                assertThat(missing).as("dashboard metrics nobody serves").isEmpty();
              });

      String flink = scrape(FLINK_PORT);
      // The reporter writes label values with '_' for what Prometheus names do not take.
      assertThat(flink)
          .contains("job_name=\"" + SchedulerJob.jobName(config).replace('-', '_') + "\"")
          .contains("job_name=\"" + GtcJob.JOB_NAME.replace('-', '_') + "\"");
      String side = scrape(sidecarPort);
      assertThat(side)
          .contains("# TYPE xfaas_function_call_duration_seconds histogram")
          .contains("# TYPE xfaas_sidecar_queueing_delay_seconds histogram")
          .contains("xfaas_sidecar_processed_total");
    } finally {
      FlinkClusterExtension.cancel(gtc);
      FlinkClusterExtension.cancel(scheduler);
    }
  }

  private String scrape(int port) {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      return r.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The names of the samples of a Prometheus text exposition. */
  static Set<String> sampleNames(String text) {
    Set<String> names = new TreeSet<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) continue;
      int end = 0;
      while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') end++;
      names.add(line.substring(0, end));
    }
    return names;
  }
}
