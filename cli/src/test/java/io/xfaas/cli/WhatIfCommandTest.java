package io.xfaas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.xfaas.replay.ReplaySettings;
import io.xfaas.serde.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code xfaas whatif} in-process on a hand-made trace: two tenants, one of them then given a rate
 * and burst below what it sends. The simulation itself is tested in the scheduler job's
 * PolicySimulatorTest.
 */
class WhatIfCommandTest {
  @TempDir Path dir;

  /** Tenant t-aaaaaaaa calls 600 times a trace minute, t-bbbbbbbb 60 times; each runs 1 s. */
  private Path trace() throws Exception {
    Path t = Files.createDirectories(dir.resolve("trace"));
    StringBuilder inv = new StringBuilder("HashFunction,HashApp,HashOwner");
    for (int m = 1; m <= 1440; m++) inv.append(",minute_").append(m);
    inv.append('\n');
    for (String[] f : new String[][] {{"fa", "aaaaaaaa", "600"}, {"fb", "bbbbbbbb", "60"}}) {
      inv.append(f[0]).append("000000,app,").append(f[1]);
      for (int m = 1; m <= 1440; m++) inv.append(',').append(f[2]);
      inv.append('\n');
    }
    Files.writeString(t.resolve("x_inv.csv"), inv);
    Files.writeString(
        t.resolve("x_run.csv"), "HashFunction,Average\nfa000000,1000\nfb000000,1000\n");
    return t;
  }

  private List<String> args(String... extra) throws Exception {
    Path config = Files.writeString(dir.resolve("xfaas.properties"), "");
    List<String> a =
        new ArrayList<>(
            List.of(
                "whatif",
                "--config",
                config.toString(),
                "--trace",
                trace().toString(),
                "--minutes",
                "2",
                "--sample",
                "1"));
    a.addAll(List.of(extra));
    return a;
  }

  @Test
  void simulatesBothRunsAndWritesTheTableMarkdownAndJson() throws Exception {
    Path md = dir.resolve("report.md");
    Path json = dir.resolve("report.json");
    Path png = dir.resolve("report.png");

    CliRun run =
        CliRun.of(
            args(
                "--chart",
                png.toString(),
                "--set-tenant",
                "t-aaaaaaaa.rate=100",
                "--set-tenant",
                "t-aaaaaaaa.burst=10",
                "--slots",
                "32",
                "--out",
                md.toString(),
                "--json",
                json.toString()));

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("changes: t-aaaaaaaa.rate=100, t-aaaaaaaa.burst=10, slots=32")
        .contains("recorded: 1320 calls, 16 sidecar slots")
        .contains("changed : 1320 calls, 32 sidecar slots")
        .containsPattern("t-aaaaaaaa +1200 +1200 +\\d+ -> \\d+");
    assertThat(Files.readString(md))
        .startsWith("# What if: t-aaaaaaaa.rate=100, t-aaaaaaaa.burst=10, slots=32")
        .contains("| t-bbbbbbbb | 120 |");
    JsonNode report = Json.MAPPER.readTree(json.toFile());
    JsonNode before = report.at("/recorded/tenants");
    JsonNode after = report.at("/changed/tenants");
    assertThat(before.get(0).get("tenant").asText()).isEqualTo("t-aaaaaaaa");
    // 1,200 calls in 2 s at 100/s: the last waits about 10 s, where the recorded run has none.
    assertThat(after.get(0).get("delayP99Ms").asLong())
        .isGreaterThan(5_000)
        .isGreaterThan(before.get(0).get("delayP99Ms").asLong());
    assertThat(after.get(0).get("throttled").asLong()).isPositive();
    assertThat(after.get(1).get("delayP99Ms")).isEqualTo(before.get(1).get("delayP99Ms"));
    assertThat(after.get(1).get("dispatched").asLong()).isEqualTo(120);
    assertThat(Files.readAllBytes(png)).startsWith(new byte[] {(byte) 0x89, 'P', 'N', 'G'});
  }

