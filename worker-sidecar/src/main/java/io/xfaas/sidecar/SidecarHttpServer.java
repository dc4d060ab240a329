package io.xfaas.sidecar;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The sidecar's operational endpoints, on the JDK's own HTTP server: {@code /metrics} (Prometheus
 * text format, from the Prometheus Java client: {@link SidecarMetrics}), {@code /health} (200 while
 * the poll loop runs) and {@code /ready} (200 while it runs and is not draining; 503 otherwise).
 */
final class SidecarHttpServer implements AutoCloseable {
  private final HttpServer server;

  /** Where it listens (the bound address and port). */
  InetSocketAddress address() {
    return server.getAddress();
  }

  private SidecarHttpServer(HttpServer server) {
    this.server = server;
  }

  static SidecarHttpServer start(String bindAddress, int port, WorkerSidecar sidecar) {
    HttpServer s;
    try {
      s = HttpServer.create(new InetSocketAddress(bindAddress, port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve metrics on " + bindAddress + ":" + port, e);
    }
    s.setExecutor(
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, sidecar.name() + "-http");
              t.setDaemon(true);
              return t;
            }));
    s.createContext("/metrics", ex -> metrics(ex, sidecar.metrics()));
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

  private static void metrics(HttpExchange ex, SidecarMetrics metrics) throws IOException {
    try (ex) {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      metrics.writeTo(body);
      ex.getResponseHeaders().set("Content-Type", metrics.contentType());
      ex.sendResponseHeaders(200, body.size());
      try (OutputStream out = ex.getResponseBody()) {
        body.writeTo(out);
      }
    }
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
}
