package io.xfaas.cli;

import io.xfaas.local.LocalStack;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code xfaas local}: the whole pipeline in this JVM ({@link LocalStack}): an embedded Kafka
 * broker, the region's topics, a Flink MiniCluster with its web UI, the scheduler job, worker
 * sidecars and a demo load; prints where everything is and a status line every second; stops it all
 * in reverse order on Ctrl-C. This class reads and checks the options.
 */
@Command(
    name = "local",
    description = {
      "Runs the whole pipeline on this machine: embedded Kafka, a Flink MiniCluster with the"
          + " scheduler job and web UI, worker sidecars and a demo load.",
      "Prints where everything is, then a status line every second. Ctrl-C stops it."
    })
final class LocalCommand extends ConfiguredCommand {

  @Option(
      names = "--kafka-port",
      paramLabel = "PORT",
      defaultValue = "9092",
      description = "Port of the embedded Kafka broker (default: ${DEFAULT-VALUE}).")
  int kafkaPort;

  @Option(
      names = "--web-port",
      paramLabel = "PORT",
      defaultValue = "8081",
      description = "Port of Flink's web UI and REST API (default: ${DEFAULT-VALUE}).")
  int webPort;

  @Option(
      names = "--sidecars",
      paramLabel = "N",
      defaultValue = "2",
      description = "Worker sidecars to run (default: ${DEFAULT-VALUE}).")
  int sidecars;

  @Option(names = "--no-demo", description = "Do not play the demo load.")
  boolean noDemo;

  @Option(
      names = "--demo-rate",
      paramLabel = "N",
      defaultValue = "20",
      description = "Invocations per second of the demo load (default: ${DEFAULT-VALUE}).")
  int demoRate;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "Where the broker, checkpoints and scratch files live, kept on exit (default: a fresh"
              + " folder under .xfaas/, deleted on exit).")
  Path dataDir;

  @Option(
      names = "--dashboard-port",
      paramLabel = "PORT",
      defaultValue = "8090",
      description =
          "Port of the live dashboard on localhost (default: ${DEFAULT-VALUE}; 0: no dashboard).")
  int dashboardPort;

  @Option(
      names = "--regions",
      paramLabel = "R1,R2,...",
      split = ",",
      description =
          "Run several regions on the one broker: per region its topics, scheduler job, sidecars"
              + " and demo load, plus the GTC job over all of them; submitters route by its"
              + " decisions (default: the one configured region, no GTC).")
  List<String> regions;

  @Option(
      names = "--secure",
      description =
          "Kafka on SASL_SSL with SCRAM users and ACLs: a principal per role (scheduler, sidecar,"
              + " operator, analyst) and per demo tenant, with its client properties file;"
              + " invocations must be signed. Credentials go to secure/ in the data dir.")
  boolean secure;

  @Override
  public Integer call() throws Exception {
    if (secure && regions != null && !regions.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "--secure does not run with --regions yet");
    }
    if (secure && configOptions.bootstrapServers != null) {
      throw new ParameterException(
          spec.commandLine(), "--secure starts its own broker: drop --bootstrap-servers");
    }
    if (sidecars < 0) {
      throw new ParameterException(spec.commandLine(), "--sidecars must be 0 or more");
    }
    if (demoRate < 1 || demoRate > 100_000) {
      throw new ParameterException(spec.commandLine(), "--demo-rate must be in [1, 100000]");
    }
    if (dashboardPort < 0 || dashboardPort > 65535) {
      throw new ParameterException(spec.commandLine(), "--dashboard-port must be in [0, 65535]");
    }
    if (regions != null) {
      for (String r : regions) {
        // A region is part of topic names, consumer groups and transactional ids.
        if (!r.matches("[A-Za-z0-9][A-Za-z0-9_-]*")) {
          throw new ParameterException(
              spec.commandLine(), "--regions: bad region name '" + r + "'");
        }
      }
    }
    return new LocalStack(
            new LocalStack.Settings(
                kafkaPort,
                webPort,
                sidecars,
                !noDemo,
                demoRate,
                dataDir,
                XfaasHome.workDir(),
                dashboardPort,
                regions,
                secure),
            spec.commandLine().getOut(),
            spec.commandLine().getErr())
        .run(
            configOptions::resolve,
            configOptions.bootstrapServers != null,
            configOptions.configFile());
  }
}
