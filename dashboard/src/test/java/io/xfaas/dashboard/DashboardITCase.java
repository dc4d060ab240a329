package io.xfaas.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.xfaas.config.Topics;
import io.xfaas.kafka.TopicTail;
import io.xfaas.records.Outcome;
import io.xfaas.records.OutcomeStatus;
import io.xfaas.serde.Json;
import io.xfaas.testing.EmbeddedKafkaExtension;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.assertj.core.api.ThrowingConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver},
 * which {@code .ci/run} installs), driven by chromedriver over its W3C HTTP API: records written to
 * a real broker's metrics and outcomes topics must show up on the page, in the table and in the SVG
 * charts, with their exact numbers, and follow new records live. Leaves a screenshot in {@code
 * target/dashboard-screenshot.png}.
 */
class DashboardITCase {
  @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  private static final Topics TOPICS = Topics.forRegion("local");
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Path SCREENSHOT = Path.of("target", "dashboard-screenshot.png");

  /** What the page shows, read in the browser: table cells, chart bars and their labels. */
  private static final String READ_PAGE =
      """
      const cell = (t, f) => {
        const td = document.querySelector(`#tenants tr[data-tenant="${t}"] td[data-field="${f}"]`);
        return td ? td.textContent : null;
      };
      const rows = id => Array.from(document.querySelectorAll(`#${id} g.row`)).map(g => ({
        label: g.getAttribute('data-label'),
        value: g.querySelector('text.value').textContent,
        bars: g.querySelectorAll('rect.bar').length }));
      return {
        tenants: Array.from(document.querySelectorAll('#tenants tbody tr')).map(r => r.dataset.tenant),
        adsDispatched: cell('ads', 'dispatched'),
        adsBacklog: cell('ads', 'backlog'),
        adsThrottled: cell('ads', 'throttled'),
        feedDispatched: cell('feed', 'dispatched'),
        backlog: rows('chart-backlog'),
        outcomes: rows('chart-outcomes'),
        delay: rows('chart-delay'),
        throttled: rows('chart-throttled'),
        throughputLines: document.querySelectorAll('#chart-throughput path.series').length,
        gtc: document.querySelector('#gtc').textContent,
        regions: Array.from(document.querySelectorAll('#regions tbody tr')).map(r => r.dataset.region + ' '
          + Array.from(r.querySelectorAll('td[data-field]')).map(td => td.dataset.field + '=' + td.textContent).join(' ')),
        regionLines: document.querySelectorAll('#region-charts svg[data-region] path.series').length,
        heldLines: document.querySelectorAll('#region-charts svg[data-region-held] path.series').length,
        gtcCells: Array.from(document.querySelectorAll('#gtc-matrix tr[data-source] td[data-to]'))
          .map(td => td.parentElement.dataset.source + '>' + td.dataset.to + '=' + td.textContent),
        status: document.querySelector('#status').textContent
      };
      """;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private TopicTail feed;
  private DashboardServer server;
  private Process driver;
  private String driverUrl;
  private String session;

  @BeforeEach
  void start() throws Exception {
    KAFKA.createTopics(
        Map.of(
            TOPICS.metrics(), 1, TOPICS.outcomes(), 3, TOPICS.load(), 1, TOPICS.gtcDecisions(), 1));
    DashboardModel model = new DashboardModel();
    feed = DashboardFeed.follow(KAFKA.config("local"), model).start();
    server = new DashboardServer(0, model).start();
  }

  @AfterEach
  void stop() throws Exception {
    if (session != null) {
      try {
        webDriver("DELETE", "", null);
      } catch (IOException | RuntimeException e) {
        // The browser is going away anyway.
      }
    }
    if (driver != null) {
      driver.destroy();
      if (!driver.waitFor(10, TimeUnit.SECONDS)) driver.destroyForcibly();
    }
    if (server != null) server.close();
    if (feed != null) feed.close();
  }

