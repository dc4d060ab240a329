package io.xfaas.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.xfaas.records.Invocation;
import io.xfaas.records.Outcome;
import io.xfaas.records.OutcomeStatus;
import io.xfaas.records.ReasonCode;
import io.xfaas.serde.Json;
import io.xfaas.testing.EmbeddedKafkaExtension;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The HTTP function protocol against the sample Python runtime.
 *
 * <p>How the runtime is started: {@code python3 runtimes/python/xfaas_runtime.py --port 0
 * --max-batch 8} as a subprocess of this test (working directory: this module), with the sample
 * functions of {@code runtimes/python/sample_functions.py}. With {@code --port 0} the runtime binds
 * a free port and prints {@code listening on PORT} as its first line, which the test reads; the
 * process is destroyed after the tests.
 */
class HttpFunctionITCase {
  @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  private static final Path RUNTIME = Path.of("runtimes", "python", "xfaas_runtime.py");
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private static Process runtime;
  private static String base;

  @BeforeAll
  static void startRuntime() throws Exception {
    assertThat(RUNTIME).exists();
    runtime = startRuntime("--max-batch", "8");
    base = listeningAt(runtime);
  }

  /** The Python runtime on a port of its choosing, with {@code args}. */
  private static Process startRuntime(String... args) throws IOException {
    List<String> command =
        new ArrayList<>(List.of("python3", RUNTIME.getFileName().toString(), "--port", "0"));
    command.addAll(List.of(args));
    return new ProcessBuilder(command)
        .directory(RUNTIME.getParent().toFile())
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
  }

