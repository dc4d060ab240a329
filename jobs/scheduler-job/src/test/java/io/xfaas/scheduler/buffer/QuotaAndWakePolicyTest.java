package io.xfaas.scheduler.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.records.DecisionReason;
import io.xfaas.records.TenantSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

class QuotaAndWakePolicyTest {
  private static final long NOW = 1_800_000_000_000L;
  private static final WakePolicy WAKE = new WakePolicy(1000);

  private static TenantSettings quota(double rate, int burst, int concurrency, int weight) {
    return new TenantSettings("acme", rate, burst, concurrency, weight, 100, List.of(), null, 0);
  }

  @Test
  void aTenantStartsWithAFullBucketAndSpendsATokenAndASlotPerCall() {
    TenantRecord r = TenantRecord.empty();
    Quota q = Quota.of("acme", quota(10, 2, 5, 1), r, new FairShare(1000, 0), false, NOW);
    assertThat(q.tokens()).isEqualTo(2);
    q.spend();
    q.spend();
    assertThat(q.hasToken()).isFalse();
    assertThat(r.inFlight()).isEqualTo(2);
    assertThat(q.concurrencyRoom()).isEqualTo(3);
    assertThat(q.nextTokenAt()).isEqualTo(NOW + 100);
    assertThat(q.whyWaiting()).isEqualTo(DecisionReason.TENANT_RATE);
    q.store(NOW);
    assertThat(r.bucket()).isEqualTo(new TokenBucket(0, NOW));
    // Full again 200 ms later: stored as none.
    Quota later = Quota.of("acme", quota(10, 2, 5, 1), r, new FairShare(1000, 0), false, NOW + 200);
    later.store(NOW + 200);
    assertThat(r.bucket()).isNull();
  }

  @Test
  void aTenantHeldBelowItsRateByFairShareSaysSo() {
    FairShare share = new FairShare(10, 0);
    share.backlogged("other", new FairShare.Demand(1, 10, 0));
    TenantRecord r = TenantRecord.empty();
    r.buffered(1); // backlogged too: the two split 10/s
    Quota q = Quota.of("acme", quota(10, 1, 5, 1), r, share, false, NOW);
    q.spend();
    assertThat(q.whyWaiting()).isEqualTo(DecisionReason.FAIR_SHARE);
    assertThat(q.nextTokenAt()).isEqualTo(NOW + 200);
  }

  @Test
  void aTenantAtItsConcurrencyWaitsForResultsNotTime() {
    TenantRecord r = TenantRecord.empty();
    r.dispatched();
    r.buffered(1);
    Quota q = Quota.of("acme", quota(10, 2, 1, 1), r, new FairShare(1000, 0), false, NOW);
    assertThat(q.whyWaiting()).isEqualTo(DecisionReason.TENANT_CONCURRENCY);
    q.store(NOW);
    assertThat(WAKE.next(r, quota(10, 2, 1, 1), q, DispatchPlanner.Plan.NONE, null, NOW)).isNull();
  }

  @Test
  void aBackloggedTenantWakesForItsNextTokenAndNeverSleepsLongerThanTheMaximum() {
    TenantRecord r = TenantRecord.empty();
    r.buffered(3);
    TenantSettings slow = quota(0.1, 1, 5, 1);
    Quota q = Quota.of("acme", slow, r, new FairShare(1000, 0), false, NOW);
    assertThat(WAKE.next(r, slow, q, DispatchPlanner.Plan.NONE, null, NOW)).isEqualTo(NOW + 1000);
    TenantSettings fast = quota(100, 1, 5, 1);
    Quota f = Quota.of("acme", fast, r, new FairShare(1000, 0), false, NOW);
    f.spend();
    assertThat(WAKE.next(r, fast, f, DispatchPlanner.Plan.NONE, null, NOW)).isEqualTo(NOW + 10);
    // A held call's latest start comes before the token.
    var held = new DispatchPlanner.Plan(List.of(), List.of(), NOW + 4, false, null);
    assertThat(WAKE.next(r, fast, f, held, null, NOW)).isEqualTo(NOW + 4);
  }

  @Test
  void tokensLeftYetWorkWaitingWakesForThePaceOrRightAwayPastTheScanLimit() {
    TenantRecord r = TenantRecord.empty();
    r.buffered(3);
    r.parked(3);
    TenantSettings t = quota(100, 10, 5, 1);
    Quota q = Quota.of("acme", t, r, new FairShare(1000, 0), false, NOW);
    assertThat(WAKE.next(r, t, q, DispatchPlanner.Plan.NONE, NOW + 50, NOW)).isEqualTo(NOW + 50);
    var limited = new DispatchPlanner.Plan(List.of(), List.of(), null, true, null);
    assertThat(WAKE.next(r, t, q, limited, NOW + 50, NOW)).isEqualTo(NOW + 1);
  }

  @Test
  void delayedCallsAndDeadlinesWakeTheTenantAndAnIdleOneWakesOnlyToForgetItsBucket() {
    TenantRecord r = TenantRecord.empty();
    r.delayed(1);
    r.nextDelayedAt(NOW + 500);
    r.nextDeadlineAt(NOW + 300);
    TenantSettings t = quota(10, 2, 5, 1);
    Quota q = Quota.of("acme", t, r, new FairShare(1000, 0), false, NOW);
    assertThat(WAKE.next(r, t, q, DispatchPlanner.Plan.NONE, null, NOW)).isEqualTo(NOW + 300);

    TenantRecord idle = TenantRecord.empty();
    Quota spent = Quota.of("acme", t, idle, new FairShare(1000, 0), false, NOW);
    spent.spend();
    idle.slotFreed();
    spent.store(NOW);
    assertThat(WAKE.next(idle, t, spent, DispatchPlanner.Plan.NONE, null, NOW))
        .isEqualTo(NOW + 100);
    assertThat(WAKE.next(TenantRecord.empty(), t, q, DispatchPlanner.Plan.NONE, null, NOW))
        .isNull();
  }
}
