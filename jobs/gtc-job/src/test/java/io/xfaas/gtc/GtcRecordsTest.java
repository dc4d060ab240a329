package io.xfaas.gtc;

import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.records.GtcDecision;
import io.xfaas.records.RegionLoad;
import io.xfaas.serde.Json;
import java.util.List;
import java.util.Map;
import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.api.Test;

/** What the GTC job moves between operators and keeps in state is a POJO, never Kryo. */
class GtcRecordsTest {
  @Test
  void recordsAreFlinkPojos() {
    PojoTestUtils.assertSerializedAsPojoWithoutKryo(RegionLoad.class);
    PojoTestUtils.assertSerializedAsPojoWithoutKryo(GtcDecision.class);
    PojoTestUtils.assertSerializedAsPojoWithoutKryo(RegionLoadAccumulator.class);
    PojoTestUtils.assertSerializedAsPojoWithoutKryo(ReporterTotals.class);
  }

  @Test
  void decisionJsonRoundTrips() throws Exception {
    GtcDecision d =
        new GtcDecision(
            "a",
            Map.of("a", 0.5, "b", 0.5),
            List.of(new RegionLoad("a", 0, 2000, 1999, 1, 2, 20, 10, 5, 1, 10, 1, 20, true)),
            "overflow",
            2000,
            7);
    assertThat(Json.MAPPER.readValue(Json.write(d), GtcDecision.class)).isEqualTo(d);
  }
}
