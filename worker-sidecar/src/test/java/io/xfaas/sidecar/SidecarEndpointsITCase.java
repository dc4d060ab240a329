package io.xfaas.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xfaas.records.Invocation;
import io.xfaas.testing.EmbeddedKafkaExtension;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The metrics, health and readiness endpoints of a running sidecar. */
class SidecarEndpointsITCase {
  @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void aRunningSidecarIsHealthyReadyAndExportsItsMetrics() throws Exception {
    SidecarFixture f = SidecarFixture.create(KAFKA, 2);
    int port = freePort();
    WorkerSidecar s =
        new WorkerSidecar(
            f.config(Map.of("xfaas.sidecar.http-port", Integer.toString(port))),
            FunctionRegistry.fromServiceLoader());
    try (s) {
      s.start();
      List<Invocation> calls =
          IntStream.range(0, 50)
              .mapToObj(i -> SidecarFixture.invocation("e-" + i, "echo", "{}"))
              .toList();
      f.writeRunQ(calls, inv -> 0);
      f.awaitGroupAtEndOfRunQ(Duration.ofSeconds(60));

      assertThat(get(port, "/health")).isEqualTo("200 UP");
      assertThat(get(port, "/ready")).isEqualTo("200 READY");
      String metrics = get(port, "/metrics");
      assertThat(metrics)
          .startsWith("200 ")
          .contains("# TYPE xfaas_sidecar_processed_total counter")
          .contains("xfaas_sidecar_processed_total 50")
          .contains("xfaas_sidecar_succeeded_total 50")
          .contains("xfaas_function_window{function=\"echo\"} ")
          .contains("xfaas_function_completions_total{function=\"echo\"} 50")
          // Call latency and queueing delay as histograms: every call counted in each.
          .contains("# TYPE xfaas_function_call_duration_seconds histogram")
          .contains("xfaas_function_call_duration_seconds_bucket{function=\"echo\",le=\"+Inf\"} 50")
          .contains("xfaas_function_call_duration_seconds_count{function=\"echo\"} 50")
          .contains("# TYPE xfaas_sidecar_queueing_delay_seconds histogram")
          .containsPattern(
              "xfaas_sidecar_queueing_delay_seconds_count\\{criticality=\"[A-Z_]+\"\\} 50");
    }
    assertThatThrownBy(() -> get(port, "/health")).as("closed with the sidecar").isNotNull();
  }

  private String get(int port, String path) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return r.statusCode() + " " + r.body().trim();
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
