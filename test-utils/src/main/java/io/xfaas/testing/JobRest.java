package io.xfaas.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.xfaas.serde.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.minicluster.MiniCluster;

/** What a MiniCluster's REST API says about a job: restarts, failures, checkpoints. */
public final class JobRest {
  private final URI base;
  private final HttpClient http = HttpClient.newHttpClient();

  public JobRest(MiniCluster mini) throws Exception {
    this.base = mini.getRestAddress().get();
  }

  private JsonNode get(String path) throws Exception {
    String body =
        http.send(
                HttpRequest.newBuilder(base.resolve(path)).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    return Json.MAPPER.readTree(body);
  }

  /** The job's {@code numRestarts} metric, or null while the metric fetcher has none. */
  public Long numRestarts(JobID job) throws Exception {
    JsonNode node = get("/jobs/" + job + "/metrics?get=numRestarts");
    return node.isArray() && node.size() == 1 ? node.get(0).get("value").asLong() : null;
  }

  /**
   * The failures that made the job restart, oldest first, each as {@code exception (task)}: the
   * exception history.
   */
  public List<String> failures(JobID job) throws Exception {
    JsonNode entries =
        get("/jobs/" + job + "/exceptions?maxExceptions=50")
            .path("exceptionHistory")
            .path("entries");
    List<String> out = new ArrayList<>();
    for (JsonNode e : entries) {
      String name = e.path("exceptionName").asText("?");
      String task = e.path("taskName").asText("");
      out.add(0, shortName(name) + (task.isEmpty() ? "" : " in " + shortTask(task)));
    }
    return out;
  }

  /** Checkpoints completed so far. */
  public long completedCheckpoints(JobID job) throws Exception {
    return get("/jobs/" + job + "/checkpoints").path("counts").path("completed").asLong();
  }

  /** The path of the checkpoint or savepoint the job last restored from, or null. */
  public String restoredFrom(JobID job) throws Exception {
    JsonNode restored = get("/jobs/" + job + "/checkpoints").path("latest").path("restored");
    return restored.isMissingNode() || restored.isNull()
        ? null
        : restored.path("is_savepoint").asBoolean()
            ? "savepoint " + lastSegment(restored.path("external_path").asText())
            : "checkpoint " + restored.path("id").asText();
  }

  private static String lastSegment(String path) {
    String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    return p.substring(p.lastIndexOf('/') + 1);
  }

  private static String shortName(String exception) {
    int dot = exception.lastIndexOf('.');
    return dot < 0 ? exception : exception.substring(dot + 1);
  }

  private static String shortTask(String task) {
    int arrow = task.indexOf(" -> ");
    String first = arrow < 0 ? task : task.substring(0, arrow);
    return first.length() > 30 ? first.substring(0, 30) + "…" : first;
  }
}
