package io.xfaas.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The scheduler-alone latency runs load as many tenants as the maximum they take a share of. */
class LatencyReferenceTest {
  private static Throughput row(int tenants) {
    return new Throughput("scheduler alone, " + tenants, tenants, List.of());
  }

  @Test
  void theTenThousandTenantRowWhenItIsMeasured() {
    assertThat(
            BenchRunner.latencyReference(List.of(row(10), row(10_000), row(1_000_000))).tenants())
        .isEqualTo(10_000);
  }

  @Test
  void elseTheFirstRowWithItsOwnTenants() {
    assertThat(BenchRunner.latencyReference(List.of(row(10))).tenants()).isEqualTo(10);
  }
}
