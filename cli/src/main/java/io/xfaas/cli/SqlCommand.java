package io.xfaas.cli;

import io.xfaas.config.Topics;
import io.xfaas.config.XfaasConfig;
import io.xfaas.local.StandaloneCluster;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code xfaas sql}: Flink's own SQL client ({@code SqlClient}, embedded mode) with the xfaas
 * tables preloaded (sql/tables.sql as the init file), queries running on an in-process MiniCluster
 * ({@code execution.target: local}). Runs as a child JVM on cli/target/lib plus cli/target/sql-lib,
 * so the table planner stays off the cli's own classpath.
 */
@Command(
    name = "sql",
    description = {
      "Flink's SQL client over the xfaas topics: tables outcomes, dlq, scheduling_metrics,"
          + " gtc_decisions (sql/tables.sql); ready queries in sql/queries/.",
      "Interactive without -f/-e; with them, prints the results (tableau) and exits."
    })
final class SqlCommand extends ConfiguredCommand {
  static final String MAIN = "org.apache.flink.table.client.SqlClient";

  @Option(
      names = {"-f", "--file"},
      paramLabel = "FILE",
      description = "Run the statements of FILE.")
  Path file;

  @Option(
      names = {"-e", "--execute"},
      paramLabel = "SQL",
      description = "Run these statements.")
  String execute;

  @Option(
      names = "--tables",
      paramLabel = "FILE",
      description = "The table definitions (default: sql/tables.sql).")
  Path tables;

  @Option(
      names = "--lib",
      paramLabel = "DIR",
      description = "Flink's jars (default: cli/target/lib).")
  Path lib;

  @Option(
      names = "--sql-lib",
      paramLabel = "DIR",
      description = "The SQL client's jars (default: cli/target/sql-lib).")
  Path sqlLib;

  @Option(
      names = "--work-dir",
      paramLabel = "DIR",
      description = "The rendered tables and Flink conf (default: .xfaas/sql).")
  Path workDir;

  @Override
  public Integer call() throws Exception {
    XfaasConfig config = configOptions.resolve();
    Path work = (workDir != null ? workDir : XfaasHome.resolve(".xfaas/sql")).toAbsolutePath();
    Files.createDirectories(work.resolve("conf"));
    Files.createDirectories(work.resolve("tmp"));
    Path init = work.resolve("tables.sql");
    Path tablesFile = tables != null ? tables : XfaasHome.resolve("sql/tables.sql");
    Files.writeString(init, render(Files.readString(tablesFile), config));
    if (!config.kafkaClientProperties().isEmpty()) {
      // It holds the Kafka password now.
      init.toFile().setReadable(false, false);
      init.toFile().setReadable(true, true);
    }
    Files.writeString(work.resolve("conf/config.yaml"), flinkConf(work));
    Path queryFile = file;
    if (execute != null) {
      queryFile = work.resolve("execute.sql");
      String sql = execute.strip();
      Files.writeString(queryFile, sql.endsWith(";") ? sql + "\n" : sql + ";\n");
    }

    List<String> command = new ArrayList<>();
    command.add(StandaloneCluster.javaBinary());
    command.add("-Xmx1g");
    command.addAll(JvmOpens.list());
    command.add("-Djava.io.tmpdir=" + work.resolve("tmp"));
    command.add("-Dlog4j2.level=WARN");
    command.add("-cp");
    command.add(classpath());
    command.add(MAIN);
    command.add("-i");
    command.add(init.toString());
    if (queryFile != null) {
      command.add("-f");
      command.add(queryFile.toAbsolutePath().toString());
    }
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("FLINK_CONF_DIR", work.resolve("conf").toString());
    if (queryFile == null) {
      // Interactive: the terminal belongs to the SQL client.
      return pb.inheritIO().start().waitFor();
    }
    pb.redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Process p = pb.start();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        spec.commandLine().getOut().println(line);
      }
    }
    spec.commandLine().getOut().flush();
    return p.waitFor();
  }

  /** The table definitions with the topic names and Kafka address of this configuration. */
  static String render(String template, XfaasConfig config) {
    Topics t = config.topics();
    Map<String, String> values = new LinkedHashMap<>();
    values.put("${BOOTSTRAP}", config.bootstrapServers());
    values.put("${REGION}", config.region());
    values.put("${OUTCOMES}", t.outcomes());
    values.put("${DLQ}", t.dlq());
    values.put("${METRICS}", t.metrics());
    values.put("${DECISIONS}", t.decisions());
    values.put("${GTC_DECISIONS}", t.gtcDecisions());
    values.put("${LOAD}", t.load());
    values.put("${KAFKA_CLIENT}", clientOptions(config.kafkaClientProperties()));
    String out = template;
    for (var e : values.entrySet()) out = out.replace(e.getKey(), e.getValue());
    return out;
  }

  /**
   * The Kafka client settings as the table options of Flink's Kafka connector ({@code
   * 'properties.KEY' = 'VALUE',} lines, each after a newline), or nothing.
   */
  static String clientOptions(Map<String, String> client) {
    StringBuilder s = new StringBuilder();
    Map<String, String> options = new java.util.TreeMap<>(client);
    // Flink's SQL Kafka connector carries Kafka's classes relocated: so must the login module.
    options.computeIfPresent(
        "sasl.jaas.config",
        (k, v) -> v.startsWith("org.apache.kafka.") ? "org.apache.flink.kafka.shaded." + v : v);
    options.forEach(
        (k, v) ->
            s.append("\n  '")
                .append(("properties." + k).replace("'", "''"))
                .append("' = '")
                .append(v.replace("'", "''"))
                .append("',"));
    return s.toString();
  }

  /** Queries run on a MiniCluster inside the SQL client's JVM. */
  static String flinkConf(Path work) {
    return String.join(
        "\n",
        "# Written by xfaas sql: queries run on a MiniCluster inside the SQL client.",
        "execution.target: local",
        "io.tmp.dirs: " + work.resolve("tmp"),
        "rest.port: 0",
        "parallelism.default: 1",
        "taskmanager.numberOfTaskSlots: 4",
        "sql-client.execution.result-mode: tableau",
        "");
  }

  private String classpath() throws IOException {
    Path flinkLib = lib != null ? lib : XfaasHome.resolve("cli/target/lib");
    Path sql = sqlLib != null ? sqlLib : XfaasHome.resolve("cli/target/sql-lib");
    if (!Files.isDirectory(sql)) {
      throw new IOException(sql + " is missing: build first (mvn -B -DskipTests package)");
    }
    try (Stream<Path> base = Files.list(flinkLib);
        Stream<Path> extra = Files.list(sql)) {
      return Stream.concat(
              extra.sorted(),
              base.filter(p -> StandaloneCluster.onClusterClasspath(p.getFileName().toString()))
                  .sorted())
          .map(Path::toString)
          .collect(Collectors.joining(File.pathSeparator));
    }
  }
}
