package io.xfaas.sidecar;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The sidecar's operational endpoints, on the JDK's own HTTP server: {@code /metrics} (Prometheus
 * text format), {@code /health} (200 while the poll loop runs) and {@code /ready} (200 while it
 * runs and is not draining; 503 otherwise).
 */
final class SidecarHttpServer implements AutoCloseable {
  private final HttpServer server;

  private SidecarHttpServer(HttpServer server) {
    this.server = server;
  }

  static SidecarHttpServer start(int port, WorkerSidecar sidecar) {
    HttpServer s;
    try {
      s = HttpServer.create(new InetSocketAddress(port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve metrics on port " + port, e);
    }
    s.setExecutor(
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, sidecar.name() + "-http");
              t.setDaemon(true);
              return t;
            }));
    s.createContext("/metrics", ex -> answer(ex, 200, () -> PrometheusText.of(sidecar)));
    s.createContext(
        "/health",
        ex ->
            answer(ex, sidecar.isRunning() ? 200 : 503, () -> sidecar.isRunning() ? "UP" : "DOWN"));
    s.createContext(
        "/ready",
        ex ->
            answer(
                ex,
                sidecar.isReady() ? 200 : 503,
                () -> sidecar.isReady() ? "READY" : "NOT READY"));
    s.start();
    return new SidecarHttpServer(s);
  }

  int port() {
    return server.getAddress().getPort();
  }

  private static void answer(HttpExchange ex, int status, Supplier<String> body)
      throws IOException {
    try (ex) {
      byte[] b = (body.get() + "\n").getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      ex.sendResponseHeaders(status, b.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(b);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }

  /** The Prometheus text exposition of a sidecar's counters and per-function gauges. */
  static final class PrometheusText {
    private PrometheusText() {}

    static String of(WorkerSidecar s) {
      StringBuilder b = new StringBuilder();
      counter(
          b, "xfaas_sidecar_processed_total", "RunQ records decided and written", s.processed());
      counter(b, "xfaas_sidecar_succeeded_total", "SUCCEEDED results written", s.succeeded());
      counter(b, "xfaas_sidecar_failed_total", "FAILED results written", s.failed());
      counter(b, "xfaas_sidecar_retried_total", "retries written to DurableQ", s.retried());
      counter(b, "xfaas_sidecar_dead_lettered_total", "dead letters written", s.deadLettered());
      gauge(b, "xfaas_sidecar_capacity", "most calls running at once", s.capacity());
      gauge(b, "xfaas_sidecar_in_flight", "calls running now", s.callsInFlight());
      gauge(b, "xfaas_sidecar_partitions", "RunQ partitions owned", s.assignment().size());
      Map<String, FunctionLane> lanes = s.lanes();
      family(b, "xfaas_function_window", "gauge", "concurrency window of a function");
      lanes.forEach((fn, l) -> sample(b, "xfaas_function_window", fn, l.window()));
      family(b, "xfaas_function_in_flight", "gauge", "calls of a function running now");
      lanes.forEach((fn, l) -> sample(b, "xfaas_function_in_flight", fn, l.inFlight()));
      family(b, "xfaas_function_queued", "gauge", "calls of a function waiting for its window");
      lanes.forEach((fn, l) -> sample(b, "xfaas_function_queued", fn, l.queued()));
      String[] names = {"completions", "errors", "timeouts", "throttles"};
      for (int i = 0; i < names.length; i++) {
        String metric = "xfaas_function_" + names[i] + "_total";
        family(b, metric, "counter", names[i] + " of a function's calls");
        int k = i;
        lanes.forEach((fn, l) -> sample(b, metric, fn, l.totals()[k]));
      }
      return b.toString();
    }

    private static void counter(StringBuilder b, String name, String help, long v) {
      family(b, name, "counter", help);
      b.append(name).append(' ').append(v).append('\n');
    }

    private static void gauge(StringBuilder b, String name, String help, long v) {
      family(b, name, "gauge", help);
      b.append(name).append(' ').append(v).append('\n');
    }

    private static void family(StringBuilder b, String name, String type, String help) {
      b.append("# HELP ").append(name).append(' ').append(help).append('\n');
      b.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void sample(StringBuilder b, String name, String fn, long v) {
      String label = fn.replace("\\", "\\\\").replace("\"", "\\\"");
      b.append(name).append("{function=\"").append(label).append("\"} ").append(v).append('\n');
    }
  }
}
