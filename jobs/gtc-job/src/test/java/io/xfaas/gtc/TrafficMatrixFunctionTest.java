package io.xfaas.gtc;

import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.records.GtcDecision;
import io.xfaas.records.RegionLoad;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The matrix operator under Flink's harness, on a driven processing-time clock. */
class TrafficMatrixFunctionTest {
  private static final long TICK = 500;
  private KeyedOneInputStreamOperatorTestHarness<String, RegionLoad, GtcDecision> harness;

  @BeforeEach
  void open() throws Exception {
    harness =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(
                new TrafficMatrixFunction(
                    new TrafficMatrixCalculator.Settings(0.8, 0.05, 1.0, 6_000), TICK, 1_000)),
            (RegionLoad l) -> TrafficMatrixFunction.ALL_REGIONS,
            Types.STRING);
    harness.setProcessingTime(0);
    harness.open();
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  /** Region {@code r}'s window ending at {@code end}, reported until just before it. */
  private void window(String r, long end, double arrivals, double capacity) throws Exception {
    harness.processElement(
        new StreamRecord<>(
            new RegionLoad(
                r,
                end - 2_000,
                end,
                end - 1,
                2,
                2,
                arrivals,
                arrivals,
                0,
                0,
                capacity,
                0.5,
                0,
                true)));
  }

  private List<GtcDecision> tick(long at) throws Exception {
    harness.getOutput().clear();
    harness.setProcessingTime(at);
    return harness.extractOutputValues();
  }

  @Test
  void aTickDecidesForEveryRegionWithOneVersion() throws Exception {
    window("a", 2_000, 10, 100);
    window("b", 2_000, 10, 100);
    List<GtcDecision> out = tick(TICK);
    assertThat(out).extracting(GtcDecision::sourceRegion).containsExactlyInAnyOrder("a", "b");
    assertThat(out).extracting(GtcDecision::version).containsOnly(1L);
    assertThat(out).allSatisfy(d -> assertThat(d.reason()).isEqualTo("local"));
    assertThat(out.get(0).inputs()).extracting(RegionLoad::region).containsExactly("a", "b");
    // Nothing new: no decision.
    assertThat(tick(2 * TICK)).isEmpty();
  }

  @Test
  void overflowMovesWorkOnTheNextTick() throws Exception {
    window("a", 2_000, 200, 100);
    window("b", 2_000, 0, 100);
    GtcDecision a =
        tick(TICK).stream().filter(d -> d.sourceRegion().equals("a")).findFirst().orElseThrow();
    assertThat(a.reason()).isEqualTo("overflow");
    assertThat(a.shares()).containsKeys("a", "b");
  }

  @Test
  void aRegionSilentWhileTheOthersReportIsDrained() throws Exception {
    window("a", 2_000, 10, 100);
    window("b", 2_000, 10, 100);
    window("c", 2_000, 10, 100);
    tick(TICK);
    // a and b keep reporting; c's last report stays at 1 999.
    for (long end = 4_000; end <= 8_000; end += 2_000) {
      window("a", end, 10, 100);
      window("b", end, 10, 100);
      assertThat(tick(end))
          .filteredOn(d -> d.sourceRegion().equals("c"))
          .allSatisfy(d -> assertThat(d.reason()).isEqualTo("local"));
    }
    window("a", 10_000, 10, 100);
    window("b", 10_000, 10, 100);
    List<GtcDecision> out = tick(10_000);
    GtcDecision c =
        out.stream().filter(d -> d.sourceRegion().equals("c")).findFirst().orElseThrow();
    assertThat(c.reason()).isEqualTo("drained");
    assertThat(c.shares()).doesNotContainKey("c").containsKeys("a", "b");
    assertThat(c.inputs())
        .filteredOn(l -> l.region().equals("c"))
        .allSatisfy(l -> assertThat(l.alive()).isFalse());
  }

  @Test
  void whenEveryRegionFallsSilentNobodyIsDrained() throws Exception {
    window("a", 2_000, 10, 100);
    window("b", 2_000, 10, 100);
    tick(TICK);
    // Long after, with no report from anyone (this job lagging, say): nothing changes.
    assertThat(tick(60_000)).isEmpty();
  }
}
