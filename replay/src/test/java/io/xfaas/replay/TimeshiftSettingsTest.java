package io.xfaas.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark's settings cross from the command's JVM to the benchmark's unchanged. */
class TimeshiftSettingsTest {

  @Test
  void whatIsWrittenIsReadBackEqual(@TempDir Path dir) throws Exception {
    ReplaySettings spiked =
        TraceFixtures.settings(
            600, 20, 240.0, 0.01, new ReplaySettings.Spike("spike", 606, 8, 1500, 17_000, 0.8));
    TimeshiftSettings settings =
        new TimeshiftSettings(
            dir.resolve("trace"),
            spiked,
            2,
            java.util.List.of(3_600_000L, 86_400_000L),
            86_400_000L,
            2,
            3,
            1000,
            1,
            0,
            12_500,
            1000,
            dir.resolve("out"),
            dir.resolve("scratch"),
            true,
            null,
            Map.of("xfaas.sidecar.threads", "4"));
    Path file = dir.resolve("settings.json");

    settings.write(file);

    assertThat(TimeshiftSettings.read(file)).isEqualTo(settings);
  }
}
