package io.xfaas.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.xfaas.config.Topics;
import io.xfaas.records.Criticality;
import io.xfaas.records.DecisionReason;
import io.xfaas.records.SchedulingDecision;
import io.xfaas.records.SchedulingMetrics;
import io.xfaas.serde.Json;
import io.xfaas.testing.EmbeddedKafkaExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/**
 * {@code xfaas sql}: Flink's SQL client in a child JVM, over a real broker holding a known data
 * set; every shipped query in sql/queries/ runs, and its rows are asserted.
 */
class SqlCommandITCase {
  private static final String REGION = "sql-it";
  private static final Topics TOPICS = Topics.forRegion(REGION);

  /** 2026-01-01T10:00:00Z. */
  private static final long T0 = 1_767_261_600_000L;

  @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  @BeforeAll
  static void writeAKnownDataSet() throws Exception {
    KAFKA.createTopics(
        Map.of(TOPICS.outcomes(), 2, TOPICS.dlq(), 1, TOPICS.metrics(), 1, TOPICS.decisions(), 1));
    KAFKA.createTopics(Map.of(TOPICS.load(), 1, TOPICS.gtcDecisions(), 1));
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()),
            new StringSerializer(),
            new StringSerializer())) {
      List<ProducerRecord<String, String>> records = new ArrayList<>();
      records.add(outcome("o1", "acme", "SUCCEEDED", T0, T0 + 100, T0 + 1_000));
      records.add(outcome("o2", "acme", "SUCCEEDED", T0 + 1_000, T0 + 1_300, T0 + 2_000));
      records.add(outcome("o3", "acme", "EXPIRED", T0 + 2_000, null, T0 + 61_000));
      records.add(outcome("o4", "globex", "SUCCEEDED", T0, T0 + 50, T0 + 5_000));
      records.add(outcome("o5", "globex", "FAILED", T0 + 60_000, T0 + 60_200, T0 + 62_000));
      records.add(metrics("acme", T0 + 60_000, 10, 6, 3, 4));
      records.add(metrics("acme", T0 + 120_000, 5, 7, 0, 2));
      records.add(metrics("globex", T0 + 60_000, 20, 20, 1, 9));
      records.add(decision("c1", "acme", "f", "PACED", "FUNCTION_PACED", T0 + 1_000));
      records.add(decision("c2", "acme", "f", "PACED", "FUNCTION_PACED", T0 + 2_000));
      records.add(decision("c1", "acme", "f", "RELEASED", "FUNCTION_PACE", T0 + 3_000));
      records.add(decision("c3", "globex", "g", "DEFERRED", "UTILIZATION_HIGH", T0 + 1_000));
      records.add(deadLetter("MALFORMED_JSON", null));
      records.add(deadLetter("MALFORMED_JSON", null));
      records.add(deadLetter("INVALID_FIELD", "acme"));
      // Region east, window 10:00:00: a scheduler and two sidecars; region west, next window.
      records.add(load("east", "scheduler", "s1", T0 + 1_000, 30, 0, 10, 2, 0, 0));
      records.add(load("east", "scheduler", "s1", T0 + 2_000, 50, 0, 20, 4, 0, 0));
      records.add(load("east", "sidecar", "k1", T0 + 1_000, 0, 20, 0, 0, 25, 0.8));
      records.add(load("east", "sidecar", "k1", T0 + 2_000, 0, 20, 0, 0, 25, 1.0));
      records.add(load("east", "sidecar", "k2", T0 + 1_500, 0, 10, 0, 0, 40, 0.5));
      records.add(load("west", "sidecar", "k3", T0 + 12_000, 0, 5, 0, 0, 80, 0.1));
      records.add(decision("east", "{\"east\":1.0}", "local", T0 + 2_000, 1));
      records.add(decision("west", "{\"west\":1.0}", "local", T0 + 2_000, 1));
      records.add(decision("east", "{\"east\":0.6,\"west\":0.4}", "overflow", T0 + 3_000, 2));
      records.add(decision("west", "{\"west\":1.0}", "local", T0 + 3_000, 2));
      for (var r : records) producer.send(r).get();
    }
  }

  @Test
  void everyShippedQueryPrintsItsRowsOverTheKnownDataSet() throws Exception {
    // One SQL client run for all the queries: a JVM and a MiniCluster start once.
    Path dir = Path.of("target/sql-it").toAbsolutePath();
    List<String> names =
        List.of(
            "throughput-per-tenant-per-minute",
            "queueing-delay-percentiles",
            "deadline-misses",
            "throttled-and-deferred",
            "why-calls-waited",
            "top-tenants-by-backlog",
            "dlq-reasons",
            "region-load",
            "gtc-latest-matrix");
    Path file =
        SqlScript.concatenate(
            dir, names.stream().map(n -> Path.of("../sql/queries/" + n + ".sql")).toList());

    StringWriter out = new StringWriter();
    int exit =
        assertTimeoutPreemptively(
            Duration.ofMinutes(2),
            () -> {
              CommandLine cli = XfaasCli.commandLine();
              cli.setOut(new PrintWriter(out, true));
              cli.setErr(new PrintWriter(out, true));
              return cli.execute(
                  SqlScript.args(
                      file,
                      dir,
                      "-D",
                      "xfaas.region=" + REGION,
                      "--bootstrap-servers",
                      KAFKA.bootstrapServers()));
            });
    String printed = out.toString();
    assertThat(exit).as(printed).isZero();
    List<String> rows = printed.lines().map(l -> l.trim().replaceAll("\\s+", " ")).toList();
    Files.writeString(dir.resolve("output.txt"), printed);

    // The whole answer: one result table per query, each with exactly these rows, in order.
    List<List<String>> tables = tables(rows);
    assertThat(tables).as(printed).hasSize(names.size());
    assertRows(
        tables.get(0),
        "| 2026-01-01 10:00 | acme | 2 | 2 |",
        "| 2026-01-01 10:00 | globex | 1 | 1 |",
        "| 2026-01-01 10:01 | acme | 1 | 0 |",
        "| 2026-01-01 10:01 | globex | 1 | 0 |");
    assertRows(
        tables.get(1),
        "| acme | NORMAL | 2 | 200 | 298 | 300 |",
        "| globex | CRITICAL | 1 | 200 | 200 | 200 |",
        "| globex | NORMAL | 1 | 50 | 50 | 50 |");
    assertRows(tables.get(2), "| acme | 1 | 3 | 33.3 |", "| globex | 0 | 2 | 0.0 |");
    assertRows(
        tables.get(3),
        "| acme | 15 | 13 | 3 | 2 | 4 | 3 |",
        "| globex | 20 | 20 | 1 | 1 | 2 | 1 |");
    assertRows(
        tables.get(4),
        "| acme | f | PACED | FUNCTION_PACED | 2 | 2026-01-01 10:00:02.000 |",
        "| acme | f | RELEASED | FUNCTION_PACE | 1 | 2026-01-01 10:00:03.000 |",
        "| globex | g | DEFERRED | UTILIZATION_HIGH | 1 | 2026-01-01 10:00:01.000 |");
    assertRows(
        tables.get(5),
        "| globex | 9 | 120 | 2026-01-01 10:01:00.000 |",
        "| acme | 2 | 120 | 2026-01-01 10:02:00.000 |");
    assertRows(
        tables.get(6),
        "| MALFORMED_JSON | 2 | 0 | 2026-01-01 10:00:00.005 |",
        "| INVALID_FIELD | 1 | 1 | 2026-01-01 10:00:00.005 |");
    assertRows(
        tables.get(7),
        "| east | 2026-01-01 10:00:00.000 | 40.0 | 30.0 | 15 | 65.0 | 0.7 |",
        "| west | 2026-01-01 10:00:10.000 | 0.0 | 5.0 | 0 | 80.0 | 0.1 |");
    assertRows(
        tables.get(8),
        "| east | east | 0.6 | overflow | 2 | 2026-01-01 10:00:03.000 |",
        "| east | west | 0.4 | overflow | 2 | 2026-01-01 10:00:03.000 |",
        "| west | west | 1.0 | local | 2 | 2026-01-01 10:00:03.000 |");
  }

  private static ProducerRecord<String, String> load(
      String region,
      String kind,
      String reporter,
      long at,
      double arrivals,
      double dispatches,
      long backlog,
      long critical,
      double capacity,
      double utilization) {
    return record(
        TOPICS.load(),
        region,
        "{\"region\":\"%s\",\"kind\":\"%s\",\"reporter\":\"%s\",\"reportedAt\":%d,"
            + "\"periodMs\":1000,\"arrivalRate\":%s,\"dispatchRate\":%s,"
            + "\"backlogCritical\":%d,\"backlogNormal\":%d,\"backlogDeferrable\":0,"
            + "\"capacityPerSecond\":%s,\"utilization\":%s}",
        region,
        kind,
        reporter,
        at,
        arrivals,
        dispatches,
        critical,
        backlog - critical,
        capacity,
        utilization);
  }

  private static ProducerRecord<String, String> decision(
      String source, String shares, String reason, long at, long version) {
    return record(
        TOPICS.gtcDecisions(),
        source,
        "{\"sourceRegion\":\"%s\",\"shares\":%s,\"inputs\":[],\"reason\":\"%s\","
            + "\"decidedAt\":%d,\"version\":%d}",
        source,
        shares,
        reason,
        at,
        version);
  }

  /**
   * The data rows of each result table the SQL client printed, in order: a header row, a border,
   * the data rows, a border. (The top border may share its line with the client's prompt.)
   */
  private static List<List<String>> tables(List<String> rows) {
    List<List<String>> tables = new ArrayList<>();
    int i = 0;
    while (i + 1 < rows.size()) {
      if (rows.get(i).startsWith("|") && rows.get(i + 1).startsWith("+-")) {
        List<String> table = new ArrayList<>();
        int j = i + 2;
        while (j < rows.size() && rows.get(j).startsWith("|")) table.add(rows.get(j++));
        tables.add(table);
        i = j + 1; // past the bottom border
      } else {
        i++;
      }
    }
    return tables;
  }

  /** Exactly these rows, in this order. */
  private static void assertRows(List<String> table, String... rows) {
    assertThat(table).containsExactly(rows);
  }

  private static ProducerRecord<String, String> outcome(
      String id, String tenant, String status, long submitted, Long dispatched, long finished) {
    String json =
        "{\"id\":\""
            + id
            + "\",\"tenant\":\""
            + tenant
            + "\",\"function\":\"echo\",\"criticality\":\""
            + (id.equals("o5") ? "CRITICAL" : "NORMAL")
            + "\",\"status\":\""
            + status
            + "\""
            + (status.equals("SUCCEEDED") ? "" : ",\"reason\":\"X\"")
            + ",\"attempts\":1,\"submittedAt\":"
            + submitted
            + (dispatched == null ? "" : ",\"dispatchedAt\":" + dispatched)
            + ",\"finishedAt\":"
            + finished
            + ",\"region\":\""
            + REGION
            + "\",\"result\":{\"ok\":true}}";
    return new ProducerRecord<>(TOPICS.outcomes(), id, json);
  }

  /**
   * A minute's period of {@code tenant}, written as the scheduler writes it: nothing expired,
   * rejected, cancelled or duplicate; delays of 10, 120 and 150 ms; as many released as throttled.
   */
  private static ProducerRecord<String, String> metrics(
      String tenant, long periodEnd, long arrived, long dispatched, long throttled, long buffered) {
    long periodStart = periodEnd - 60_000;
    return record(
        TOPICS.metrics(),
        tenant,
        new SchedulingMetrics(
            tenant,
            REGION,
            periodStart,
            periodEnd,
            arrived,
            dispatched,
            throttled,
            0,
            0,
            0,
            0,
            buffered,
            10,
            120,
            150,
            1,
            2,
            throttled));
  }

  /** A decision about a NORMAL call, written as the scheduler writes it. */
  private static ProducerRecord<String, String> decision(
      String id, String tenant, String function, String decision, String reason, long at) {
    return record(
        TOPICS.decisions(),
        id,
        new SchedulingDecision(
            id,
            tenant,
            function,
            Criticality.NORMAL,
            REGION,
            SchedulingDecision.Decision.valueOf(decision),
            DecisionReason.valueOf(reason),
            at,
            null));
  }

  private static ProducerRecord<String, String> deadLetter(String reason, String tenant) {
    String json =
        "{\"reason\":\""
            + reason
            + "\",\"detail\":\"d\""
            + (tenant == null ? "" : ",\"tenant\":\"" + tenant + "\"")
            + ",\"original\":\"x\",\"topic\":\"t\",\"partition\":0,\"offset\":1,\"failedAt\":"
            + (T0 + 5)
            + ",\"region\":\""
            + REGION
            + "\"}";
    return new ProducerRecord<>(TOPICS.dlq(), null, json);
  }

  /** A record of {@code topic}, its value {@code value} as JSON. */
  private static ProducerRecord<String, String> record(String topic, String key, Object value) {
    return new ProducerRecord<>(topic, key, new String(Json.write(value), StandardCharsets.UTF_8));
  }

  /** A record of {@code topic}, its JSON value written from {@code format} and {@code args}. */
  private static ProducerRecord<String, String> record(
      String topic, String key, String format, Object... args) {
    return new ProducerRecord<>(topic, key, String.format(Locale.ROOT, format, args));
  }
}
