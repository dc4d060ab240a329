package io.xfaas.gtc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.xfaas.records.RegionLoad;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One case per rule of the traffic matrix. */
class TrafficMatrixCalculatorTest {
  private static final long NOW = 1_000_000L;
  private static final TrafficMatrixCalculator.Settings DEFAULTS =
      new TrafficMatrixCalculator.Settings(0.8, 0.05, 0.25, 6_000);

  /** A region's window: arrivals per second, capacity per second, last report at {@code at}. */
  private static RegionLoad load(String region, double arrivals, double capacity, long at) {
    return new RegionLoad(
        region,
        at - 2000,
        at,
        at,
        2,
        2,
        arrivals,
        Math.min(arrivals, capacity),
        0,
        0,
        capacity,
        Math.min(1, arrivals / capacity),
        0,
        true);
  }

  private static Map<String, RegionLoad> regions(RegionLoad... loads) {
    Map<String, RegionLoad> m = new HashMap<>();
    for (RegionLoad l : loads) m.put(l.region(), l);
    return m;
  }

  private static void assertRowsAreDistributions(Map<String, Map<String, Double>> shares) {
    shares.forEach(
        (src, row) -> {
          assertThat(row.values()).allSatisfy(s -> assertThat(s).isBetween(0.0, 1.0));
          assertThat(row.values().stream().mapToDouble(Double::doubleValue).sum())
              .as("row " + src)
              .isCloseTo(1.0, within(1e-9));
        });
  }

  @Test
  void balancedRegionsGiveTheIdentity() {
    var result =
        new TrafficMatrixCalculator(DEFAULTS)
            .compute(
                regions(load("a", 50, 100, NOW), load("b", 70, 100, NOW), load("c", 10, 100, NOW)),
                Map.of(),
                Map.of(),
                NOW);
    assertThat(result.shares())
        .containsOnly(
            Map.entry("a", Map.of("a", 1.0)),
            Map.entry("b", Map.of("b", 1.0)),
            Map.entry("c", Map.of("c", 1.0)));
    assertThat(result.reasons()).containsValues("local").doesNotContainValue("overflow");
  }

  @Test
  void aRegionAtTwiceItsCapacitySharesItsOverflowByHeadroom() {
    // a: 200/s on 100/s (plans for 80/s): 120/s overflow. b has 80/s of headroom, c 40/s.
    Map<String, RegionLoad> loads =
        regions(load("a", 200, 100, NOW), load("b", 0, 100, NOW), load("c", 40, 100, NOW));
    var unlimited =
        new TrafficMatrixCalculator(new TrafficMatrixCalculator.Settings(0.8, 0.05, 1.0, 6_000));
    Map<String, Double> a = unlimited.compute(loads, Map.of(), Map.of(), NOW).shares().get("a");
    assertThat(a.get("b")).isCloseTo(80 / 200.0, within(1e-9));
    assertThat(a.get("c")).isCloseTo(40 / 200.0, within(1e-9));
    assertThat(a.get("a")).isCloseTo(80 / 200.0, within(1e-9));

    // With the default step, the matrix walks there while the arrivals follow it, and stays.
    Map<String, Double> demand = Map.of("a", 200.0, "b", 0.0, "c", 40.0);
    TrafficMatrixCalculator calc = new TrafficMatrixCalculator(DEFAULTS);
    Map<String, Map<String, Double>> matrix = Map.of();
    Map<String, RegionLoad> latest = loads;
    for (int step = 0; step < 12; step++) {
      var r = calc.compute(latest, Map.of(), matrix, NOW);
      assertRowsAreDistributions(r.shares());
      if (step == 0) assertThat(r.shares().get("a").get("a")).isCloseTo(0.75, within(1e-9));
      matrix = r.shares();
      latest = arrivalsUnder(matrix, demand, r.inputs());
    }
    assertThat(matrix.get("a").get("a")).isCloseTo(0.4, within(0.03));
    assertThat(matrix.get("a").get("b")).isCloseTo(0.4, within(0.03));
    assertThat(matrix.get("a").get("c")).isCloseTo(0.2, within(0.03));
    assertThat(matrix.get("b")).containsOnly(Map.entry("b", 1.0));
  }

