package io.xfaas.testing;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.xfaas.serde.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.minicluster.MiniCluster;

/** What a MiniCluster's REST API says about a job: restarts, failures, checkpoints. */
public final class JobRest {
  /** Completed checkpoints {@link #settle} waits for after the moment of the call. */
  public static final int SETTLE_CHECKPOINTS = 2;

  private static final Duration SETTLE_TIMEOUT = Duration.ofMinutes(1);

  private final URI base;
  private final HttpClient http = HttpClient.newHttpClient();

  public JobRest(MiniCluster mini) throws Exception {
    this(mini.getRestAddress().get());
  }

  /** The REST API of any Flink cluster, e.g. a standalone one at {@code http://localhost:8081}. */
  public JobRest(URI base) {
    this.base = base;
  }

  private JsonNode get(String path) throws Exception {
    String body =
        http.send(
                HttpRequest.newBuilder(base.resolve(path)).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    return Json.MAPPER.readTree(body);
  }

  /** The highest parallelism of the job's vertices (its operators run at this or at 1). */
  public int parallelism(JobID job) throws Exception {
    int max = 0;
    for (JsonNode v : get("/jobs/" + job).path("vertices")) {
      max = Math.max(max, v.path("parallelism").asInt());
    }
    return max;
  }

  /** The TaskManagers (their resource ids) with at least one of the job's subtasks running. */
  public Set<String> taskManagers(JobID job) throws Exception {
    Set<String> out = new TreeSet<>();
    for (JsonNode v : get("/jobs/" + job).path("vertices")) {
      String path = "/jobs/" + job + "/vertices/" + v.path("id").asText() + "/taskmanagers";
      for (JsonNode tm : get(path).path("taskmanagers")) {
        if ("RUNNING".equals(tm.path("status").asText()))
          out.add(tm.path("taskmanager-id").asText(tm.path("endpoint").asText()));
      }
    }
    return out;
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
    List<String> out = new ArrayList<>();
    for (JsonNode e : exceptionHistory(job)) {
      String name = e.path("exceptionName").asText("?");
      String task = e.path("taskName").asText("");
      out.add(0, shortName(name) + (task.isEmpty() ? "" : " in " + shortTask(task)));
    }
    return out;
  }

  /** The stack traces of the failures that made the job restart, oldest first. */
  public List<String> failureTraces(JobID job) throws Exception {
    List<String> out = new ArrayList<>();
    for (JsonNode e : exceptionHistory(job)) out.add(0, e.path("stacktrace").asText(""));
    return out;
  }

  /** The entries of the job's exception history, newest first (as the REST API gives them). */
  private JsonNode exceptionHistory(JobID job) throws Exception {
    return get("/jobs/" + job + "/exceptions?maxExceptions=50")
        .path("exceptionHistory")
        .path("entries");
  }

  /** Checkpoints completed so far. */
  public long completedCheckpoints(JobID job) throws Exception {
    return get("/jobs/" + job + "/checkpoints").path("counts").path("completed").asLong();
  }

  /** Checkpoints that failed so far (Flink's numberOfFailedCheckpoints). */
  public long failedCheckpoints(JobID job) throws Exception {
    return get("/jobs/" + job + "/checkpoints").path("counts").path("failed").asLong();
  }

  /** The message of the job's latest failed checkpoint, or null when none failed. */
  public String latestFailedCheckpointMessage(JobID job) throws Exception {
    JsonNode f = get("/jobs/" + job + "/checkpoints").path("latest").path("failed");
    return f.isMissingNode() || f.isNull() ? null : f.path("failure_message").asText(null);
  }

  /** Where the job's latest completed checkpoint is (its external path), or null. */
  public String latestCompletedPath(JobID job) throws Exception {
    JsonNode c = get("/jobs/" + job + "/checkpoints").path("latest").path("completed");
    return c.isMissingNode() || c.isNull() ? null : c.path("external_path").asText(null);
  }

  /** Checkpoints triggered and neither completed nor failed yet. */
  public long checkpointsInProgress(JobID job) throws Exception {
    return get("/jobs/" + job + "/checkpoints").path("counts").path("in_progress").asLong();
  }

  /**
   * A completed checkpoint: its id, when it was triggered and when its last task acknowledged it.
   */
  public record Checkpoint(long id, long triggeredAt, long acknowledgedAt) {}

  /** The job's latest completed checkpoint, or null before the first. */
  public Checkpoint latestCompleted(JobID job) throws Exception {
    JsonNode c = get("/jobs/" + job + "/checkpoints").path("latest").path("completed");
    return c.isMissingNode() || c.isNull()
        ? null
        : new Checkpoint(
            c.path("id").asLong(),
            c.path("trigger_timestamp").asLong(),
            c.path("latest_ack_timestamp").asLong());
  }

  /**
   * Waits (at most a minute) until each job has completed {@link #SETTLE_CHECKPOINTS} more
   * checkpoints than it had at the call: whatever it read before the call is then committed
   * downstream, so a late duplicate would be visible to a read_committed reader.
   */
  public void settle(JobID... jobs) throws Exception {
    List<Long> done = new ArrayList<>();
    for (JobID j : jobs) done.add(completedCheckpoints(j));
    for (int i = 0; i < jobs.length; i++) {
      JobID id = jobs[i];
      long target = done.get(i) + SETTLE_CHECKPOINTS;
      await("two more checkpoints of " + id)
          .atMost(SETTLE_TIMEOUT)
          .pollInterval(Duration.ofMillis(200))
          .ignoreExceptions()
          .until(() -> completedCheckpoints(id) >= target);
    }
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
