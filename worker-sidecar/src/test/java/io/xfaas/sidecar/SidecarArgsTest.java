package io.xfaas.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xfaas.config.XfaasOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SidecarArgsTest {

  @Test
  void overridesApplyOverTheFile(@TempDir Path dir) throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("xfaas.properties"), "xfaas.region=eu\nxfaas.sidecar.threads=3\n");

    SidecarArgs args =
        SidecarArgs.parse(
            List.of("--config", file.toString(), "-Dxfaas.sidecar.threads=5", "-Dxfaas.x.y=a=b"));

    assertThat(args.overrides()).containsEntry("xfaas.x.y", "a=b");
    assertThatThrownBy(args::config).hasMessageContaining("unknown configuration key: xfaas.x.y");
    SidecarSettings s =
        SidecarSettings.from(
            SidecarArgs.parse(List.of("--config", file.toString(), "-Dxfaas.sidecar.threads=5"))
                .config());
    assertThat(s.capacity()).isEqualTo(5);
    assertThat(s.region()).isEqualTo("eu");
    assertThat(s.groupId()).isEqualTo("xfaas.eu.workers");
    assertThat(s.topics().runq()).isEqualTo("xfaas.eu.runq");
  }

  @Test
  void noArgumentsMeanTheDefaults() {
    SidecarSettings s = SidecarSettings.from(SidecarArgs.parse(List.of()).config());

    assertThat(s.capacity()).isEqualTo(XfaasOptions.SIDECAR_THREADS.defaultValue());
    assertThat(s.callTimeout().toMillis()).isEqualTo(30_000);
  }

  @Test
  void badArgumentsAreNamed() {
    assertThatThrownBy(() -> SidecarArgs.parse(List.of("--config")))
        .hasMessageContaining("--config needs a file");
    assertThatThrownBy(() -> SidecarArgs.parse(List.of("-Dnovalue")))
        .hasMessageContaining("-Dnovalue");
    assertThatThrownBy(() -> SidecarArgs.parse(List.of("run")))
        .hasMessageContaining("unexpected argument 'run'");
    assertThat(SidecarArgs.parse(List.of("--help")).help()).isTrue();
  }

  @Test
  void settingsOutOfRangeAreRefused() {
    assertThatThrownBy(
            () ->
                SidecarSettings.from(
                    SidecarArgs.parse(List.of("-Dxfaas.sidecar.threads=0")).config()))
        .hasMessageContaining("xfaas.sidecar.threads");
  }
}