  @Test
  void aDeadRegionIsDrained() {
    Map<String, RegionLoad> loads =
        regions(
            load("a", 100, 100, NOW),
            load("b", 20, 100, NOW - 1_000),
            load("c", 30, 100, NOW - 7_000)); // silent for longer than the 6 s timeout
    Map<String, Map<String, Double>> inForce =
        Map.of("a", Map.of("a", 0.6, "b", 0.1, "c", 0.3), "c", Map.of("c", 1.0));
    var r = new TrafficMatrixCalculator(DEFAULTS).compute(loads, Map.of(), inForce, NOW);

    assertRowsAreDistributions(r.shares());
    assertThat(r.inputs().get("c").alive()).isFalse();
    assertThat(r.reasons().get("c")).isEqualTo("drained");
    // c's own work goes to the live regions at once, at whatever step.
    assertThat(r.shares().get("c")).doesNotContainKey("c").containsKeys("a", "b");
    // Nobody sends to c any more, whatever the step limit.
    assertThat(r.shares().get("a")).doesNotContainKey("c");
    assertThat(r.shares().get("b")).doesNotContainKey("c");
    // a is over its planned capacity: what it was sending c goes to b, its other destination with
    // headroom, not back to a, whose local share only moves toward its target (below 0.6).
    assertThat(r.shares().get("a").get("a")).isLessThan(0.6);
    assertThat(r.shares().get("a").get("b")).isGreaterThan(0.1 + 0.3 * 0.5);
  }

  /** The next matrix with {@code arrivals}/s at a and 10/s at b, each with capacity 100/s. */
  private static Map<String, Map<String, Double>> nextShares(
      TrafficMatrixCalculator calc, double arrivals, Map<String, Map<String, Double>> matrix) {
    return calc.compute(
            regions(load("a", arrivals, 100, NOW), load("b", 10, 100, NOW)), Map.of(), matrix, NOW)
        .shares();
  }

  @Test
  void oscillatingLoadIsDampedByHysteresisAndTheStepLimit() {
    TrafficMatrixCalculator calc = new TrafficMatrixCalculator(DEFAULTS);
    // Around a's planned 80/s: +-3 %, the target moves by less than the hysteresis.
    Map<String, Map<String, Double>> matrix = Map.of();
    for (int step = 0; step < 10; step++) {
      double arrivals = step % 2 == 0 ? 83 : 77;
      matrix = nextShares(calc, arrivals, matrix);
      assertThat(matrix.get("a")).containsOnly(Map.entry("a", 1.0));
    }
    // Without hysteresis the same load would have moved the matrix: the damping is what held it.
    var undamped =
        new TrafficMatrixCalculator(new TrafficMatrixCalculator.Settings(0.8, 0, 0.25, 6_000));
    assertThat(
            undamped
                .compute(
                    regions(load("a", 83, 100, NOW), load("b", 10, 100, NOW)),
                    Map.of(),
                    Map.of(),
                    NOW)
                .shares()
                .get("a")
                .get("a"))
        .isLessThan(1.0);

    // Swinging between 200/s and 20/s: no share moves more than the step in one decision.
    matrix = Map.of();
    double local = 1.0;
    for (int step = 0; step < 10; step++) {
      double arrivals = step % 2 == 0 ? 200 : 20;
      matrix = nextShares(calc, arrivals, matrix);
      double now = matrix.get("a").get("a");
      assertThat(Math.abs(now - local)).isLessThanOrEqualTo(0.25 + 1e-9);
      local = now;
    }
  }

  @Test
  void withNoHeadroomAnywhereWorkStaysLocalAndNothingIsLost() {
    Map<String, RegionLoad> loads =
        regions(load("a", 200, 100, NOW), load("b", 150, 100, NOW), load("c", 100, 100, NOW));
    var r = new TrafficMatrixCalculator(DEFAULTS).compute(loads, Map.of(), Map.of(), NOW);
    assertRowsAreDistributions(r.shares());
    assertThat(r.shares())
        .containsOnly(
            Map.entry("a", Map.of("a", 1.0)),
            Map.entry("b", Map.of("b", 1.0)),
            Map.entry("c", Map.of("c", 1.0)));
    assertThat(r.reasons()).containsEntry("a", "no-headroom").containsEntry("b", "no-headroom");
  }

  @Test
  void growingBacklogCountsAsOverflowWithoutSchedulerArrivals() {
    RegionLoad before = new RegionLoad("a", 0, 2000, 2000, 1, 1, 0, 10, 100, 0, 10, 1, 0, true);
    RegionLoad now = new RegionLoad("a", 2000, 4000, 4000, 1, 1, 0, 10, 140, 0, 10, 1, 0, true);
    assertThat(TrafficMatrixCalculator.observedArrivals(now, before)).isCloseTo(30, within(1e-9));
  }

  /** The window each region would report if every source's demand followed {@code matrix}. */
  private static Map<String, RegionLoad> arrivalsUnder(
      Map<String, Map<String, Double>> matrix,
      Map<String, Double> demand,
      Map<String, RegionLoad> judged) {
    Map<String, Double> arrivals = new HashMap<>();
    matrix.forEach(
        (src, row) ->
            row.forEach((dst, s) -> arrivals.merge(dst, demand.get(src) * s, Double::sum)));
    Map<String, RegionLoad> out = new HashMap<>();
    judged.forEach(
        (r, l) -> {
          RegionLoad fresh = load(r, arrivals.getOrDefault(r, 0.0), l.capacityPerSecond(), NOW);
          out.put(r, fresh.judged(l.demand(), true));
        });
    return out;
  }
}
