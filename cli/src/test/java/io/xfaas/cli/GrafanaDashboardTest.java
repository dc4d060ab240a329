package io.xfaas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The provisioned Grafana dashboard parses, covers what operators look at, and reads metrics from
 * the provisioned data source. That each metric it names exists is {@link PrometheusScrapeITCase}'s
 * check, against a live scrape.
 */
class GrafanaDashboardTest {
  @Test
  void parsesAndEveryPanelHasQueriesNamingMetrics() throws Exception {
    JsonNode dashboard = GrafanaDashboard.read();
    assertThat(dashboard.path("uid").asText()).isEqualTo("xfaas");
    List<GrafanaDashboard.Query> queries = GrafanaDashboard.queries();
    assertThat(queries).hasSizeGreaterThan(10);
    for (GrafanaDashboard.Query q : queries) {
      assertThat(q.expr()).as(q.panel()).isNotBlank();
      assertThat(GrafanaDashboard.metrics(q.expr())).as(q.panel() + ": " + q.expr()).isNotEmpty();
    }
    for (JsonNode panel : dashboard.path("panels")) {
      if (panel.path("type").asText().equals("row")) continue;
      assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty();
    }
  }

  @Test
  void coversBacklogThroughputQueueingDelayUtilisationPacingDlqGtcAndCheckpoints()
      throws Exception {
    List<String> titles = new ArrayList<>();
    GrafanaDashboard.read().path("panels").forEach(p -> titles.add(p.path("title").asText()));
    assertThat(titles)
        .contains(
            "Backlog",
            "Throughput",
            "Queueing delay (p50, p99)",
            "Call latency (p50, p99)",
            "Utilisation",
            "Pacing",
            "DLQ",
            "GTC",
            "Checkpoints and restarts");
    // Latency from the sidecars' histograms, not from averages.
    assertThat(GrafanaDashboard.allMetrics())
        .contains(
            "xfaas_sidecar_queueing_delay_seconds_bucket",
            "xfaas_function_call_duration_seconds_bucket",
            "flink_jobmanager_job_numberOfFailedCheckpoints");
  }

  @Test
  void readsTheProvisionedPrometheusDataSource() throws Exception {
    String datasource =
        Files.readString(Path.of("../docker/grafana/provisioning/datasources/prometheus.yml"));
    assertThat(datasource).contains("uid: prometheus", "url: http://prometheus:9090");
    for (JsonNode panel : GrafanaDashboard.read().path("panels")) {
      if (panel.path("type").asText().equals("row")) continue;
      assertThat(panel.path("datasource").path("uid").asText())
          .as(panel.path("title").asText())
          .isEqualTo("prometheus");
    }
  }

  @Test
  void findsMetricNamesInPromQl() {
    assertThat(
            GrafanaDashboard.metrics(
                "histogram_quantile(0.99, sum by (le) (rate(xfaas_sidecar_queueing_delay_seconds_bucket[1m])))"
                    + " / max(flink_jobmanager_job_numRestarts)"))
        .containsExactly(
            "flink_jobmanager_job_numRestarts", "xfaas_sidecar_queueing_delay_seconds_bucket");
  }
}
