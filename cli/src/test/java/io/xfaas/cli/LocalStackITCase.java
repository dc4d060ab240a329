package io.xfaas.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.xfaas.config.Topics;
import io.xfaas.records.Outcome;
import io.xfaas.records.OutcomeStatus;
import io.xfaas.serde.Json;
import io.xfaas.testing.Ports;
import io.xfaas.testing.TopicReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code ./xfaas local} as a user runs it: a separate process, reached only through its ports and
 * its console, stopped with SIGINT.
 */
class LocalStackITCase {
  private static final Topics TOPICS = Topics.forRegion("local");
  private static final Duration STARTUP = Duration.ofSeconds(180);
  private static final Duration ROUND_TRIP = Duration.ofSeconds(60);
  private static final Duration SHUTDOWN = Duration.ofSeconds(60);

  private LocalStackProcess stack;

  @AfterEach
  void stopTheStack() throws InterruptedException {
    if (stack != null) stack.close();
  }

  @Test
  void runsThePipelineShowsTheWebUiAndStopsOnSigint() throws Exception {
    int kafkaPort = Ports.free();
    int webPort = Ports.free();
    stack =
        LocalStackProcess.start(
            STARTUP,
            "--no-demo",
            "--kafka-port",
            Integer.toString(kafkaPort),
            "--web-port",
            Integer.toString(webPort),
            "--sidecars",
            "1");

    String jobs = httpGet("http://localhost:" + webPort + "/jobs/overview");
    assertThat(jobs)
        .contains("\"name\":\"xfaas-scheduler-local\"")
        .contains("\"state\":\"RUNNING\"");
    assertThat(httpGet("http://localhost:" + webPort + "/")).containsIgnoringCase("<html");

    String bootstrap = "localhost:" + kafkaPort;
    String id = "local-it-" + System.nanoTime();
    produce(bootstrap, id);
    Outcome outcome = awaitOutcome(bootstrap, id);
    assertThat(outcome.status()).isEqualTo(OutcomeStatus.SUCCEEDED);
    assertThat(outcome.result()).contains("hello");

    Process process = stack.process();
    new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start().waitFor();
    assertThat(process.waitFor(SHUTDOWN.toSeconds(), TimeUnit.SECONDS))
        .as("exited within %s after SIGINT:%n%s", SHUTDOWN, stack.console())
        .isTrue();
    stack.awaitConsoleEnd();
    assertThat(stack.console())
        .contains("stopped scheduler job", "stopped flink minicluster", "stopped kafka broker")
        .contains("xfaas local: stopped");
  }

  private static void produce(String bootstrap, String id) throws Exception {
    String json =
        "{\"id\":\""
            + id
            + "\",\"tenant\":\"it\",\"function\":\"echo\",\"submittedAt\":"
            + System.currentTimeMillis()
            + ",\"payload\":{\"hello\":\"world\"}}";
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.ACKS_CONFIG,
                "all"),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      producer
          .send(
              new ProducerRecord<>(
                  TOPICS.durableq(),
                  id.getBytes(StandardCharsets.UTF_8),
                  json.getBytes(StandardCharsets.UTF_8)))
          .get(30, TimeUnit.SECONDS);
    }
  }

  private static Outcome awaitOutcome(String bootstrap, String id) {
    AtomicReference<Outcome> found = new AtomicReference<>();
    try (TopicReader outcomes = new TopicReader(bootstrap, TOPICS.outcomes())) {
      await("outcome of " + id)
          .atMost(ROUND_TRIP)
          .until(
              () -> {
                outcomes.poll(
                    r -> {
                      Outcome o = Json.readOutcome(r.value());
                      if (o.id().equals(id)) found.set(o);
                    });
                return found.get() != null;
              });
    }
    return found.get();
  }

  private static String httpGet(String url) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("GET %s", url).isEqualTo(200);
    return response.body();
  }
}
