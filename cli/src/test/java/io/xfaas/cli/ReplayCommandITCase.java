package io.xfaas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.xfaas.config.Topics;
import io.xfaas.replay.AzureTrace;
import io.xfaas.replay.PlannedCall;
import io.xfaas.replay.ReplayPlan;
import io.xfaas.replay.ReplaySettings;
import io.xfaas.serde.Json;
import io.xfaas.testing.EmbeddedKafkaExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/**
 * {@code xfaas replay} in-process: a few compressed trace minutes into a real broker's DurableQ.
 */
class ReplayCommandITCase {
  private static final String REGION = "replay-it";
  private static final Topics TOPICS = Topics.forRegion(REGION);
  static final Path TRACE =
      Path.of("../workloads/azure-functions-2019-sample100").toAbsolutePath().normalize();

  @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  @BeforeAll
  static void createTopics() {
    KAFKA.createTopics(Map.of(TOPICS.durableq(), 4));
  }

  @Test
  void replaysTheTraceWindowWithItsSpikeSharesAndDeadlinesIntoDurableQ() throws Exception {
    StringWriter out = new StringWriter();
    CommandLine cli = XfaasCli.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(out));

    int exit =
        cli.execute(
            "replay",
            "--trace",
            TRACE.toString(),
            "--bootstrap-servers",
            KAFKA.bootstrapServers(),
            "-D",
            "xfaas.region=" + REGION,
            "--start-minute",
            "600",
            "--minutes",
            "4",
            "--compress",
            "60",
            "--sample",
            "0.25",
            "--critical-share",
            "0.1",
            "--deferrable-share",
            "0.3",
            "--deferrable-deadline",
            "30m",
            "--spike-tenant",
            "burst",
            "--spike-at",
            "601",
            "--spike-minutes",
            "2",
            "--spike-rate",
            "200",
            "--spike-deferrable-share",
            "0.5",
            "--id-prefix",
            "it");

    assertThat(exit).as(out.toString()).isZero();
    // The plan the command played: the same settings, built here.
    ReplaySettings s =
        new ReplaySettings(
            600,
            4,
            60,
            0.25,
            ReplaySettings.Spread.EVEN,
            ReplaySettings.RunTime.AVERAGE,
            1.0 / 60,
            10_000,
            0.1,
            0.3,
            1_800_000,
            new ReplaySettings.Spike("burst", 601, 2, 200, 17_000, 0.5),
            1);
    List<PlannedCall> plan = ReplayPlan.build(AzureTrace.read(TRACE), s).calls();

    List<JsonNode> records = new ArrayList<>();
    for (var r : KAFKA.readAll(TOPICS.durableq())) records.add(parse(r.value()));

    assertThat(records).hasSize(plan.size());
    Map<String, JsonNode> byId =
        records.stream().collect(Collectors.toMap(n -> n.get("id").asText(), Function.identity()));
    long first = records.stream().mapToLong(n -> n.get("submittedAt").asLong()).min().getAsLong();
    for (int i = 0; i < plan.size(); i++) {
      PlannedCall want = plan.get(i);
      JsonNode got = byId.get("it-" + i);
      assertThat(got).as("it-" + i).isNotNull();
      assertThat(got.get("tenant").asText()).isEqualTo(want.tenant());
      assertThat(got.get("function").asText()).isEqualTo(want.function());
      assertThat(got.get("criticality").asText()).isEqualTo(want.criticality().name());
      assertThat(got.get("payload").get("runMs").asLong()).isEqualTo(want.runMs());
      assertThat(got.get("payload").get("scale").asDouble()).isEqualTo(1.0 / 60);
      long submitted = got.get("submittedAt").asLong();
      if (want.deadlineAfterMs() > 0) {
        // 30 min of trace time at 60x: 30 s after submission.
        assertThat(got.get("deadline").asLong() - submitted).isEqualTo(30_000);
      } else {
        assertThat(got.has("deadline")).isFalse();
      }
      // Played in real time: a call goes when its plan says, give or take a loaded machine.
      assertThat(submitted - first)
          .isBetween(want.atMs() - plan.get(0).atMs() - 200, want.atMs() + 3_000);
    }
    Map<String, Long> perTenant = new HashMap<>();
    records.forEach(n -> perTenant.merge(n.get("tenant").asText(), 1L, Long::sum));
    // 200 a minute for 2 minutes, sampled at 0.25.
    assertThat(perTenant.get("burst")).isEqualTo(100);
    assertThat(perTenant.keySet()).allMatch(t -> t.equals("burst") || t.matches("t-[0-9a-f]{8}"));
    assertThat(out.toString()).contains("sent " + plan.size() + ", acknowledged " + plan.size());
  }

  private static JsonNode parse(byte[] value) {
    try {
      return Json.MAPPER.readTree(value);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
