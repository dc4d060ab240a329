package io.xfaas.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the local MiniCluster's TaskManager reports through the REST API, as a user would see. */
class LocalFlinkITCase {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path data;

  @Test
  void givesRocksDbTheManagedMemoryOfAClusterSlotNotTheMiniClusterDefault() throws Exception {
    try (LocalFlink flink = LocalFlink.start(0, data)) {
      assertThat(managedMemory(flink)).isEqualTo(LocalFlink.MANAGED_MEMORY.getBytes());
      // 128 MiB is the MiniCluster's own default: the case the constant is there to avoid.
      assertThat(LocalFlink.MANAGED_MEMORY.getBytes())
          .isGreaterThan(MemorySize.parse("128m").getBytes());
    }
  }

  @Test
  void letsTheExtraConfigurationOverrideTheManagedMemory() throws Exception {
    Configuration extra = new Configuration();
    extra.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.parse("300m"));
    try (LocalFlink flink = LocalFlink.start(0, data, 4, extra)) {
      assertThat(managedMemory(flink)).isEqualTo(MemorySize.parse("300m").getBytes());
    }
  }

  private static long managedMemory(LocalFlink flink) {
    HttpClient http = HttpClient.newHttpClient();
    // The REST API answers 503 until the dispatcher has a leader, and lists no TaskManager until
    // it has registered.
    JsonNode list =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> get(http, flink.webUi().resolve("/taskmanagers")),
                l -> l != null && l.path("taskmanagers").size() > 0);
    String id = list.path("taskmanagers").get(0).path("id").asText();
    JsonNode tm =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> get(http, flink.webUi().resolve("/taskmanagers/" + id)), t -> t != null);
    return tm.path("memoryConfiguration").path("managedMemory").asLong();
  }

  /** The response's JSON, or null while the API is not ready. */
  private static JsonNode get(HttpClient http, URI uri) throws Exception {
    HttpResponse<String> response =
        http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    return response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
  }
}
