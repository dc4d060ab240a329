package io.xfaas.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.dashboard.GtcMatrix.Gtc;
import io.xfaas.dashboard.GtcMatrix.GtcRow;
import io.xfaas.records.GtcDecision;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The GTC's latest matrix from its decisions, a row per source region. */
class GtcMatrixTest {
  static GtcDecision decision(String source, Map<String, Double> shares, String why, long v) {
    return new GtcDecision(source, shares, List.of(), why, 1_000 * v, v);
  }

  @Test
  void noDecisionsSaysSo() {
    Gtc g = new GtcMatrix().summary();
    assertThat(g.decisions()).isZero();
    assertThat(g.note()).isEqualTo("no GTC decisions yet");
  }

  @Test
  void theIdentityMatrixIsShownToo() {
    GtcMatrix m = new GtcMatrix();
    m.add(decision("a", Map.of("a", 1.0), "local", 1));
    m.add(decision("b", Map.of("b", 1.0), "local", 1));

    Gtc g = m.summary();
    assertThat(g.regions()).containsExactly("a", "b");
    assertThat(g.rows())
        .extracting(GtcRow::source, GtcRow::shares)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("a", Map.of("a", 1.0)),
            org.assertj.core.groups.Tuple.tuple("b", Map.of("b", 1.0)));
  }

  @Test
  void eachSourceShowsItsNewestRowAndTheMatrixItsNewestVersion() {
    GtcMatrix m = new GtcMatrix();
    m.add(decision("a", Map.of("a", 1.0), "local", 1));
    m.add(decision("a", Map.of("a", 0.6, "c", 0.4), "overflow", 2));
    m.add(decision("a", Map.of("a", 1.0), "local", 1)); // late, older
    m.add(decision("c", Map.of("c", 1.0), "local", 2));

    Gtc g = m.summary();
    assertThat(g.decisions()).isEqualTo(4);
    assertThat(g.version()).isEqualTo(2);
    assertThat(g.decidedAt()).isEqualTo(2_000);
    assertThat(g.regions()).containsExactly("a", "c");
    assertThat(g.rows().get(0))
        .isEqualTo(new GtcRow("a", Map.of("a", 0.6, "c", 0.4), "overflow", 2));
  }
}
