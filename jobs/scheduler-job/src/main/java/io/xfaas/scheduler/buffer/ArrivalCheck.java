package io.xfaas.scheduler.buffer;

import io.xfaas.records.Invocation;
import io.xfaas.records.ReasonCode;
import io.xfaas.records.TenantSettings;

/**
 * What becomes of an arriving invocation, before any quota: plain rules on what is remembered of
 * its id, the tenant's settings and how much the tenant has waiting.
 */
public final class ArrivalCheck {
  private ArrivalCheck() {}

  /** The fates of an arrival. */
  public sealed interface Arrival {
    /** An attempt already seen: dropped. */
    record Duplicate() implements Arrival {}

    /** A cancel came first. */
    record Cancelled(Invocation inv) implements Arrival {}

    record Rejected(Invocation inv, ReasonCode reason, String detail) implements Arrival {}

    /** Its deadline (given or the tenant's default) has passed. */
    record Expired(Invocation inv) implements Arrival {}

    /** Waits for its notBefore. */
    record Delayed(Invocation inv) implements Arrival {}

    /** Due, but others wait before it: into the buffer. */
    record Queued(Invocation inv) implements Arrival {}

    /** Due and nothing waits: it may go at once if the quota lets it. */
    record TryNow(Invocation inv) implements Arrival {}
  }

  /**
   * @param previous what is remembered of the id; null when nothing
   * @param tenant the tenant's settings; null when it has none
   * @param waiting calls the tenant has waiting
   */
  public static Arrival check(
      Invocation inv, CallEntry previous, TenantSettings tenant, int waiting, long now) {
    if (previous != null && previous.is(CallEntry.Status.CANCELLED_EARLY)) {
      return new Arrival.Cancelled(inv);
    }
    if (previous != null && previous.attempt() >= inv.attempt()) return new Arrival.Duplicate();
    if (tenant == null) {
      return new Arrival.Rejected(
          inv, ReasonCode.UNKNOWN_TENANT, "tenant '" + inv.tenant() + "' has no settings");
    }
    if (!tenant.allows(inv.function())) {
      return new Arrival.Rejected(
          inv,
          ReasonCode.UNKNOWN_FUNCTION,
          "function '" + inv.function() + "' is not allowed for tenant '" + inv.tenant() + "'");
    }
    if (inv.deadline() == null && tenant.defaultDeadlineMs() != null) {
      inv = withDeadline(inv, inv.submittedAt() + tenant.defaultDeadlineMs());
    }
    if (inv.deadline() != null && inv.deadline() <= now) return new Arrival.Expired(inv);
    if (waiting >= tenant.bufferBound()) {
      return new Arrival.Rejected(
          inv,
          ReasonCode.BUFFER_FULL,
          "FuncBuffer of tenant '"
              + inv.tenant()
              + "' holds "
              + waiting
              + " (bound "
              + tenant.bufferBound()
              + ")");
    }
    if (inv.notBefore() != null && inv.notBefore() > now) return new Arrival.Delayed(inv);
    return waiting == 0 ? new Arrival.TryNow(inv) : new Arrival.Queued(inv);
  }

  private static Invocation withDeadline(Invocation inv, long deadline) {
    return new Invocation(
        inv.id(),
        inv.tenant(),
        inv.function(),
        inv.criticality(),
        inv.priority(),
        inv.submittedAt(),
        inv.notBefore(),
        deadline,
        inv.attempt(),
        inv.maxAttempts(),
        inv.payload(),
        inv.attributes(),
        inv.dispatchedAt(),
        inv.extra());
  }
}
