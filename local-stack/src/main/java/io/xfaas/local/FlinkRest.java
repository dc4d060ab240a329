package io.xfaas.local;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

/**
 * A client of Flink's REST API (the one the web UI and {@code flink run} use): upload and run jars,
 * list jobs, savepoints, stop-with-savepoint. Works against any Flink 2.x cluster.
 */
public final class FlinkRest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration POLL = Duration.ofMillis(200);

  private final URI base;
  private final HttpClient http;

  public FlinkRest(URI base) {
    String s = base.toString();
    this.base = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  public URI base() {
    return base;
  }

  /** One job as {@code /jobs/overview} lists it (the fields read; the others are ignored). */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Job(
      @JsonProperty("jid") String id,
      String name,
      String state,
      @JsonProperty("start-time") long startTime) {}

  /** The cluster's {@code /overview}: TaskManagers and slots. */
  public JsonNode overview() throws IOException, InterruptedException {
    return get("/overview");
  }

  /** Whether the REST endpoint answers at all. */
  public boolean reachable() {
    try {
      overview();
      return true;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  public List<Job> jobs() throws IOException, InterruptedException {
    JsonNode jobs = get("/jobs/overview").path("jobs");
    return jobs.isArray() ? JSON.readerForListOf(Job.class).readValue(jobs) : List.of();
  }

  /** {@code /jobs/:id}: the job's state and each vertex's status. */
  public JsonNode job(String jobId) throws IOException, InterruptedException {
    return get("/jobs/" + jobId);
  }

  /** {@code /jobs/:id/checkpoints}: counts, and the latest completed, failed and restored. */
  public JsonNode checkpoints(String jobId) throws IOException, InterruptedException {
    return get("/jobs/" + jobId + "/checkpoints");
  }

  /**
   * A job's checkpoints in a few words, from {@link #checkpoints}: how many completed and failed,
   * and, when the latest failed after the latest completed, that it is failing and why. Null when
   * the job has taken none.
   */
  public static String checkpointSummary(JsonNode checkpoints) {
    JsonNode counts = checkpoints.path("counts");
    long completed = counts.path("completed").asLong();
    long failed = counts.path("failed").asLong();
    if (completed == 0 && failed == 0) return null;
    String summary = "checkpoints: " + completed + " completed, " + failed + " failed";
    JsonNode latestFailed = checkpoints.path("latest").path("failed");
    JsonNode latestCompleted = checkpoints.path("latest").path("completed");
    if (latestFailed.isObject()
        && (!latestCompleted.isObject()
            || latestFailed.path("id").asLong() > latestCompleted.path("id").asLong())) {
      String reason = latestFailed.path("failure_message").asText("");
      summary +=
          "; FAILING since the last completed one (latest "
              + latestFailed.path("id").asLong()
              + (reason.isBlank() ? "" : ": " + reason)
              + ")";
    }
    return summary;
  }

  /** The job is RUNNING and so is every one of its vertices (its sources are reading). */
  public boolean allRunning(String jobId) throws IOException, InterruptedException {
    JsonNode job = job(jobId);
    if (!"RUNNING".equals(job.path("state").asText())) return false;
    for (JsonNode v : job.path("vertices")) {
      if (!"RUNNING".equals(v.path("status").asText())) return false;
    }
    return true;
  }

  /** Uploads a jar ({@code POST /jars/upload}) and returns its id on the cluster. */
  public String uploadJar(Path jar) throws IOException, InterruptedException {
    String boundary = "xfaas-" + UUID.randomUUID();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                + jar.getFileName()
                + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8));
    body.write(Files.readAllBytes(jar));
    body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    HttpRequest request =
        HttpRequest.newBuilder(uri("/jars/upload"))
            .timeout(Duration.ofMinutes(2))
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
            .build();
    JsonNode answer = send(request);
    String file = answer.path("filename").asText();
    if (file.isEmpty()) throw new IOException("upload of " + jar + " answered " + answer);
    return file.substring(file.lastIndexOf('/') + 1);
  }

  /**
   * Runs an uploaded jar ({@code POST /jars/:id/run}): the cluster calls its main method with
   * {@code args}. Returns the job id.
   */
  public String runJar(
      String jarId,
      String entryClass,
      List<String> args,
      String savepoint,
      boolean allowNonRestored)
      throws IOException, InterruptedException {
    ObjectNode body = JSON.createObjectNode();
    if (entryClass != null) body.put("entryClass", entryClass);
    body.putPOJO("programArgsList", args);
    if (savepoint != null) {
      body.put("savepointPath", savepoint);
      body.put("allowNonRestoredState", allowNonRestored);
    }
    JsonNode answer = post("/jars/" + jarId + "/run", body);
    String id = answer.path("jobid").asText();
    if (id.isEmpty()) throw new IOException("run of " + jarId + " answered " + answer);
    return id;
  }

  /** Takes a savepoint of a running job and returns its location once it completed. */
  public String savepoint(String jobId, String targetDir, Duration timeout)
      throws IOException, InterruptedException, TimeoutException {
    return savepointBy(
        jobId, "savepoints", "target-directory", targetDir, "cancel-job", false, timeout);
  }

  /**
   * Stops a job with a savepoint ({@code POST /jobs/:id/stop}): sources stop, a last savepoint is
   * taken and its Kafka transactions commit, then the job finishes. Returns the location.
   */
  public String stopWithSavepoint(String jobId, String targetDir, boolean drain, Duration timeout)
      throws IOException, InterruptedException, TimeoutException {
    return savepointBy(jobId, "stop", "targetDirectory", targetDir, "drain", drain, timeout);
  }

  /**
   * Posts the target directory (when given) and a flag to {@code /jobs/:id/<action>}, and waits for
   * the savepoint it triggers. The two endpoints spell the directory's key differently.
   */
  private String savepointBy(
      String jobId,
      String action,
      String targetDirKey,
      String targetDir,
      String flag,
      boolean flagValue,
      Duration timeout)
      throws IOException, InterruptedException, TimeoutException {
    ObjectNode body = JSON.createObjectNode();
    if (targetDir != null) body.put(targetDirKey, targetDir);
    body.put(flag, flagValue);
    String trigger = post("/jobs/" + jobId + "/" + action, body).path("request-id").asText();
    return awaitSavepoint(jobId, trigger, timeout);
  }

  /** Cancels a job without a savepoint. */
  public void cancel(String jobId) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(uri("/jobs/" + jobId + "?mode=cancel"))
            .timeout(Duration.ofSeconds(30))
            .method("PATCH", HttpRequest.BodyPublishers.noBody())
            .build();
    send(request);
  }

  private String awaitSavepoint(String jobId, String trigger, Duration timeout)
      throws IOException, InterruptedException, TimeoutException {
    if (trigger.isEmpty()) throw new IOException("no savepoint request id for job " + jobId);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      JsonNode answer = get("/jobs/" + jobId + "/savepoints/" + trigger);
      if ("COMPLETED".equals(answer.path("status").path("id").asText())) {
        JsonNode op = answer.path("operation");
        if (op.hasNonNull("location")) return op.path("location").asText();
        JsonNode cause = op.path("failure-cause");
        throw new IOException(
            "savepoint of job "
                + jobId
                + " failed: "
                + cause
                    .path("serialized-throwable")
                    .asText(cause.toString())
                    .lines()
                    .findFirst()
                    .orElse(""));
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("savepoint of job " + jobId + " not done after " + timeout);
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  /** Waits until the job and all its vertices run; fails early if the job ends. */
  public void awaitRunning(String jobId, Duration timeout)
      throws IOException, InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      JsonNode job = job(jobId);
      String state = job.path("state").asText();
      if (List.of("FAILED", "CANCELED", "FINISHED").contains(state)) {
        throw new IOException("job " + jobId + " ended as " + state + exceptionOf(jobId));
      }
      if (allRunning(jobId)) return;
      if (System.nanoTime() > deadline) {
        throw new TimeoutException(
            "job " + jobId + " not running after " + timeout + exceptionOf(jobId));
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  /** Waits until the job reached a terminal state and returns it. */
  public String awaitTerminal(String jobId, Duration timeout)
      throws IOException, InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      String state = job(jobId).path("state").asText();
      if (List.of("FAILED", "CANCELED", "FINISHED").contains(state)) return state;
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("job " + jobId + " still " + state + " after " + timeout);
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  /** The root exception of the job, if any, as a suffix for error messages. */
  private String exceptionOf(String jobId) {
    try {
      JsonNode ex = get("/jobs/" + jobId + "/exceptions");
      String root =
          ex.path("exceptionHistory").path("entries").path(0).path("stacktrace").asText("");
      if (root.isEmpty()) return "";
      return ": " + root.lines().limit(3).reduce((a, b) -> a + " | " + b).orElse("");
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  private JsonNode get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET().build());
  }

  private JsonNode post(String path, Object body) throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(uri(path))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
            .build());
  }

  private JsonNode send(HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    String text = response.body();
    if (response.statusCode() / 100 != 2) {
      String errors = text;
      try {
        JsonNode n = JSON.readTree(text);
        if (n.has("errors")) errors = firstLines(n.path("errors"));
      } catch (IOException ignored) {
        // not JSON: keep the text
      }
      throw new IOException(
          request.method()
              + " "
              + request.uri()
              + " -> HTTP "
              + response.statusCode()
              + ": "
              + errors);
    }
    return text == null || text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
  }

  private static String firstLines(JsonNode errors) {
    List<String> lines = new ArrayList<>();
    for (JsonNode e : errors) {
      e.asText()
          .lines()
          .filter(l -> l.contains("Exception") || l.contains("Error"))
          .limit(4)
          .forEach(lines::add);
      if (lines.isEmpty()) e.asText().lines().limit(2).forEach(lines::add);
    }
    return String.join(" | ", lines);
  }

  private URI uri(String path) {
    return URI.create(base + path);
  }
}
