package io.xfaas.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.xfaas.config.Topics;
import io.xfaas.records.Outcome;
import io.xfaas.records.OutcomeStatus;
import io.xfaas.serde.Json;
import io.xfaas.testing.TopicReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

  private Process process;
  private ConsoleCapture console;

  @AfterEach
  void destroyProcess() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
    // Into the failsafe report: what the stack said, for when this test fails.
    if (console != null) System.out.print(console.text());
  }

  @Test
  void runsThePipelineShowsTheWebUiAndStopsOnSigint() throws Exception {
    int kafkaPort = freePort();
    int webPort = freePort();
    ProcessBuilder builder =
        new ProcessBuilder(
                repoRoot().resolve("xfaas").toString(),
                "local",
                "--no-demo",
                "--kafka-port",
                Integer.toString(kafkaPort),
                "--web-port",
                Integer.toString(webPort),
                "--sidecars",
                "1")
            .redirectErrorStream(true);
    // Maven has just packaged the jar and lib/ this test runs against: never rebuild from here.
    builder.environment().put("XFAAS_SKIP_BUILD", "1");
    process = builder.start();
    console = new ConsoleCapture(process);

    await("ready")
        .atMost(STARTUP)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              assertThat(process.isAlive()).as("xfaas local died:%n%s", console.text()).isTrue();
              return console.text().contains(" is ready");
            });

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

    new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start().waitFor();
    assertThat(process.waitFor(SHUTDOWN.toSeconds(), TimeUnit.SECONDS))
        .as("exited within %s after SIGINT:%n%s", SHUTDOWN, console.text())
        .isTrue();
    console.awaitEnd();
    assertThat(console.text())
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

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** The directory holding the {@code xfaas} script: the cli module's parent. */
  private static Path repoRoot() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isExecutable(p.resolve("xfaas")) && Files.isDirectory(p.resolve("cli"))) return p;
    }
    throw new IllegalStateException("no xfaas script above " + Path.of("").toAbsolutePath());
  }

  /** Collects the process's console on a thread, so the pipe never fills and blocks it. */
  private static final class ConsoleCapture {
    private final StringBuffer text = new StringBuffer();
    private final Thread reader;

    ConsoleCapture(Process process) {
      reader =
          new Thread(
              () -> {
                try (BufferedReader in =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  for (String line; (line = in.readLine()) != null; ) {
                    text.append(line).append('\n');
                  }
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              },
              "xfaas-local-console");
      reader.setDaemon(true);
      reader.start();
    }

    String text() {
      return text.toString();
    }

    /** Waits until the process closed its console, so everything it printed is in. */
    void awaitEnd() throws InterruptedException {
      reader.join(10_000);
    }
  }
}
