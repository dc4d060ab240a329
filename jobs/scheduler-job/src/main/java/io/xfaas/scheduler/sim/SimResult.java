package io.xfaas.scheduler.sim;

import java.util.List;

/**
 * One simulated run of a window.
 *
 * @param tenants per tenant, by name
 * @param slots the sidecar slots modelled (0: no limit)
 * @param calls calls in the window
 * @param bucketMs width of the buckets the executed load is counted in
 * @param executedPeak most calls started on the sidecars in one bucket of the window
 * @param executedTrough fewest calls started in one bucket of the window
 * @param executed calls started in each bucket, from the window's start to the last start: the
 *     executed load over time
 * @param simulatedMs simulated time, from the window's start until the last call finished, expired
 *     or was refused
 * @param tookMs wall time the simulation took
 */
public record SimResult(
    List<TenantFigures> tenants,
    int slots,
    long calls,
    long bucketMs,
    long executedPeak,
    long executedTrough,
    List<Long> executed,
    long simulatedMs,
    long tookMs) {

  public SimResult {
    tenants = List.copyOf(tenants);
    executed = List.copyOf(executed);
  }

  public TenantFigures tenant(String name) {
    return tenants.stream().filter(t -> t.tenant().equals(name)).findFirst().orElse(null);
  }
}
