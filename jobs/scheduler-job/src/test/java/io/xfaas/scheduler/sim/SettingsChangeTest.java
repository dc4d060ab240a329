package io.xfaas.scheduler.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xfaas.records.TenantSettings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsChangeTest {
  private static final TenantSettings DEFAULT_QUOTA =
      new TenantSettings("*", 1000, 1000, 1000, 1, 100_000, List.of(), null, 0);
  private static final TenantSettings ACME =
      new TenantSettings("acme", 100, 10, 50, 2, 5000, List.of("f"), 60_000L, 0);

  @Test
  void parsesTenantKeyAndValueWithDotsInTheName() {
    assertThat(SettingsChange.parse("acme.rate=50"))
        .isEqualTo(new SettingsChange("acme", "rate", "50"));
    assertThat(SettingsChange.parse("eu.acme.burst = 5"))
        .isEqualTo(new SettingsChange("eu.acme", "burst", "5"));
    assertThatThrownBy(() -> SettingsChange.parse("rate=50"))
        .hasMessageContaining("TENANT.KEY=VALUE");
    assertThatThrownBy(() -> SettingsChange.parse("acme.speed=5")).hasMessageContaining("speed");
  }

  @Test
  void changesOneSettingAndKeepsTheRest() {
    Map<String, TenantSettings> out =
        SettingsChange.apply(
            Map.of("acme", ACME),
            DEFAULT_QUOTA,
            List.of(
                SettingsChange.parse("acme.rate=50"),
                SettingsChange.parse("acme.deadline=30s"),
                SettingsChange.parse("acme.weight=3")));

    assertThat(out.get("acme"))
        .isEqualTo(new TenantSettings("acme", 50, 10, 50, 3, 5000, List.of("f"), 30_000L, 0));
  }

  @Test
  void aTenantWithoutSettingsStartsFromTheDefaultQuota() {
    Map<String, TenantSettings> out =
        SettingsChange.apply(
            Map.of(), DEFAULT_QUOTA, List.of(SettingsChange.parse("new.concurrency=5")));

    assertThat(out.get("new"))
        .isEqualTo(new TenantSettings("new", 1000, 1000, 5, 1, 100_000, List.of(), null, 0));
    assertThatThrownBy(
            () -> SettingsChange.apply(Map.of(), null, List.of(SettingsChange.parse("x.rate=1"))))
        .hasMessageContaining("no settings");
    assertThatThrownBy(
            () ->
                SettingsChange.apply(
                    Map.of(), DEFAULT_QUOTA, List.of(SettingsChange.parse("x.rate=0"))))
        .hasMessageContaining("rate must be > 0");
  }
}
