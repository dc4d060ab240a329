package io.xfaas.scheduler.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class FairShareTest {
  private static FairShare.Demand want(double weight, double reserved, double opportunistic) {
    return new FairShare.Demand(weight, reserved, opportunistic);
  }

  private static double rate(FairShare f, String tenant) {
    // Demand as last reported by that tenant: kept by the test alongside.
    return f.rate(tenant, DEMANDS.get(tenant), 0);
  }

  private static final java.util.Map<String, FairShare.Demand> DEMANDS = new java.util.HashMap<>();

  private static void backlogged(FairShare f, String tenant, FairShare.Demand d) {
    DEMANDS.put(tenant, d);
    f.backlogged(tenant, d);
  }

  @Test
  void whenEverythingFitsEveryoneGetsAllTheyAsk() {
    FairShare f = new FairShare(1000, 0);
    backlogged(f, "a", want(1, 100, 50));
    backlogged(f, "b", want(5, 200, 0));
    assertThat(rate(f, "a")).isEqualTo(150);
    assertThat(rate(f, "b")).isEqualTo(200);
  }

  @Test
  void contendedCapacityIsSharedByWeight() {
    FairShare f = new FairShare(1000, 0);
    backlogged(f, "w1", want(1, 10_000, 0));
    backlogged(f, "w2", want(2, 10_000, 0));
    backlogged(f, "w5", want(5, 10_000, 0));
    assertThat(rate(f, "w1")).isCloseTo(125, within(1e-9));
    assertThat(rate(f, "w2")).isCloseTo(250, within(1e-9));
    assertThat(rate(f, "w5")).isCloseTo(625, within(1e-9));
  }

  @Test
  void whatASmallTenantLeavesGoesToTheOthersByWeight() {
    FairShare f = new FairShare(1000, 0);
    backlogged(f, "w1", want(1, 10_000, 0));
    backlogged(f, "w2", want(2, 10_000, 0));
    backlogged(f, "w5", want(5, 10_000, 0));
    backlogged(f, "flooder", want(1, 50, 0)); // capped by its own quota
    assertThat(rate(f, "flooder")).isEqualTo(50);
    assertThat(rate(f, "w1")).isCloseTo(950.0 / 8, within(1e-9));
    assertThat(rate(f, "w5")).isCloseTo(950.0 * 5 / 8, within(1e-9));
  }

  @Test
  void opportunisticQuotaOnlyFromSpareCapacity() {
    FairShare f = new FairShare(1000, 0);
    backlogged(f, "reserved", want(1, 800, 0));
    backlogged(f, "greedy", want(1, 100, 10_000));
    assertThat(rate(f, "reserved")).isEqualTo(800);
    assertThat(rate(f, "greedy")).isCloseTo(200, within(1e-9)); // 100 reserved + 100 spare
    backlogged(f, "reserved", want(1, 1000, 0));
    assertThat(rate(f, "greedy")).isCloseTo(100, within(1e-9)); // no spare: reserved only
  }

  @Test
  void underContentionTheSplitIsRecomputedAtMostOncePerInterval() {
    FairShare f = new FairShare(1000, 100);
    backlogged(f, "a", want(1, 10_000, 0));
    backlogged(f, "b", want(1, 10_000, 0));
    assertThat(f.rate("a", DEMANDS.get("a"), 0)).isEqualTo(500);
    backlogged(f, "c", want(2, 10_000, 0));
    // Within the interval: the old split for a, a plain weighted share for the newcomer c.
    assertThat(f.rate("a", DEMANDS.get("a"), 50)).isEqualTo(500);
    assertThat(f.rate("c", DEMANDS.get("c"), 50)).isEqualTo(500);
    assertThat(f.rate("a", DEMANDS.get("a"), 100)).isEqualTo(250);
    assertThat(f.rate("c", DEMANDS.get("c"), 100)).isEqualTo(500);
  }

  @Test
  void idleTenantsFreeTheirShare() {
    FairShare f = new FairShare(1000, 0);
    backlogged(f, "a", want(1, 10_000, 0));
    backlogged(f, "b", want(1, 10_000, 0));
    assertThat(rate(f, "a")).isEqualTo(500);
    f.idle("b");
    assertThat(rate(f, "a")).isEqualTo(1000);
    assertThat(f.backloggedTenants()).isEqualTo(1);
  }
}
