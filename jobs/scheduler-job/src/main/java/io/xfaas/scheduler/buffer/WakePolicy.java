package io.xfaas.scheduler.buffer;

import io.xfaas.records.TenantSettings;

/**
 * When a tenant's FuncBuffer next needs to look at its quota, given what the last look left: one
 * timer per tenant at most, none for an idle tenant.
 */
public final class WakePolicy {
  private final long maxWaitMs;

  /**
   * @param maxWaitMs longest a backlogged tenant sleeps, so that a new rate or a freed share
   *     applies within this time
   */
  public WakePolicy(long maxWaitMs) {
    this.maxWaitMs = maxWaitMs;
  }

  /**
   * @param quota the tenant's quota after the dispatches; null when it has no settings
   * @param paceAt the earliest token of a paced function; null when none is paced
   */
  public Long next(
      TenantRecord r,
      TenantSettings settings,
      Quota quota,
      DispatchPlanner.Plan plan,
      Long paceAt,
      long now) {
    Long next = null;
    if (quota != null && r.buffered() > 0 && r.inFlight() < settings.concurrency()) {
      long wake;
      if (!quota.hasToken()) {
        wake = quota.nextTokenAt();
        // A held call due by its latest start goes without a token: wake for it.
        if (plan.heldUntil() != null) wake = Math.min(wake, Math.max(now + 1, plan.heldUntil()));
      } else {
        // Tokens left, yet work waits: parked behind a pace, held, or past the scan limit.
        wake = plan.scanLimited() ? now + 1 : now + maxWaitMs;
        if (r.parked() > 0) wake = Math.min(wake, Math.max(now + 1, paceAt == null ? now : paceAt));
        if (plan.heldUntil() != null) wake = Math.min(wake, Math.max(now + 1, plan.heldUntil()));
      }
      next = Math.min(wake, now + maxWaitMs);
    }
    if (r.waiting() > 0) {
      next = earliest(next, r.nextDelayedAt());
      next = earliest(next, r.nextDeadlineAt());
    } else if (quota != null && r.inFlight() == 0 && r.bucket() != null) {
      // Nothing else keeps the record: wake when the bucket is full, to forget it.
      next = earliest(next, Math.max(now + 1, quota.fullAt()));
    }
    return next;
  }

  static Long earliest(Long a, Long b) {
    if (a == null) return b;
    if (b == null) return a;
    return Math.min(a, b);
  }
}
