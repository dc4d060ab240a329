package io.xfaas.scheduler.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.xfaas.serde.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class WhatIfReportTest {
  private static TenantFigures figures(String tenant, long dispatched, long p99) {
    return new TenantFigures(
        tenant, 10, dispatched, 0, 0, 0, 10 - dispatched, 0, 0, 5, p99, 5, p99, 0);
  }

  private static final WhatIfReport REPORT =
      new WhatIfReport(
          "a window",
          List.of("acme.rate=50"),
          new SimResult(
              List.of(figures("acme", 10, 100), figures("zeta", 10, 7)),
              4,
              20,
              1000,
              3,
              1,
              List.of(3L, 1L),
              2000,
              12),
          new SimResult(
              List.of(figures("acme", 8, 900), figures("zeta", 10, 7)),
              4,
              20,
              1000,
              3,
              0,
              List.of(3L, 0L, 2L),
              2500,
              11));

  @Test
  void theTableShowsBothRunsWhereTheyDifferAndTheChangedTenantsFirst() {
    List<String[]> rows = REPORT.rows(0);

    assertThat(rows.get(0)[0]).isEqualTo("tenant");
    assertThat(rows.get(1))
        .containsExactly(
            "acme",
            "10",
            "10 -> 8",
            "0",
            "0",
            "0 -> 2",
            "0",
            "0",
            "5",
            "100 -> 900",
            "100 -> 900",
            "0");
    assertThat(rows.get(2))
        .containsExactly("zeta", "10", "10", "0", "0", "0", "0", "0", "5", "7", "7", "0");
    assertThat(REPORT.rows(1)).hasSize(2);
  }

  @Test
  void markdownAndJson() throws Exception {
    String md = REPORT.markdown();
    assertThat(md).startsWith("# What if: acme.rate=50");
    assertThat(md).contains("| acme | 10 | 10 -> 8 |").contains("|---|---|");

    JsonNode json = Json.MAPPER.readTree(REPORT.json());
    assertThat(json.at("/changes/0").asText()).isEqualTo("acme.rate=50");
    assertThat(json.at("/changed/tenants/0/delayP99Ms").asLong()).isEqualTo(900);
    assertThat(json.at("/recorded/slots").asInt()).isEqualTo(4);
    assertThat(json.at("/changed/executed").toString()).isEqualTo("[3,0,2]");
  }
}
