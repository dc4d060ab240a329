package io.xfaas.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The arguments {@code xfaas bench} passes to the bench's JVM, read back into its settings. */
class BenchMainTest {

  @Test
  void everyOptionReachesTheSettings() {
    String[] args = {
      "--quick",
      "--runs",
      "2",
      "--duration-ms",
      "1500",
      "--tenants",
      "10,100",
      "--profile",
      "--out",
      "/tmp/bench.md",
      "--work",
      "/tmp/work"
    };
    BenchSettings s = BenchMain.settings(args);
    assertThat(s.quick()).isTrue();
    assertThat(s.runs()).isEqualTo(2);
    assertThat(s.duration()).isEqualTo(Duration.ofMillis(1500));
    assertThat(s.tenantCounts()).isEqualTo(List.of(10, 100));
    assertThat(s.profile()).isTrue();
    assertThat(s.out()).isEqualTo(Path.of("/tmp/bench.md"));
    assertThat(BenchMain.workDir(args)).isEqualTo(Path.of("/tmp/work"));
  }

  @Test
  void withoutOptionsTheDefaults() {
    String[] args = {"--out", "/tmp/bench.md", "--work", "/tmp/work"};
    assertThat(BenchMain.settings(args))
        .isEqualTo(BenchSettings.defaults().withOut(Path.of("/tmp/bench.md")));
  }

  @Test
  void setOptionsReachTheSettingsInOrderOfKey() {
    String[] args = {
      "--set", "xfaas.sidecar.producer-linger=20ms", "--set", "xfaas.scheduler.producer-linger=5ms"
    };
    assertThat(BenchMain.settings(args).overrides())
        .containsExactly(
            Map.entry("xfaas.scheduler.producer-linger", "5ms"),
            Map.entry("xfaas.sidecar.producer-linger", "20ms"));
    assertThatThrownBy(() -> BenchMain.settings(new String[] {"--set", "linger"}))
        .hasMessageContaining("--set needs KEY=VALUE: linger");
  }

  @Test
  void anUnknownArgumentIsRefused() {
    assertThatThrownBy(() -> BenchMain.settings(new String[] {"--fast"}))
        .hasMessageContaining("--fast");
    assertThatThrownBy(() -> BenchMain.workDir(new String[] {"--quick"}))
        .hasMessageContaining("--work");
  }
}
