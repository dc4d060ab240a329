package io.xfaas.scheduler.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class FairShareTest {
  private static FairShare.Demand want(double weight, double reserved, double opportunistic) {
    return new FairShare.Demand(weight, reserved, opportunistic);
  }

  @Test
  void whenEverythingFitsEveryoneGetsAllTheyAsk() {
    FairShare f = new FairShare(1000);
    f.backlogged("a", want(1, 100, 50));
    f.backlogged("b", want(5, 200, 0));
    assertThat(f.rate("a", null)).isEqualTo(150);
    assertThat(f.rate("b", null)).isEqualTo(200);
  }

  @Test
  void contendedCapacityIsSharedByWeight() {
    FairShare f = new FairShare(1000);
    f.backlogged("w1", want(1, 10_000, 0));
    f.backlogged("w2", want(2, 10_000, 0));
    f.backlogged("w5", want(5, 10_000, 0));
    assertThat(f.rate("w1", null)).isCloseTo(125, within(1e-9));
    assertThat(f.rate("w2", null)).isCloseTo(250, within(1e-9));
    assertThat(f.rate("w5", null)).isCloseTo(625, within(1e-9));
  }

  @Test
  void whatASmallTenantLeavesGoesToTheOthersByWeight() {
    FairShare f = new FairShare(1000);
    f.backlogged("w1", want(1, 10_000, 0));
    f.backlogged("w2", want(2, 10_000, 0));
    f.backlogged("w5", want(5, 10_000, 0));
    f.backlogged("flooder", want(1, 50, 0)); // capped by its own quota
    assertThat(f.rate("flooder", null)).isEqualTo(50);
    assertThat(f.rate("w1", null)).isCloseTo(950.0 / 8, within(1e-9));
    assertThat(f.rate("w5", null)).isCloseTo(950.0 * 5 / 8, within(1e-9));
  }

  @Test
  void opportunisticQuotaOnlyFromSpareCapacity() {
    FairShare f = new FairShare(1000);
    f.backlogged("reserved", want(1, 800, 0));
    f.backlogged("greedy", want(1, 100, 10_000));
    assertThat(f.rate("reserved", null)).isEqualTo(800);
    assertThat(f.rate("greedy", null)).isCloseTo(200, within(1e-9)); // 100 reserved + 100 spare
    f.backlogged("reserved", want(1, 1000, 0));
    assertThat(f.rate("greedy", null)).isCloseTo(100, within(1e-9)); // no spare: reserved only
  }

  @Test
  void idleTenantsFreeTheirShare() {
    FairShare f = new FairShare(1000);
    f.backlogged("a", want(1, 10_000, 0));
    f.backlogged("b", want(1, 10_000, 0));
    assertThat(f.rate("a", null)).isEqualTo(500);
    f.idle("b");
    assertThat(f.rate("a", null)).isEqualTo(1000);
    assertThat(f.backloggedTenants()).isEqualTo(1);
  }
}
