package io.xfaas.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.xfaas.records.Criticality;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplayPlanTest {

  @Test
  void compressionKeepsEveryMinutesCountAndPlacesCallsWithinTheirMinute() {
    AzureTrace trace = AzureTrace.read(TraceFixtures.SAMPLE100);
    ReplaySettings s = TraceFixtures.settings(600, 30, 60, 1.0, null);

    ReplayPlan plan = ReplayPlan.build(trace, s);

    long[] want = trace.perMinute();
    long[] got = plan.perMinute();
    for (int i = 0; i < 30; i++)
      assertThat(got[i]).as("minute " + (600 + i)).isEqualTo(want[600 + i]);
    assertThat(s.wallMsPerMinute()).isEqualTo(1000.0);
    assertThat(s.durationMs()).isEqualTo(30_000);
    long previous = -1;
    for (PlannedCall c : plan.calls()) {
      long minuteStart = (c.minute() - 600) * 1000L;
      assertThat(c.atMs()).isBetween(minuteStart, minuteStart + 999);
      assertThat(c.atMs()).isGreaterThanOrEqualTo(previous);
      previous = c.atMs();
    }
  }

  @Test
  void aDayCompressed1440TimesLastsAMinuteWithAllItsCalls() {
    ReplaySettings s = TraceFixtures.settings(0, 1440, 1440, 1.0, null);

    ReplayPlan plan = ReplayPlan.build(TraceFixtures.tiny(), s);

    assertThat(s.durationMs()).isEqualTo(60_000);
    // 10 a minute for a, 0 + 1 + ... + 1439 for b.
    assertThat(plan.calls()).hasSize(14_400 + 1439 * 1440 / 2);
    assertThat(plan.calls().get(plan.calls().size() - 1).atMs()).isLessThan(60_000);
  }

  @Test
  void evenSpreadSpacesAMinutesCallsEqually() {
    ReplaySettings s = TraceFixtures.settings(0, 1, 1, 1.0, null);

    List<PlannedCall> a =
        ReplayPlan.build(TraceFixtures.tiny(), s).calls().stream()
            .filter(c -> c.function().equals("f-aaaaaaaa"))
            .toList();

    assertThat(a).hasSize(10);
    for (int i = 1; i < a.size(); i++) {
      assertThat(a.get(i).atMs() - a.get(i - 1).atMs()).isBetween(5_999L, 6_001L);
    }
  }

  @Test
  void samplingKeepsItsShareOfCalls() {
    AzureTrace trace = AzureTrace.read(TraceFixtures.SAMPLE100);
    ReplaySettings s = TraceFixtures.settings(0, 1440, 1440, 0.05, null);

    ReplayPlan plan = ReplayPlan.build(trace, s);

    assertThat((double) plan.calls().size())
        .isCloseTo(621_128 * 0.05, within(621_128 * 0.05 * 0.02));
    // The same settings give the same plan.
    assertThat(ReplayPlan.build(trace, s).calls()).isEqualTo(plan.calls());
  }

  @Test
  void theSpikeAddsItsTenantsCallsInItsMinutesOnly() {
    ReplaySettings.Spike spike = new ReplaySettings.Spike("burst", 12, 3, 100, 2000, null);
    ReplaySettings s = TraceFixtures.settings(10, 10, 60, 1.0, spike);

    ReplayPlan plan = ReplayPlan.build(TraceFixtures.tiny(), s);

    List<PlannedCall> burst =
        plan.calls().stream().filter(c -> c.tenant().equals("burst")).toList();
    assertThat(burst).hasSize(300);
    assertThat(burst).allSatisfy(c -> assertThat(c.minute()).isBetween(12, 14));
    assertThat(burst).allSatisfy(c -> assertThat(c.function()).isEqualTo("f-burst"));
    assertThat(burst).allSatisfy(c -> assertThat(c.runMs()).isEqualTo(2000));
    long[] perMinute = plan.perMinute();
    assertThat(perMinute[1]).isEqualTo(10 + 11);
    assertThat(perMinute[2]).isEqualTo(10 + 12 + 100);
    assertThat(perMinute[5]).isEqualTo(10 + 15);
  }

  @Test
  void theSpikeHasItsOwnDeferrableShare() {
    ReplaySettings.Spike spike = new ReplaySettings.Spike("burst", 0, 60, 1000, 2000, 0.8);
    ReplaySettings s = hourWithSpike(0.1, spike);

    ReplayPlan plan = ReplayPlan.build(TraceFixtures.tiny(), s);

    List<PlannedCall> burst =
        plan.calls().stream().filter(c -> c.tenant().equals("burst")).toList();
    List<PlannedCall> rest =
        plan.calls().stream().filter(c -> !c.tenant().equals("burst")).toList();
    assertThat(share(burst, Criticality.DEFERRABLE)).isCloseTo(0.8, within(0.02));
    assertThat(share(burst, Criticality.CRITICAL)).isCloseTo(0.1, within(0.02));
    assertThat(share(rest, Criticality.DEFERRABLE)).isCloseTo(0.3, within(0.05));
    assertThatThrownBy(() -> hourWithSpike(0.3, spike))
        .hasMessageContaining("--spike-deferrable-share");
  }

  /** An hour compressed 60x, even spread, 30 % DEFERRABLE, seed 5, with {@code spike}. */
  private static ReplaySettings hourWithSpike(double criticalShare, ReplaySettings.Spike spike) {
    return new ReplaySettings(
        0,
        60,
        60,
        1.0,
        ReplaySettings.Spread.EVEN,
        ReplaySettings.RunTime.AVERAGE,
        0.01,
        0,
        criticalShare,
        0.3,
        1_800_000,
        spike,
        5);
  }

  private static double share(List<PlannedCall> calls, Criticality c) {
    return calls.stream().filter(x -> x.criticality() == c).count() / (double) calls.size();
  }

  @Test
  void sharesOfCriticalAndDeferrableCallsWithCompressedDeadlines() {
    AzureTrace trace = AzureTrace.read(TraceFixtures.SAMPLE100);
    ReplaySettings s =
        new ReplaySettings(
            0,
            240,
            60,
            1.0,
            ReplaySettings.Spread.POISSON,
            ReplaySettings.RunTime.PERCENTILES,
            0.01,
            0,
            0.1,
            0.3,
            1_800_000,
            null,
            3);

    ReplayPlan plan = ReplayPlan.build(trace, s);

    double n = plan.calls().size();
    long critical =
        plan.calls().stream().filter(c -> c.criticality() == Criticality.CRITICAL).count();
    List<PlannedCall> deferrable =
        plan.calls().stream().filter(c -> c.criticality() == Criticality.DEFERRABLE).toList();
    assertThat(critical / n).isCloseTo(0.1, within(0.01));
    assertThat(deferrable.size() / n).isCloseTo(0.3, within(0.01));
    // 30 min of trace time, compressed 60 times: 30 s.
    assertThat(deferrable).allSatisfy(c -> assertThat(c.deadlineAfterMs()).isEqualTo(30_000));
    assertThat(plan.calls().stream().filter(c -> c.criticality() != Criticality.DEFERRABLE))
        .allSatisfy(c -> assertThat(c.deadlineAfterMs()).isZero());
  }

  @Test
  void theRunTimeCapBoundsTheEmulatedSleep() {
    ReplaySettings s =
        new ReplaySettings(
            0,
            5,
            60,
            1.0,
            ReplaySettings.Spread.EVEN,
            ReplaySettings.RunTime.AVERAGE,
            0.5,
            250,
            0,
            0,
            60_000,
            null,
            1);

    ReplayPlan plan = ReplayPlan.build(TraceFixtures.tiny(), s);

    // a runs 1000 ms (500 ms emulated, capped to 250), b 500 ms (250 ms emulated).
    assertThat(plan.calls()).allSatisfy(c -> assertThat(c.runMs()).isEqualTo(500));
    assertThat(s.emulatedMs(500)).isEqualTo(250);
  }

  @Test
  void badSettingsAreRefused() {
    assertThatThrownBy(() -> TraceFixtures.settings(1430, 20, 60, 1, null))
        .hasMessageContaining("1440");
    assertThatThrownBy(() -> TraceFixtures.settings(0, 10, 0.5, 1, null))
        .hasMessageContaining("--compress");
    assertThatThrownBy(() -> TraceFixtures.settings(0, 10, 60, 0, null))
        .hasMessageContaining("--sample");
    assertThatThrownBy(() -> new ReplaySettings.Spike("no spaces", 0, 1, 1, 1, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aDayRepeatedPlaysTheSameCallsEachDayOneDayLater() {
    ReplaySettings s = TraceFixtures.settings(600, 10, 60, 0.2, null);
    ReplayPlan day = ReplayPlan.build(AzureTrace.read(TraceFixtures.SAMPLE100), s);

    ReplayPlan three = day.repeated(3);

    int n = day.calls().size();
    assertThat(n).isPositive();
    assertThat(three.calls()).hasSize(3 * n);
    for (int k = 0; k < 3; k++) {
      for (int i = 0; i < n; i++) {
        PlannedCall a = day.calls().get(i);
        PlannedCall b = three.calls().get(k * n + i);
        assertThat(b.atMs()).isEqualTo(a.atMs() + k * s.durationMs());
        assertThat(b).usingRecursiveComparison().ignoringFields("atMs").isEqualTo(a);
      }
    }
  }

  @Test
  void aDeadlineMixDrawsEachDeferrableDeadlineFromTheMixCompressedLikeTheDay() {
    ReplaySettings s =
        new ReplaySettings(
            600,
            30,
            60,
            1.0,
            ReplaySettings.Spread.EVEN,
            ReplaySettings.RunTime.AVERAGE,
            0.01,
            0,
            0.1,
            0.5,
            1_800_000,
            null,
            7);
    ReplayPlan plan = ReplayPlan.build(AzureTrace.read(TraceFixtures.SAMPLE100), s);
    List<Long> mix = List.of(3_600_000L, 21_600_000L, 86_400_000L); // 1 h, 6 h, 24 h

    ReplayPlan mixed = plan.withDeadlineMix(mix, 1);

    java.util.Map<Long, Long> byDeadline = new java.util.TreeMap<>();
    for (int i = 0; i < plan.calls().size(); i++) {
      PlannedCall a = plan.calls().get(i);
      PlannedCall b = mixed.calls().get(i);
      if (a.criticality() != Criticality.DEFERRABLE) {
        assertThat(b).isEqualTo(a);
      } else {
        byDeadline.merge(b.deadlineAfterMs(), 1L, Long::sum);
      }
    }
    // x60: 1 h of trace time is 60 s of replay.
    assertThat(byDeadline).containsOnlyKeys(60_000L, 360_000L, 1_440_000L);
    long deferrable = byDeadline.values().stream().mapToLong(Long::longValue).sum();
    for (long count : byDeadline.values()) {
      assertThat((double) count / deferrable).isCloseTo(1.0 / 3, within(0.05));
    }
    assertThat(plan.withDeadlineMix(List.of(), 1)).isSameAs(plan);
  }

  @Test
  void aTenantsDeferrableCallsCanTakeADeadlineOfTheirOwn() throws Exception {
    ReplaySettings s =
        new ReplaySettings(
            600,
            30,
            60,
            0.05,
            ReplaySettings.Spread.EVEN,
            ReplaySettings.RunTime.AVERAGE,
            1.0 / 60,
            0,
            0.1,
            0.5,
            1_800_000,
            new ReplaySettings.Spike("batch", 605, 5, 400, 10_000, 0.8),
            7);
    ReplayPlan plan =
        ReplayPlan.build(AzureTrace.read(TraceFixtures.SAMPLE100), s)
            .withDeadlineMix(List.of(3_600_000L, 21_600_000L), 1);

    ReplayPlan batch = plan.withTenantDeadline("batch", 86_400_000L);

    int spikeDeferrable = 0;
    for (int i = 0; i < plan.calls().size(); i++) {
      PlannedCall a = plan.calls().get(i);
      PlannedCall b = batch.calls().get(i);
      if (a.tenant().equals("batch") && a.criticality() == Criticality.DEFERRABLE) {
        spikeDeferrable++;
        assertThat(b.deadlineAfterMs()).isEqualTo(1_440_000L); // 24 h at x60
        assertThat(b).usingRecursiveComparison().ignoringFields("deadlineAfterMs").isEqualTo(a);
      } else {
        assertThat(b).isEqualTo(a); // other tenants and classes keep theirs
      }
    }
    assertThat(spikeDeferrable).isPositive();
    assertThat(batch.calls().stream().filter(c -> !c.tenant().equals("batch")))
        .anyMatch(c -> c.criticality() == Criticality.DEFERRABLE && c.deadlineAfterMs() == 60_000L);
  }
}