  @Test
  void rendersTheChartsWithTheNumbersOnTheTopicsAndFollowsNewOnes(@TempDir Path profile)
      throws Exception {
    Optional<Path> chromium = onPath("chromium");
    Optional<Path> chromedriver = onPath("chromedriver");
    Assumptions.assumeTrue(
        chromium.isPresent() && chromedriver.isPresent(),
        "needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)");

    long now = System.currentTimeMillis();
    try (KafkaProducer<String, byte[]> producer = producer()) {
      send(
          producer,
          TOPICS.metrics(),
          "ads",
          DashboardModelTest.period("ads", now - 1000, 120, 90, 13, 55, 4, 19));
      send(
          producer,
          TOPICS.metrics(),
          "ads",
          DashboardModelTest.period("ads", now, 80, 70, 4, 42, 7, 31));
      send(
          producer,
          TOPICS.metrics(),
          "feed",
          DashboardModelTest.period("feed", now, 30, 25, 0, 3, 2, 9));
      // Two regions' load reports for the current second: region a's scheduler and sidecar, b's
      // scheduler (the load topic is global).
      long second = now / 1000 * 1000;
      send(
          producer,
          TOPICS.load(),
          "a",
          RegionLoadsTest.scheduler("a", "scheduler-0", second + 1, 48, 36, 120, 40));
      send(
          producer,
          TOPICS.load(),
          "a",
          RegionLoadsTest.sidecar("a", "sidecar-0", second + 2, 35, 70, 0.5));
      send(
          producer,
          TOPICS.load(),
          "b",
          RegionLoadsTest.scheduler("b", "scheduler-0", second + 3, 9, 9, 0, 0));
      int n = 0;
      for (var e :
          Map.of(
                  OutcomeStatus.SUCCEEDED, 37,
                  OutcomeStatus.FAILED, 5,
                  OutcomeStatus.EXPIRED, 3,
                  OutcomeStatus.REJECTED, 2,
                  OutcomeStatus.CANCELLED, 1)
              .entrySet()) {
        for (int i = 0; i < e.getValue(); i++) {
          String id = "call-" + n++;
          send(
              producer,
              TOPICS.outcomes(),
              id,
              outcome(id, i % 2 == 0 ? "ads" : "feed", e.getKey()));
        }
      }
      producer.flush();
    }

    startBrowser(chromium.get(), chromedriver.get(), profile);
    webDriver("POST", "/url", Json.MAPPER.createObjectNode().put("url", server.url()));

    untilPageShows(
        page -> {
          assertThat(page.get("tenants"))
              .extracting(JsonNode::asText)
              .containsExactly("ads", "feed");
          assertThat(page.get("adsDispatched").asText()).isEqualTo("160");
          assertThat(page.get("adsBacklog").asText()).isEqualTo("42");
          assertThat(page.get("adsThrottled").asText()).isEqualTo("17");
          assertThat(page.get("feedDispatched").asText()).isEqualTo("25");
          assertThat(rows(page, "backlog")).containsExactly("ads=42", "feed=3");
          assertThat(rows(page, "outcomes"))
              .containsExactly(
                  "SUCCEEDED=37", "FAILED=5", "EXPIRED=3", "REJECTED=2", "CANCELLED=1");
          assertThat(rows(page, "delay"))
              .containsExactly("ads p50=7 ms", "ads p99=31 ms", "feed p50=2 ms", "feed p99=9 ms");
          assertThat(rows(page, "throttled")).containsExactly("ads=17", "feed=0");
          for (String chart : List.of("backlog", "outcomes", "delay", "throttled")) {
            assertThat(page.get(chart)).allSatisfy(r -> assertThat(r.get("bars").asInt()).isOne());
          }
          assertThat(page.get("throughputLines").asInt()).isEqualTo(2);
          assertThat(page.get("gtc").asText()).contains("no GTC decisions yet");
          assertThat(page.get("regions"))
              .extracting(JsonNode::asText)
              .containsExactly(
                  "a received=48 dispatched=36 executed=35 level=40 held=120 capacity=70"
                      + " utilization=50 %",
                  "b received=9 dispatched=9 executed=0 level=0 held=0 capacity=0 utilization=0 %");
          assertThat(page.get("regionLines").asInt()).as("5 series, 2 regions").isEqualTo(10);
          assertThat(page.get("heldLines").asInt()).isEqualTo(2);
          assertThat(page.get("status").asText()).startsWith("live");
        });
    screenshot();

    // Live: a new period and more outcomes appear without reloading the page.
    try (KafkaProducer<String, byte[]> producer = producer()) {
      send(
          producer,
          TOPICS.metrics(),
          "ads",
          DashboardModelTest.period("ads", System.currentTimeMillis(), 20, 11, 0, 8, 3, 12));
      send(
          producer, TOPICS.outcomes(), "late-1", outcome("late-1", "ads", OutcomeStatus.SUCCEEDED));
      // The GTC job's first matrix (the identity), then b overflowing to a.
      send(
          producer,
          TOPICS.gtcDecisions(),
          "a",
          GtcMatrixTest.decision("a", Map.of("a", 1.0), "local", 1));
      send(
          producer,
          TOPICS.gtcDecisions(),
          "b",
          GtcMatrixTest.decision("b", Map.of("b", 1.0), "local", 1));
      send(
          producer,
          TOPICS.gtcDecisions(),
          "b",
          GtcMatrixTest.decision("b", Map.of("a", 0.25, "b", 0.75), "overflow", 2));
      // Region a's next second.
      long next = (System.currentTimeMillis() / 1000 + 1) * 1000;
      send(
          producer,
          TOPICS.load(),
          "a",
          RegionLoadsTest.scheduler("a", "scheduler-0", next, 60, 40, 90, 40));
      send(
          producer,
          TOPICS.load(),
          "a",
          RegionLoadsTest.sidecar("a", "sidecar-0", next + 1, 35, 70, 0.5));
      producer.flush();
    }
    untilPageShows(
        page -> {
          assertThat(page.get("gtcCells"))
              .extracting(JsonNode::asText)
              .containsExactly("a>a=100 %", "a>b=0 %", "b>a=25 %", "b>b=75 %");
          assertThat(page.get("gtc").asText()).contains("matrix version 2").contains("overflow");
          assertThat(page.get("regions").get(0).asText())
              .startsWith("a received=60 dispatched=40 executed=35 level=40 held=90");
          assertThat(page.get("adsDispatched").asText()).isEqualTo("171");
          assertThat(rows(page, "backlog")).containsExactly("ads=8", "feed=3");
          assertThat(rows(page, "outcomes")).startsWith("SUCCEEDED=38");
        });
    screenshot();
  }

