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
        new ReplaySettings(
            600,
            20,
            240.0,
            0.01,
            ReplaySettings.Spread.POISSON,
            ReplaySettings.RunTime.PERCENTILES,
            1.0 / 240,
            10_000,
            0.1,
            0.3,
            1_800_000,
            new ReplaySettings.Spike("spike", 606, 8, 1500, 17_000, 0.8),
            7);
    ReplaySettings base =
        new ReplaySettings(
            600,
            20,
            240.0,
            0.01,
            ReplaySettings.Spread.EVEN,
            ReplaySettings.RunTime.AVERAGE,
            1.0 / 240,
            0,
            0.1,
            0.3,
            1_800_000,
            new ReplaySettings.Spike("spike", 606, 8, 1500, 17_000, null),
            7);
    TimeshiftSettings settings =
        new TimeshiftSettings(
            dir.resolve("trace"),
            base,
            spiked,
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
