package io.xfaas.sidecar;

import io.xfaas.config.XfaasConfig;
import java.time.Duration;
import java.util.List;

/**
 * Runs one worker sidecar until SIGTERM or Ctrl-C, printing a status line every few seconds.
 *
 * <pre>
 * java -cp ... io.xfaas.sidecar.SidecarMain --config flink-conf/xfaas.properties \
 *     -Dxfaas.kafka.bootstrap-servers=localhost:9092 -Dxfaas.sidecar.threads=4
 * </pre>
 *
 * Functions are those on the classpath's {@code META-INF/services/io.xfaas.sidecar.XfaasFunction},
 * plus the remote ones of {@code xfaas.sidecar.http-functions}, all warmed up before the first
 * poll. With {@code xfaas.sidecar.http-port} set, {@code /metrics}, {@code /health} and {@code
 * /ready} are served on that port.
 *
 * <p>SIGTERM (or Ctrl-C) drains the sidecar: it stops fetching, hands back the calls still waiting
 * (uncommitted, so the group's next owner runs them), finishes the calls running, commits, and the
 * JVM exits with its usual status (143 for SIGTERM). The exit status is 1 when the sidecar stops on
 * an error, 2 on bad arguments.
 */
public final class SidecarMain {
  private static final Duration STATUS_EVERY = Duration.ofSeconds(10);

  private SidecarMain() {}

  public static void main(String[] args) throws InterruptedException {
    SidecarArgs parsed;
    XfaasConfig config;
    try {
      parsed = SidecarArgs.parse(List.of(args));
      config = parsed.config();
    } catch (RuntimeException e) {
      System.err.println(e.getMessage());
      System.err.println(SidecarArgs.USAGE);
      System.exit(2);
      return;
    }
    if (parsed.help()) {
      System.out.println(SidecarArgs.USAGE);
      return;
    }
    int code = run(config);
    if (code != 0) System.exit(code);
  }

  /** Runs a sidecar until the JVM is asked to stop; the exit code. */
  static int run(XfaasConfig config) throws InterruptedException {
    FunctionRegistry functions = FunctionRegistry.fromServiceLoader();
    WorkerSidecar sidecar = new WorkerSidecar(config, functions);
    Thread hook = new Thread(sidecar::close, sidecar.name() + "-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    sidecar.start();
    System.out.println(
        sidecar.name()
            + " running functions "
            + functions.names()
            + " for group "
            + SidecarSettings.from(config).groupId()
            + " at "
            + config.bootstrapServers());
    while (!sidecar.awaitTermination(STATUS_EVERY)) {
      System.out.println(sidecar.statusLine());
    }
    Throwable failure = sidecar.failure();
    if (failure == null) return 0; // stopped by the shutdown hook
    System.err.println(sidecar.name() + " failed: " + failure);
    // Stopped by itself: close here, unless the JVM is already stopping and the hook does.
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      return 0; // System.exit now would block on the running hooks
    }
    sidecar.close();
    return 1;
  }
}
