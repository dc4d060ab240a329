package io.xfaas.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.xfaas.serde.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Serves the dashboard: the page at {@code /} (a resource, {@code dashboard/index.html}, with its
 * charts drawn by an inline script) and the {@link DashboardModel}'s summary as JSON at {@code
 * /api/summary}, which the page polls every second. JDK HTTP server, loopback only.
 */
public final class DashboardServer implements AutoCloseable {
  static final String PAGE = "/dashboard/index.html";

  private final DashboardModel model;
  private final HttpServer server;
  private final ExecutorService executor;
  private final byte[] page;

  /** Binds {@code port} on the loopback address (0: any free port); call {@link #start}. */
  public DashboardServer(int port, DashboardModel model) throws IOException {
    this.model = model;
    this.page = loadPage();
    this.server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    this.executor =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "xfaas-dashboard-http");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/", this::page);
    server.createContext("/api/summary", this::summary);
  }

  public DashboardServer start() {
    server.start();
    return this;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public String url() {
    return "http://localhost:" + port() + "/";
  }

  private void page(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    if (!path.equals("/") && !path.equals("/index.html")) {
      send(ex, 404, "text/plain; charset=utf-8", "not found\n".getBytes());
    } else {
      send(ex, 200, "text/html; charset=utf-8", page);
    }
  }

  private void summary(HttpExchange ex) throws IOException {
    byte[] body = Json.write(model.summary(System.currentTimeMillis()));
    send(ex, 200, "application/json", body);
  }

  private static void send(HttpExchange ex, int status, String type, byte[] body)
      throws IOException {
    try (ex) {
      if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
        ex.sendResponseHeaders(405, -1);
        return;
      }
      ex.getResponseHeaders().set("Content-Type", type);
      ex.getResponseHeaders().set("Cache-Control", "no-store");
      boolean head = ex.getRequestMethod().equals("HEAD");
      ex.sendResponseHeaders(status, head ? -1 : body.length);
      if (!head) {
        try (OutputStream out = ex.getResponseBody()) {
          out.write(body);
        }
      }
    }
  }

  private static byte[] loadPage() {
    try (InputStream in = DashboardServer.class.getResourceAsStream(PAGE)) {
      if (in == null) throw new IllegalStateException("missing resource " + PAGE);
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    server.stop(0);
    executor.shutdown();
    executor.awaitTermination(5, TimeUnit.SECONDS);
  }
}
