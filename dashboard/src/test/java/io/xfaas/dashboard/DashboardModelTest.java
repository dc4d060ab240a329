package io.xfaas.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.dashboard.DashboardModel.Summary;
import io.xfaas.dashboard.DashboardModel.TenantSummary;
import io.xfaas.records.Outcome;
import io.xfaas.records.OutcomeStatus;
import io.xfaas.records.SchedulingMetrics;
import io.xfaas.serde.Json;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DashboardModelTest {
  private static final long T = 1_700_000_000_000L;

  static SchedulingMetrics period(
      String tenant, long end, long arrived, long dispatched, long throttled, long buffered) {
    return period(tenant, end, arrived, dispatched, throttled, buffered, 5, 50);
  }

  /** One second of {@code tenant} ending at {@code end}; expired..duplicates are 1, 2, 3, 4. */
  static SchedulingMetrics period(
      String tenant,
      long end,
      long arrived,
      long dispatched,
      long throttled,
      long buffered,
      long p50,
      long p99) {
    return new SchedulingMetrics(
        tenant,
        "local",
        end - 1000,
        end,
        arrived,
        dispatched,
        throttled,
        1,
        2,
        3,
        4,
        buffered,
        p50,
        p99,
        p99 + 20,
        0,
        0,
        0);
  }

  static Outcome outcome(String id, String tenant, OutcomeStatus status) {
    return new Outcome(id, tenant, "echo", null, status, null, null, 1, T, T, T, T, "local", null);
  }

  @Test
  void emptyModelHasAllStatusesAtZeroAndNoGtcDecisions() {
    Summary s = new DashboardModel().summary(T);
    assertThat(s.tenants()).isEmpty();
    assertThat(s.outcomes())
        .containsOnlyKeys(OutcomeStatus.values())
        .allSatisfy((k, v) -> assertThat(v).isZero());
    assertThat(s.gtc().decisions()).isZero();
    assertThat(s.gtc().note()).isEqualTo("no GTC decisions yet");
  }

  @Test
  void loadReportsAndGtcDecisionsReachTheSummary() {
    DashboardModel model = new DashboardModel();
    model.load(RegionLoadsTest.scheduler("b", "scheduler-0", T, 9, 8, 4, 6));
    model.load(RegionLoadsTest.sidecar("a", "sidecar-0", T, 3, 10, 0.3));
    model.gtc(GtcMatrixTest.decision("a", java.util.Map.of("a", 1.0), "local", 1));

    Summary s = model.summary(T + 500);
    assertThat(s.regions()).extracting(RegionLoads.RegionSummary::region).containsExactly("a", "b");
    assertThat(s.regions().get(1).latest().level()).isEqualTo(6.0);
    assertThat(s.gtc().rows()).hasSize(1);
    assertThat(s.records().loadReports()).isEqualTo(2);
  }

  @Test
  void sumsCountsAndTakesBacklogRatesAndDelaysFromTheLatestPeriod() {
    DashboardModel model = new DashboardModel();
    model.metrics(period("ads", T + 2000, 30, 20, 7, 12));
    model.metrics(period("ads", T + 1000, 10, 8, 3, 99)); // late, older period
    model.metrics(period("feed", T + 2000, 5, 5, 0, 0));

    Summary s = model.summary(T + 2500);
    assertThat(s.tenants()).extracting(TenantSummary::tenant).containsExactly("ads", "feed");
    TenantSummary ads = s.tenants().get(0);
    assertThat(ads.totals().arrived()).isEqualTo(40);
    assertThat(ads.totals().dispatched()).isEqualTo(28);
    assertThat(ads.totals().throttled()).isEqualTo(10);
    assertThat(ads.totals().expired()).isEqualTo(2);
    assertThat(ads.totals().rejected()).isEqualTo(4);
    assertThat(ads.totals().cancelled()).isEqualTo(6);
    assertThat(ads.totals().duplicates()).isEqualTo(8);
    assertThat(ads.backlog()).isEqualTo(12);
    assertThat(ads.throughputPerSec()).isEqualTo(20.0);
    assertThat(ads.arrivalsPerSec()).isEqualTo(30.0);
    assertThat(ads.totals().queueDelayP50Ms()).isEqualTo(5);
    assertThat(ads.totals().queueDelayP99Ms()).isEqualTo(50);
    assertThat(ads.totals().queueDelayMaxMs()).isEqualTo(70);
    assertThat(ads.history())
        .extracting(DashboardModel.Point::t)
        .containsExactly(T + 1000, T + 2000);
    assertThat(s.throttledTotal()).isEqualTo(10);
    assertThat(s.records().metrics()).isEqualTo(3);
  }

  @Test
  void aTenantWithoutRecentPeriodsHasNoThroughput() {
    DashboardModel model = new DashboardModel();
    model.metrics(period("ads", T, 30, 20, 0, 0));
    assertThat(model.summary(T + 3000).tenants().get(0).throughputPerSec()).isEqualTo(20.0);
    TenantSummary idle = model.summary(T + 60_000).tenants().get(0);
    assertThat(idle.throughputPerSec()).isZero();
    assertThat(idle.totals().dispatched()).isEqualTo(20);
  }

  @Test
  void keepsABoundedHistory() {
    DashboardModel model = new DashboardModel();
    IntStream.range(0, DashboardModel.HISTORY + 30)
        .forEach(i -> model.metrics(period("ads", T + i * 1000L, 1, 1, 0, 0)));
    assertThat(model.summary(T).tenants().get(0).history()).hasSize(DashboardModel.HISTORY);
  }

  @Test
  void countsOutcomesByStatusAndTenantAndUnreadableRecords() {
    DashboardModel model = new DashboardModel();
    model.outcome(outcome("1", "ads", OutcomeStatus.SUCCEEDED));
    model.outcome(outcome("2", "ads", OutcomeStatus.SUCCEEDED));
    model.outcome(outcome("3", "feed", OutcomeStatus.EXPIRED));
    model.unreadable();

    Summary s = model.summary(T);
    assertThat(s.outcomes())
        .containsEntry(OutcomeStatus.SUCCEEDED, 2L)
        .containsEntry(OutcomeStatus.EXPIRED, 1L)
        .containsEntry(OutcomeStatus.FAILED, 0L);
    assertThat(s.outcomesByTenant().get("ads")).containsEntry(OutcomeStatus.SUCCEEDED, 2L);
    assertThat(s.outcomesByTenant().get("feed")).containsEntry(OutcomeStatus.EXPIRED, 1L);
    assertThat(s.records().outcomes()).isEqualTo(3);
    assertThat(s.records().unreadable()).isEqualTo(1);
  }

  @Test
  void summaryIsJsonThePageCanRead() throws Exception {
    DashboardModel model = new DashboardModel();
    model.metrics(period("ads", T, 30, 20, 7, 12));
    model.outcome(outcome("1", "ads", OutcomeStatus.FAILED));
    var json = Json.MAPPER.readTree(Json.write(model.summary(T)));
    assertThat(json.at("/tenants/0/tenant").asText()).isEqualTo("ads");
    assertThat(json.at("/tenants/0/backlog").asLong()).isEqualTo(12);
    assertThat(json.at("/tenants/0/history/0/throughput").asDouble()).isEqualTo(20.0);
    assertThat(json.at("/outcomes/FAILED").asLong()).isEqualTo(1);
    assertThat(json.at("/gtc/note").asText()).isEqualTo("no GTC decisions yet");
  }
}
