package io.xfaas.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.xfaas.serde.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** docker/grafana/dashboards/xfaas.json: its panels, their queries and the metrics they name. */
final class GrafanaDashboard {
  static final Path FILE = Path.of("../docker/grafana/dashboards/xfaas.json");

  /** A metric name in PromQL: xfaas' own and Flink's reporter's all start so. */
  private static final Pattern METRIC = Pattern.compile("\\b((?:xfaas|flink)_[A-Za-z0-9_:]+)");

  record Query(String panel, String expr) {}

  private GrafanaDashboard() {}

  static JsonNode read() throws IOException {
    return Json.MAPPER.readTree(Files.readString(FILE));
  }

  /** Every query of every panel (rows hold none). */
  static List<Query> queries() throws IOException {
    List<Query> out = new ArrayList<>();
    for (JsonNode panel : read().path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        out.add(new Query(panel.path("title").asText(), target.path("expr").asText("")));
      }
    }
    return out;
  }

  /** The metric names a query reads. */
  static Set<String> metrics(String expr) {
    Set<String> names = new TreeSet<>();
    Matcher m = METRIC.matcher(expr);
    while (m.find()) names.add(m.group(1));
    return names;
  }

  /** The metric names the whole dashboard reads. */
  static Set<String> allMetrics() throws IOException {
    Set<String> names = new TreeSet<>();
    for (Query q : queries()) names.addAll(metrics(q.expr()));
    return names;
  }
}