  private static List<String> rows(JsonNode page, String chart) {
    return Stream.of(page.get(chart))
        .flatMap(a -> java.util.stream.StreamSupport.stream(a.spliterator(), false))
        .map(r -> r.get("label").asText() + "=" + r.get("value").asText())
        .toList();
  }

  /** Waits until the page, read again every 250 ms, passes {@code check}. */
  private void untilPageShows(ThrowingConsumer<JsonNode> check) {
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(() -> check.accept(readPage()));
  }

  private JsonNode readPage() throws Exception {
    ObjectNode body = Json.MAPPER.createObjectNode().put("script", READ_PAGE);
    body.putArray("args");
    return webDriver("POST", "/execute/sync", body);
  }

  private void screenshot() throws Exception {
    byte[] png = Base64.getDecoder().decode(webDriver("GET", "/screenshot", null).asText());
    assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).as("a PNG").isEqualTo("PNG");
    Files.createDirectories(SCREENSHOT.getParent());
    Files.write(SCREENSHOT, png);
  }

  private void startBrowser(Path chromium, Path chromedriver, Path profile) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path log = Path.of("target", "chromedriver.log");
    Files.createDirectories(log.getParent());
    driver =
        new ProcessBuilder(chromedriver.toString(), "--port=" + port)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    driverUrl = "http://localhost:" + port;
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(
            () ->
                driver.isAlive()
                    && call("GET", driverUrl + "/status", null).at("/value/ready").asBoolean());
    ObjectNode caps = Json.MAPPER.createObjectNode();
    ObjectNode always = caps.putObject("capabilities").putObject("alwaysMatch");
    always.put("browserName", "chrome");
    ObjectNode chrome = always.putObject("goog:chromeOptions");
    chrome.put("binary", chromium.toString());
    var args = chrome.putArray("args");
    for (String a :
        List.of(
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--window-size=1400,1300",
            "--user-data-dir=" + profile.toAbsolutePath())) {
      args.add(a);
    }
    JsonNode created = call("POST", driverUrl + "/session", caps);
    session = created.at("/value/sessionId").asText();
    assertThat(session).as("chromedriver session: %s", created).isNotEmpty();
  }

  /** A WebDriver command on the session; returns its {@code value}. */
  private JsonNode webDriver(String method, String path, JsonNode body) throws Exception {
    JsonNode reply = call(method, driverUrl + "/session/" + session + path, body);
    JsonNode value = reply.get("value");
    if (value != null && value.isObject() && value.has("error")) {
      throw new IllegalStateException("webdriver " + path + ": " + value);
    }
    return value;
  }

  private JsonNode call(String method, String url, JsonNode body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json");
    request.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(Json.write(body)));
    HttpResponse<byte[]> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    return Json.MAPPER.readTree(response.body());
  }

  private KafkaProducer<String, byte[]> producer() {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            KAFKA.bootstrapServers(),
            ProducerConfig.ACKS_CONFIG,
            "all"),
        new StringSerializer(),
        new ByteArraySerializer());
  }

  private static void send(
      KafkaProducer<String, byte[]> producer, String topic, String key, Object value)
      throws Exception {
    producer.send(new ProducerRecord<>(topic, key, Json.write(value))).get(30, TimeUnit.SECONDS);
  }

  private static Outcome outcome(String id, String tenant, OutcomeStatus status) {
    long t = System.currentTimeMillis();
    return new Outcome(id, tenant, "echo", null, status, null, null, 1, t, t, t, t, "local", null);
  }

  private static Optional<Path> onPath(String program) {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    return Stream.of(path.split(File.pathSeparator))
        .map(d -> Path.of(d, program))
        .filter(Files::isExecutable)
        .findFirst();
  }
}
