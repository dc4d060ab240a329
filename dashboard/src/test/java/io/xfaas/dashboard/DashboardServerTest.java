package io.xfaas.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.records.OutcomeStatus;
import io.xfaas.serde.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DashboardServerTest {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final DashboardModel model = new DashboardModel();
  private DashboardServer server;

  @BeforeEach
  void start() throws Exception {
    server = new DashboardServer(0, model).start();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesThePageAndTheSummary() throws Exception {
    model.outcome(DashboardModelTest.outcome("1", "ads", OutcomeStatus.SUCCEEDED));
    model.metrics(DashboardModelTest.period("ads", System.currentTimeMillis(), 3, 2, 1, 4));

    HttpResponse<String> page = get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(page.body())
        .contains("<svg id=\"chart-backlog\"", "/api/summary", "no GTC decisions yet");

    HttpResponse<String> summary = get("/api/summary");
    assertThat(summary.statusCode()).isEqualTo(200);
    var json = Json.MAPPER.readTree(summary.body());
    assertThat(json.at("/tenants/0/tenant").asText()).isEqualTo("ads");
    assertThat(json.at("/tenants/0/backlog").asLong()).isEqualTo(4);
    assertThat(json.at("/outcomes/SUCCEEDED").asLong()).isEqualTo(1);

    assertThat(get("/nothing-here").statusCode()).isEqualTo(404);
  }
}
