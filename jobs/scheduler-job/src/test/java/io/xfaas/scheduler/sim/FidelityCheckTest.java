package io.xfaas.scheduler.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The fidelity bounds: counts equal, delays within the relative bound or the absolute slack. */
class FidelityCheckTest {
  private static TenantFigures f(String t, long dispatched, long expired, long p50, long p99) {
    return new TenantFigures(t, 100, dispatched, 0, 0, 0, expired, 0, 0, p50, p99, 0, 0, 0);
  }

  private static SimResult sim(TenantFigures... t) {
    return new SimResult(List.of(t), 0, 100, 1000, 0, 0, List.of(), 0, 0);
  }

  @Test
  void delaysWithinFifteenPercentOrTheSlackPass() {
    FidelityCheck c =
        FidelityCheck.compare(
            List.of(f("a", 90, 10, 1000, 4000), f("b", 100, 0, 20, 60)),
            sim(f("a", 90, 10, 1140, 3450), f("b", 100, 0, 0, 150)),
            0.15,
            100);

    assertThat(c.passed()).isTrue();
    assertThat(c.table()).hasSize(3);
    assertThat(c.table().get(1)[6]).isEqualTo("+14.0 %");
  }

  @Test
  void aDelayOffByMoreThanTheBoundsOrACountOffByOneFails() {
    FidelityCheck c =
        FidelityCheck.compare(
            List.of(f("a", 90, 10, 1000, 4000), f("b", 100, 0, 20, 60), f("c", 5, 0, 0, 0)),
            sim(f("a", 90, 10, 1000, 4700), f("b", 99, 1, 20, 60)),
            0.15,
            100);

    assertThat(c.passed()).isFalse();
    assertThat(c.row("a").countsEqual()).isTrue();
    assertThat(c.row("a").delaysWithin()).isFalse();
    assertThat(c.row("b").countsEqual()).isFalse();
    assertThat(c.row("c").countsEqual()).isFalse(); // missing from the simulation
    assertThat(c.summary()).contains("0 of 3").contains("FAILED");
  }
}
