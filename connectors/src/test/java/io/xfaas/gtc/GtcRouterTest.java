package io.xfaas.gtc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.xfaas.config.XfaasConfig;
import io.xfaas.config.XfaasOptions;
import io.xfaas.records.GtcDecision;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The router's choices from decisions it is given, without Kafka. */
class GtcRouterTest {
  private final GtcRouter router =
      new GtcRouter(XfaasConfig.of(Map.of(XfaasOptions.REGION.key(), "a")));

  private static GtcDecision decision(String source, Map<String, Double> shares, long version) {
    return new GtcDecision(source, shares, List.of(), "overflow", 1L, version);
  }

  private Map<String, Integer> spread(int n) {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < n; i++) counts.merge(router.route("inv-" + i), 1, Integer::sum);
    return counts;
  }

  @Test
  void withoutDecisionEverythingStaysLocal() {
    assertThat(spread(1000)).containsExactly(Map.entry("a", 1000));
    assertThat(router.destinationTopic("x")).isEqualTo("xfaas.a.durableq");
  }

  @Test
  void followsTheSharesOfItsOwnRegion() {
    router.apply("a", decision("a", Map.of("a", 0.5, "b", 0.3, "c", 0.2), 1));
    Map<String, Integer> counts = spread(20_000);
    assertThat(counts.get("a") / 20_000.0).isCloseTo(0.5, within(0.02));
    assertThat(counts.get("b") / 20_000.0).isCloseTo(0.3, within(0.02));
    assertThat(counts.get("c") / 20_000.0).isCloseTo(0.2, within(0.02));
    assertThat(router.destinationTopic(idRoutedTo("b"))).isEqualTo("xfaas.b.durableq");
  }

  @Test
  void theSameIdAlwaysGoesToTheSameRegion() {
    router.apply("a", decision("a", Map.of("a", 0.5, "b", 0.5), 1));
    for (int i = 0; i < 100; i++) {
      assertThat(router.route("id-" + i)).isEqualTo(router.route("id-" + i));
    }
  }

  @Test
  void ignoresOtherRegionsAndInvalidRowsAndTheLastDecisionWins() {
    router.apply("b", decision("b", Map.of("c", 1.0), 5));
    assertThat(router.table().isLocalOnly()).isTrue();

    router.apply("a", decision("a", Map.of("b", 1.0), 7));
    assertThat(spread(100)).containsExactly(Map.entry("b", 100));
    // A GTC job started afresh counts versions from 1 again: still the latest decision.
    router.apply("a", decision("a", Map.of("c", 1.0), 1));
    assertThat(spread(100)).containsExactly(Map.entry("c", 100));

    router.apply("a", decision("a", Map.of("b", 0.7, "c", 0.7), 8)); // sums to 1.4
    assertThat(spread(100)).containsExactly(Map.entry("a", 100));
  }

  @Test
  void aTombstoneRoutesLocallyAgain() {
    router.apply("a", decision("a", Map.of("b", 1.0), 3));
    router.apply("a", null);
    assertThat(spread(100)).containsExactly(Map.entry("a", 100));
  }

  @Test
  void remoteTopicsFollowTheConfiguredPattern() {
    GtcRouter r =
        new GtcRouter(
            XfaasConfig.of(
                Map.of(
                    XfaasOptions.REGION.key(), "a",
                    XfaasOptions.TOPIC_DURABLEQ.key(), "prod.${xfaas.region}.in")));
    r.apply("a", decision("a", Map.of("b", 1.0), 1));
    assertThat(r.destinationTopic("x")).isEqualTo("prod.b.in");
  }

  private String idRoutedTo(String region) {
    for (int i = 0; ; i++) {
      if (router.route("probe-" + i).equals(region)) return "probe-" + i;
    }
  }
}
