package io.xfaas.scheduler.buffer;

import io.xfaas.records.Invocation;
import io.xfaas.records.Outcome;
import io.xfaas.records.SerializedOutcome;

/**
 * What reaches a tenant's FuncBuffer: exactly one of an invocation to schedule, the id of one to
 * cancel, or the terminal result of one it dispatched (which frees its concurrency slot), as the
 * outcome the sidecar wrote.
 */
public record TenantEvent(
    String tenant, Invocation invocation, String cancelId, SerializedOutcome result) {

  public static TenantEvent invocation(Invocation inv) {
    return new TenantEvent(inv.tenant(), inv, null, null);
  }

  public static TenantEvent cancel(String tenant, String id) {
    return new TenantEvent(tenant, null, id, null);
  }

  /** A result without a tenant (not from a sidecar of ours) goes under the empty tenant. */
  public static TenantEvent result(String tenant, SerializedOutcome outcome) {
    return new TenantEvent(tenant == null ? "" : tenant, null, null, outcome);
  }

  /** The result a sidecar writes for {@code outcome}. */
  public static TenantEvent result(Outcome outcome) {
    return result(outcome.tenant(), SerializedOutcome.of(outcome));
  }
}
