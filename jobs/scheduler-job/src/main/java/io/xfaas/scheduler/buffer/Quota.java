package io.xfaas.scheduler.buffer;

import io.xfaas.records.DecisionReason;
import io.xfaas.records.TenantSettings;

/**
 * A tenant's quota for one event, in one place: its fair-share rate, its token bucket refilled to
 * now, and its concurrency. Both the fast path and the buffer's dispatches {@link #spend} it;
 * {@link #store} writes the bucket back to the tenant's record.
 */
public final class Quota {
  private final TenantSettings settings;
  private final TenantRecord record;
  private final FairShare.Demand demand;
  private final double rate;
  private TokenBucket bucket;

  private Quota(
      TenantSettings settings,
      TenantRecord record,
      FairShare.Demand demand,
      double rate,
      TokenBucket b) {
    this.settings = settings;
    this.record = record;
    this.demand = demand;
    this.rate = rate;
    this.bucket = b;
  }

  /**
   * The quota of {@code tenant} at {@code now}. A tenant with calls in its buffer reports itself
   * backlogged first, with its current settings, so that its share counts them.
   *
   * @param holding whether the region holds DEFERRABLE work: opportunistic quota waits with it
   */
  public static Quota of(
      String tenant,
      TenantSettings settings,
      TenantRecord record,
      FairShare fairShare,
      boolean holding,
      long now) {
    FairShare.Demand demand = demand(settings, holding);
    if (record.buffered() > 0) fairShare.backlogged(tenant, demand);
    double rate = fairShare.rate(tenant, demand, now);
    TokenBucket b = record.bucket();
    b =
        (b == null ? TokenBucket.full(settings.burst(), now) : b)
            .refill(now, rate, settings.burst());
    return new Quota(settings, record, demand, rate, b);
  }

  /** What a tenant asks of the subtask's capacity. */
  public static FairShare.Demand demand(TenantSettings t, boolean holding) {
    return new FairShare.Demand(t.weight(), t.rate(), holding ? 0 : t.opportunisticRate());
  }

  public FairShare.Demand demand() {
    return demand;
  }

  /** Calls that may still start before the concurrency limit. */
  public int concurrencyRoom() {
    return settings.concurrency() - record.inFlight();
  }

  public boolean hasToken() {
    return bucket.hasToken();
  }

  /** Whole tokens in the bucket. */
  public int tokens() {
    return bucket.whole();
  }

  /** One call goes: a token (the bucket may go negative for a call due by its deadline), a slot. */
  public void spend() {
    bucket = bucket.take();
    record.dispatched();
  }

  public long nextTokenAt() {
    return bucket.nextTokenAt(rate);
  }

  /** When the bucket is full again: from then on it is the same as none. */
  public long fullAt() {
    return bucket.fullAt(rate, settings.burst());
  }

  /** Why a call that could not go waits, as far as the quota tells. */
  public DecisionReason whyWaiting() {
    if (record.inFlight() >= settings.concurrency()) return DecisionReason.TENANT_CONCURRENCY;
    if (!bucket.hasToken()) {
      return rate < settings.rate() ? DecisionReason.FAIR_SHARE : DecisionReason.TENANT_RATE;
    }
    return DecisionReason.BEHIND_EARLIER_CALLS;
  }

  /** Writes the bucket to the record; a full one is dropped. */
  public void store(long now) {
    record.bucket(fullAt() <= now ? null : bucket);
  }
}
