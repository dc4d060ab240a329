package io.xfaas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.config.XfaasConfig;
import io.xfaas.records.TenantSettings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The parts of {@code xfaas tenants} that need no Kafka. */
class TenantsCommandTest {
  @Test
  void aNewTenantStartsFromTheConfiguredDefaults() {
    XfaasConfig config =
        XfaasConfig.of(
            Map.of(
                "xfaas.tenants.default.burst", "7", "xfaas.tenants.default.deadline-ms", "1000"));

    assertThat(TenantsCommand.newTenant(config))
        .isEqualTo(new TenantSettings("*", 1000, 7, 1000, 1, 100_000, List.of(), 1000L, 0));
  }

  @Test
  void rejectingUnknownTenantsStillGivesANewTenantTheDefaultValues() {
    XfaasConfig config =
        XfaasConfig.of(
            Map.of("xfaas.tenants.unknown-policy", "reject", "xfaas.tenants.default.rate", "5"));

    assertThat(config.defaultTenantSettings()).isNull();
    assertThat(TenantsCommand.newTenant(config).rate()).isEqualTo(5);
  }

  @Test
  void flagsNotGivenKeepTheirValue() {
    TenantsCommand.Set set = new TenantsCommand.Set();
    set.name = "ads";
    set.weight = 3;
    TenantSettings base =
        new TenantSettings("ads", 20, 5, 10, 2, 10_000, List.of("echo"), 600_000L, 0.5);

    assertThat(set.merge(base))
        .isEqualTo(new TenantSettings("ads", 20, 5, 10, 3, 10_000, List.of("echo"), 600_000L, 0.5));
  }

  @Test
  void functionsAreCommaSeparatedAndEmptyMeansAny() {
    assertThat(TenantsCommand.Set.functionList("echo,resize")).containsExactly("echo", "resize");
    assertThat(TenantsCommand.Set.functionList(" echo , resize,,echo "))
        .containsExactly("echo", "resize");
    assertThat(TenantsCommand.Set.functionList("")).isEmpty();
    assertThat(TenantsCommand.Set.functionList(",")).isEmpty();
  }

  @Test
  void tableAlignsColumnsUnderAHeader() {
    List<String> lines =
        TenantsCommand.table(
            List.of(
                new TenantSettings(
                    "ads", 20, 5, 10, 2, 10_000, List.of("echo", "resize"), 600_000L, 0),
                new TenantSettings(
                    "news-feed", 1.5, 1000, 1000, 1, 100_000, List.of(), null, 0.25)));

    assertThat(lines)
        .containsExactly(
            "TENANT     RATE  BURST  CONCURRENCY  WEIGHT  BUFFER  DEADLINE  OPPORTUNISTIC  FUNCTIONS",
            "ads        20    5      10           2       10000   10m       0              echo,resize",
            "news-feed  1.5   1000   1000         1       100000  none      0.25           (any)");
  }

  @Test
  void numbersPrintWithoutATrailingZero() {
    assertThat(TenantsCommand.number(20.0)).isEqualTo("20");
    assertThat(TenantsCommand.number(0)).isEqualTo("0");
    assertThat(TenantsCommand.number(0.5)).isEqualTo("0.5");
    assertThat(TenantsCommand.number(1e6)).isEqualTo("1000000");
  }
}