  @Test
  void anOptionChangedInTheChangedRunOnly() throws Exception {
    Path json = dir.resolve("report.json");

    // A region capacity of 100 dispatches/s against 660 calls/s: the two tenants share
    // it by weight (a small burst, so that t-aaaaaaaa does not go through on its bucket alone).
    CliRun run =
        CliRun.of(
            args(
                "-Dxfaas.tenants.default.burst=10",
                // With feedback, capacity is measured from the sidecars and this option is only
                // the value before their first reports.
                "--no-feedback",
                "--set-option",
                "xfaas.scheduler.capacity=100",
                "--json",
                json.toString()));

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("changes: xfaas.scheduler.capacity=100");
    JsonNode report = Json.MAPPER.readTree(json.toFile());
    assertThat(report.at("/recorded/tenants/0/throttled").asLong()).isZero();
    assertThat(report.at("/changed/tenants/0/throttled").asLong()).isPositive();
    // 1,200 calls of t-aaaaaaaa at most 100/s: the last wait seconds.
    assertThat(report.at("/changed/tenants/0/delayP99Ms").asLong()).isGreaterThan(5000);
    // Max-min fairness: t-bbbbbbbb asks for less than half the capacity and gets all it asks.
    assertThat(report.at("/changed/tenants/1/dispatched").asLong()).isEqualTo(120);

    CliRun unknown = CliRun.of(args("--set-option", "xfaas.scheduler.speed=3"));
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err()).contains("unknown option xfaas.scheduler.speed");
  }

  @Test
  void theWindowIsTheReplaysWithTheSameOptions() {
    String[] window = {
      "--start-minute", "600",
      "--minutes", "20",
      "--compress", "240",
      "--sample", "0.01",
      "--deferrable-share", "0.3",
      "--deferrable-deadline", "6h",
      "--spike-tenant", "spike",
      "--spike-at", "606",
      "--spike-minutes", "8",
      "--spike-deferrable-share", "0.8"
    };
    WhatIfCommand whatif = command("whatif", window);
    ReplayCommand replay = command("replay", window);

    assertThat(whatif.window()).isEqualTo(replay.settings());
    assertThat(whatif.window())
        .extracting(
            ReplaySettings::startMinute,
            ReplaySettings::minutes,
            ReplaySettings::compress,
            ReplaySettings::sample,
            ReplaySettings::spread,
            ReplaySettings::runTime,
            ReplaySettings::runtimeScale,
            ReplaySettings::maxRunMs,
            ReplaySettings::criticalShare,
            ReplaySettings::deferrableShare,
            ReplaySettings::deferrableDeadlineMs,
            ReplaySettings::spike,
            ReplaySettings::seed)
        .containsExactly(
            600,
            20,
            240.0,
            0.01,
            ReplaySettings.Spread.EVEN,
            ReplaySettings.RunTime.AVERAGE,
            1.0 / 240.0,
            10_000L,
            0.0,
            0.3,
            21_600_000L,
            new ReplaySettings.Spike("spike", 606, 8, 1500, 17_000, 0.8),
            1L);
    // Unset, the options take the replay's defaults (not the benchmark's).
    assertThat(this.<WhatIfCommand>command("whatif").window())
        .isEqualTo(this.<ReplayCommand>command("replay").settings());
  }

  /** The {@code name} command with {@code args} parsed, not run. */
  private <T> T command(String name, String... args) {
    List<String> all = new ArrayList<>(List.of(name));
    all.addAll(List.of(args));
    return XfaasCli.commandLine()
        .parseArgs(all.toArray(String[]::new))
        .subcommand()
        .commandSpec()
        .commandLine()
        .getCommand();
  }

  @Test
  void aBadChangeIsAUsageError() throws Exception {
    CliRun run = CliRun.of(args("--set-tenant", "t-aaaaaaaa.speed=3"));

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("unknown tenant setting 'speed'");
  }
}