  /** The runtime's base URL, from the first line it prints: "listening on PORT". */
  private static String listeningAt(Process runtime) throws Exception {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(runtime.getInputStream(), StandardCharsets.UTF_8));
    String first =
        CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return out.readLine();
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                })
            .get(20, TimeUnit.SECONDS);
    assertThat(first).startsWith("listening on ");
    return "http://127.0.0.1:" + first.substring("listening on ".length()).trim();
  }

  @AfterAll
  static void stopRuntime() throws Exception {
    if (runtime != null) {
      runtime.destroy();
      runtime.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void theWarmUpChecksTheFunctionAndLearnsItsBatchSize() throws Exception {
    HttpFunction greet = new HttpFunction("greet", base + "/functions/greet", TIMEOUT);
    assertThat(greet.maxBatch()).isEqualTo(HttpFunction.DEFAULT_MAX_BATCH);

    new FunctionRegistry().register(greet);

    assertThat(greet.maxBatch()).isEqualTo(8);
    assertThatThrownBy(
            () ->
                new FunctionRegistry()
                    .register(new HttpFunction("nope", base + "/functions/nope", TIMEOUT)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("warm-up");
  }

  @Test
  void aRuntimeWithATokenAnswersOnlyRequestsThatCarryIt(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    Path tokenFile = dir.resolve("runtime.token");
    java.nio.file.Files.writeString(tokenFile, "s3cret-runtime-token\n");
    Process guarded = startRuntime("--token-file", tokenFile.toString());
    try {
      String at = listeningAt(guarded);
      String url = at + "/functions/greet";

      assertThatThrownBy(() -> new HttpFunction("greet", url, TIMEOUT).warmUp())
          .hasMessageContaining("401");
      assertThatThrownBy(() -> new HttpFunction("greet", url, TIMEOUT, "a-guess").warmUp())
          .hasMessageContaining("401");
      List<CallResult> refused =
          new HttpFunction("greet", url, TIMEOUT, "a-guess")
              .invokeBatch(List.of(call("c-no", "{\"name\":\"x\"}")));
      assertThat(refused.get(0).kind()).isNotEqualTo(CallResult.Kind.OK);

      // The sidecar's way: the token of the longest URL prefix in its tokens file.
      Path tokens = dir.resolve("tokens");
      java.nio.file.Files.writeString(
          tokens, "# runtime tokens\nhttp://127.0.0.1 wrong\n" + at + " s3cret-runtime-token\n");
      SidecarSettings settings =
          SidecarSettings.from(
              io.xfaas.config.XfaasConfig.of(
                  Map.of("xfaas.sidecar.http-function-tokens-file", tokens.toString())));
      HttpFunction greet =
          new HttpFunction("greet", url, TIMEOUT, settings.remoteFunctions().tokenFor(url));
      greet.warmUp();
      List<CallResult> ok = greet.invokeBatch(List.of(call("c-yes", "{\"name\":\"x\"}")));
      assertThat(ok.get(0).kind()).as(ok.get(0).error()).isEqualTo(CallResult.Kind.OK);
      assertThat(settings.toString()).doesNotContain("s3cret");
    } finally {
      guarded.destroy();
      guarded.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void oneBatchCarriesEverySignalOfTheProtocol() throws Exception {
    HttpFunction behave = new HttpFunction("behave", base + "/functions/behave", TIMEOUT);
    behave.warmUp();
    long batchesBefore = stats().get("batches").asLong();

    List<CallResult> results =
        behave.invokeBatch(
            List.of(
                call("c-ok", "{\"as\":\"ok\"}"),
                call("c-error", "{\"as\":\"error\"}"),
                call("c-fatal", "{\"as\":\"fatal\"}"),
                call("c-throttle", "{\"as\":\"throttle\"}")));

    assertThat(results)
        .extracting(CallResult::kind)
        .containsExactly(
            CallResult.Kind.OK,
            CallResult.Kind.ERROR,
            CallResult.Kind.FATAL,
            CallResult.Kind.THROTTLED);
    assertThat(Json.MAPPER.readTree(results.get(0).result()).get("id").asText()).isEqualTo("c-ok");
    assertThat(results.get(1).error()).isEqualTo("asked to fail, attempt 1");
    assertThat(results.get(2).error()).isEqualTo("asked to fail for good");
    assertThat(results.get(3).error()).isEqualTo("asked to throttle");
    assertThat(stats().get("batches").asLong()).as("one POST").isEqualTo(batchesBefore + 1);
  }

  @Test
  void aSidecarRunsConfiguredHttpFunctionsInBatches() throws Exception {
    SidecarFixture f = SidecarFixture.create(KAFKA, 2);
    List<Invocation> calls =
        IntStream.range(0, 300)
            .mapToObj(
                i -> SidecarFixture.invocation("g-" + i, "greet", "{\"name\":\"n" + i + "\"}"))
            .collect(Collectors.toList());
    calls.add(SidecarFixture.invocation("fatal-1", "behave", "{\"as\":\"fatal\"}"));
    f.writeRunQ(calls, inv -> inv.function().equals("greet") ? 0 : 1);
    long batchesBefore = stats().get("batches").asLong();
    long callsBefore = stats().get("calls").asLong();

    try (WorkerSidecar s =
        new WorkerSidecar(
                f.config(
                    Map.of(
                        "xfaas.sidecar.http-functions",
                        "greet=" + base + "/functions/greet, behave=" + base + "/functions/behave",
                        "xfaas.sidecar.window-initial",
                        "16",
                        "xfaas.sidecar.batch-linger-ms",
                        "5")),
                new FunctionRegistry())
            .start()) {
      f.awaitGroupAtEndOfRunQ(Duration.ofSeconds(60));
      assertThat(s.failure()).isNull();
    }

    Map<String, Outcome> outcomes =
        f.readAll(f.topics().results()).stream()
            .map(r -> Json.readOutcome(r.value()))
            .collect(Collectors.toMap(Outcome::id, o -> o, (a, b) -> a));
    assertThat(outcomes).hasSize(301);
    assertThat(outcomes.get("g-7").status()).isEqualTo(OutcomeStatus.SUCCEEDED);
    assertThat(Json.MAPPER.readTree(outcomes.get("g-7").result()).get("greeting").asText())
        .isEqualTo("hello n7");
    assertThat(outcomes.get("fatal-1").status()).isEqualTo(OutcomeStatus.FAILED);
    assertThat(outcomes.get("fatal-1").reason()).isEqualTo(ReasonCode.FUNCTION_ERROR);
    assertThat(outcomes.get("fatal-1").attempts()).as("not retried").isEqualTo(1);
    long batches = stats().get("batches").asLong() - batchesBefore;
    long sent = stats().get("calls").asLong() - callsBefore;
    assertThat(sent).isEqualTo(301);
    assertThat(batches).as("calls went in batches").isLessThan(sent / 2);
    assertThat(stats().get("largestBatch").asInt()).isBetween(2, 8);
  }

  private static FunctionCall call(String id, String payload) {
    return new FunctionCall(payload, new CallContext(id, "t", "behave", 1, 3, Map.of()));
  }

  private static JsonNode stats() throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(base + "/stats")).build(),
                HttpResponse.BodyHandlers.ofString());
    return Json.MAPPER.readTree(r.body());
  }
}
