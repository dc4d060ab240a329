package io.xfaas.sidecar;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.xfaas.config.OptionType;
import io.xfaas.serde.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A remote function, in any language, behind the xfaas HTTP function protocol (docs/contract.md,
 * "HTTP function protocol"): one POST carries a batch of calls, the answer has one result per call,
 * each with explicit {@code retryable} and {@code throttled} signals. The warm-up, once at
 * registration, is a GET of the function's URL, which also tells the batch size the runtime
 * accepts; calls reuse one {@link HttpClient} and its kept-alive connections.
 */
public final class HttpFunction implements XfaasFunction {
  /** Batch size when the runtime does not say. */
  static final int DEFAULT_MAX_BATCH = 16;

  private final String name;
  private final URI url;
  private final Duration timeout;
  private final HttpClient client;
  private final String authorization; // null: no token
  private volatile int maxBatch = DEFAULT_MAX_BATCH;

  public HttpFunction(String name, String url, Duration timeout) {
    this(name, url, timeout, null);
  }

  /** A function whose runtime wants {@code token} as a bearer token (null: none). */
  public HttpFunction(String name, String url, Duration timeout, String token) {
    this.authorization = token == null ? null : "Bearer " + token;
    this.name = name;
    this.url = URI.create(url);
    this.timeout = timeout;
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  /**
   * Reads a tokens file: {@code URL_PREFIX TOKEN} lines, blank lines and {@code #} comments
   * skipped; empty for no file.
   */
  public static Map<String, String> readTokens(String file) {
    Map<String, String> out = new LinkedHashMap<>();
    if (file == null || file.isBlank()) return out;
    List<String> lines;
    try {
      lines = java.nio.file.Files.readAllLines(java.nio.file.Path.of(file));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot read the function tokens file " + file, e);
    }
    for (String line : lines) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) continue;
      String[] parts = l.split("\\s+");
      if (parts.length != 2) {
        // The line is not printed: it may hold a token.
        throw new IllegalArgumentException(
            file + ": expected 'URL_PREFIX TOKEN' lines, line " + (lines.indexOf(line) + 1));
      }
      out.put(parts[0], parts[1]);
    }
    return out;
  }

  /**
   * Reads {@code name=url,name2=url2} (blanks around entries ignored).
   *
   * @throws IllegalArgumentException on an entry that is not {@code name=http(s)://...}
   */
  public static Map<String, String> parseList(String spec) {
    return parseList(spec == null ? List.of() : OptionType.LIST.parse(spec));
  }

  /** {@code name=url} entries, as the {@code xfaas.sidecar.http-functions} list gives them. */
  public static Map<String, String> parseList(List<String> entries) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String entry : entries) {
      String e = entry.trim();
      if (e.isEmpty()) continue;
      int eq = e.indexOf('=');
      String fn = eq > 0 ? e.substring(0, eq).trim() : "";
      String url = eq > 0 ? e.substring(eq + 1).trim() : "";
      if (fn.isEmpty() || !(url.startsWith("http://") || url.startsWith("https://"))) {
        throw new IllegalArgumentException(
            "xfaas.sidecar.http-functions: expected name=http://host:port/path, got '" + e + "'");
      }
      URI.create(url); // fails loudly on a malformed URL
      if (out.put(fn, url) != null) {
        throw new IllegalArgumentException("xfaas.sidecar.http-functions: '" + fn + "' twice");
      }
    }
    return out;
  }

  private HttpRequest.Builder httpRequest() {
    HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(timeout);
    if (authorization != null) b.header("Authorization", authorization);
    return b;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int maxBatch() {
    return maxBatch;
  }

  /** GETs the function's URL: it must answer 2xx; {@code maxBatch} in the answer is taken. */
  @Override
  public void warmUp() throws IOException, InterruptedException {
    HttpResponse<String> r =
        client.send(httpRequest().GET().build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new IOException("warm-up of " + name + " at " + url + " answered " + r.statusCode());
    }
    try {
      JsonNode n = Json.MAPPER.readTree(r.body()).path("maxBatch");
      if (n.canConvertToInt() && n.intValue() >= 1) maxBatch = n.intValue();
    } catch (IOException notJson) {
      // The status is what counts; the batch size stays the default.
    }
  }

  @Override
  public String invoke(String payloadJson, CallContext ctx) throws Exception {
    CallResult r = invokeBatch(List.of(new FunctionCall(payloadJson, ctx))).get(0);
    if (r.kind() != CallResult.Kind.OK) throw new IOException(r.error());
    return r.result();
  }

  @Override
  public List<CallResult> invokeBatch(List<FunctionCall> calls)
      throws IOException, InterruptedException {
    HttpResponse<String> r =
        client.send(
            httpRequest()
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.write(request(calls))))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    int status = r.statusCode();
    if (status == 429 || status == 503) {
      return Collections.nCopies(
          calls.size(), CallResult.throttled("HTTP " + status + " from " + name));
    }
    if (status != 200) {
      return Collections.nCopies(
          calls.size(), CallResult.error("HTTP " + status + " from " + name, status >= 500));
    }
    return HttpProtocol.results(calls, r.body());
  }

  private ObjectNode request(List<FunctionCall> calls) throws IOException {
    ObjectNode req = Json.MAPPER.createObjectNode();
    req.put("function", name);
    ArrayNode arr = req.putArray("calls");
    for (FunctionCall c : calls) {
      ObjectNode call = arr.addObject();
      CallContext ctx = c.context();
      call.put("id", ctx.id());
      call.put("tenant", ctx.tenant());
      call.put("attempt", ctx.attempt());
      call.put("maxAttempts", ctx.maxAttempts());
      ObjectNode attrs = call.putObject("attributes");
      ctx.attributes().forEach(attrs::put);
      call.set("payload", c.payloadJson() == null ? null : Json.MAPPER.readTree(c.payloadJson()));
    }
    return req;
  }

  /** The answer side of the protocol, apart so it is tested without a server. */
  static final class HttpProtocol {
    private HttpProtocol() {}

    /**
     * One result per call, matched by id. A call the answer leaves out, or an answer that is not
     * the protocol's, fails retryably.
     */
    static List<CallResult> results(List<FunctionCall> calls, String body) {
      JsonNode root;
      try {
        root = Json.MAPPER.readTree(body);
      } catch (IOException e) {
        return Collections.nCopies(
            calls.size(), CallResult.error("answer is not JSON: " + e.getMessage(), true));
      }
      JsonNode results = root == null ? null : root.get("results");
      if (results == null || !results.isArray()) {
        return Collections.nCopies(
            calls.size(), CallResult.error("answer has no \"results\" array", true));
      }
      Map<String, JsonNode> byId = new LinkedHashMap<>();
      results.forEach(n -> byId.putIfAbsent(n.path("id").asText(), n));
      List<CallResult> out = new ArrayList<>(calls.size());
      for (FunctionCall c : calls) {
        JsonNode n = byId.get(c.context().id());
        out.add(n == null ? CallResult.error("no result for this call", true) : result(n));
      }
      return out;
    }

    private static CallResult result(JsonNode n) {
      if (n.path("ok").asBoolean(false)) {
        JsonNode result = n.get("result");
        return CallResult.ok(result == null || result.isNull() ? null : result.toString());
      }
      String error = n.path("error").asText("error");
      if (n.path("throttled").asBoolean(false)) return CallResult.throttled(error);
      return CallResult.error(error, n.path("retryable").asBoolean(true));
    }
  }
}
