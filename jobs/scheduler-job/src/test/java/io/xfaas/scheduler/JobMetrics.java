package io.xfaas.scheduler;

import static org.awaitility.Awaitility.await;

import io.xfaas.serde.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;

/** Job-level metrics from a MiniCluster's REST endpoint. */
final class JobMetrics {
  private JobMetrics() {}

  /** How often the job restarted; waits until the REST endpoint's fetcher has the metric. */
  static long numRestarts(MiniCluster mini, JobClient job) throws Exception {
    URI uri =
        mini.getRestAddress().get().resolve("/jobs/" + job.getJobID() + "/metrics?get=numRestarts");
    HttpClient http = HttpClient.newHttpClient();
    return await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              String body =
                  http.send(
                          HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
                      .body();
              var node = Json.MAPPER.readTree(body);
              return node.isArray() && node.size() == 1 ? node.get(0).get("value").asLong() : null;
            },
            Objects::nonNull);
  }
}
