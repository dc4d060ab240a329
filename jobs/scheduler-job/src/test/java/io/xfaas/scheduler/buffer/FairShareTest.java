package io.xfaas.scheduler.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FairShareTest {
  /** Demand as last reported by each tenant: kept by the test alongside. */
  private final Map<String, FairShare.Demand> demands = new HashMap<>();

  private record Backlog(String tenant, FairShare.Demand demand) {}

  private static Backlog tenant(
      String tenant, double weight, double reserved, double opportunistic) {
    return new Backlog(tenant, new FairShare.Demand(weight, reserved, opportunistic));
  }

  /** A region of 1,000 calls/s that splits anew at every ask, with these tenants backlogged. */
  private FairShare sharing(Backlog... backlogs) {
    FairShare f = new FairShare(1000, 0);
    backlogged(f, backlogs);
    return f;
  }

  private void backlogged(FairShare f, Backlog... backlogs) {
    for (Backlog b : backlogs) {
      demands.put(b.tenant(), b.demand());
      f.backlogged(b.tenant(), b.demand());
    }
  }

  private double rate(FairShare f, String tenant) {
    return rate(f, tenant, 0);
  }

  private double rate(FairShare f, String tenant, long now) {
    return f.rate(tenant, demands.get(tenant), now);
  }

  @Test
  void whenEverythingFitsEveryoneGetsAllTheyAsk() {
    FairShare f = sharing(tenant("a", 1, 100, 50), tenant("b", 5, 200, 0));
    assertThat(rate(f, "a")).isEqualTo(150);
    assertThat(rate(f, "b")).isEqualTo(200);
  }

  @Test
  void contendedCapacityIsSharedByWeight() {
    FairShare f =
        sharing(tenant("w1", 1, 10_000, 0), tenant("w2", 2, 10_000, 0), tenant("w5", 5, 10_000, 0));
    assertThat(rate(f, "w1")).isCloseTo(125, within(1e-9));
    assertThat(rate(f, "w2")).isCloseTo(250, within(1e-9));
    assertThat(rate(f, "w5")).isCloseTo(625, within(1e-9));
  }

  @Test
  void whatASmallTenantLeavesGoesToTheOthersByWeight() {
    FairShare f =
        sharing(
            tenant("w1", 1, 10_000, 0),
            tenant("w2", 2, 10_000, 0),
            tenant("w5", 5, 10_000, 0),
            tenant("flooder", 1, 50, 0)); // capped by its own quota
    assertThat(rate(f, "flooder")).isEqualTo(50);
    assertThat(rate(f, "w1")).isCloseTo(950.0 / 8, within(1e-9));
    assertThat(rate(f, "w5")).isCloseTo(950.0 * 5 / 8, within(1e-9));
  }

  @Test
  void opportunisticQuotaOnlyFromSpareCapacity() {
    FairShare f = sharing(tenant("reserved", 1, 800, 0), tenant("greedy", 1, 100, 10_000));
    assertThat(rate(f, "reserved")).isEqualTo(800);
    assertThat(rate(f, "greedy")).isCloseTo(200, within(1e-9)); // 100 reserved + 100 spare
    backlogged(f, tenant("reserved", 1, 1000, 0));
    assertThat(rate(f, "greedy")).isCloseTo(100, within(1e-9)); // no spare: reserved only
  }

  @Test
  void underContentionTheSplitIsRecomputedAtMostOncePerInterval() {
    FairShare f = new FairShare(1000, 100);
    backlogged(f, tenant("a", 1, 10_000, 0), tenant("b", 1, 10_000, 0));
    assertThat(rate(f, "a", 0)).isEqualTo(500);
    backlogged(f, tenant("c", 2, 10_000, 0));
    // Within the interval: the old split for a, a plain weighted share for the newcomer c.
    assertThat(rate(f, "a", 50)).isEqualTo(500);
    assertThat(rate(f, "c", 50)).isEqualTo(500);
    assertThat(rate(f, "a", 100)).isEqualTo(250);
    assertThat(rate(f, "c", 100)).isEqualTo(500);
  }

  @Test
  void idleTenantsFreeTheirShare() {
    FairShare f = sharing(tenant("a", 1, 10_000, 0), tenant("b", 1, 10_000, 0));
    assertThat(rate(f, "a")).isEqualTo(500);
    f.idle("b");
    assertThat(rate(f, "a")).isEqualTo(1000);
    assertThat(f.backloggedTenants()).isEqualTo(1);
  }
}
