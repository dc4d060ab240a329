package io.xfaas.scheduler.buffer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Splits a dispatch capacity between the backlogged tenants of one scheduler subtask. Reserved
 * rates come first, shared by weighted max-min fairness (a tenant never gets more than it asks;
 * what it leaves is shared by the others' weights); opportunistic rates are then served from what
 * capacity remains, by the same rule. When everything asked fits, everyone gets it all.
 *
 * <p>Cheap on the hot path: the sums of demands and weights are kept as tenants come and go, so an
 * uncontended subtask answers in O(1). Under contention the split is recomputed (O(n log n)) at
 * most once per {@code recomputeEveryMs}; a tenant that became backlogged since then gets its plain
 * weighted share meanwhile.
 *
 * <p>Operator-level, not keyed state: it is rebuilt as tenants report themselves backlogged, which
 * every backlogged tenant does at its next timer after a restore.
 */
public final class FairShare {
  private double capacity;
  private final long recomputeEveryMs;
  private final Map<String, Demand> backlogged = new HashMap<>();
  private double askedTotal;
  private double weightTotal;
  private Map<String, Double> allocation = Map.of();
  private boolean dirty;
  private long computedAt = Long.MIN_VALUE / 2; // "long ago", without overflow in now - computedAt

  /** What one backlogged tenant asks for. */
  public record Demand(double weight, double reserved, double opportunistic) {
    double total() {
      return reserved + opportunistic;
    }
  }

  public FairShare(double capacityPerSecond, long recomputeEveryMs) {
    this.capacity = capacityPerSecond;
    this.recomputeEveryMs = recomputeEveryMs;
  }

  /** A new capacity (measured from the sidecars); shares follow at the next recompute. */
  public void capacity(double capacityPerSecond) {
    if (capacityPerSecond == capacity) return;
    capacity = capacityPerSecond;
    dirty = true;
  }

  public void backlogged(String tenant, Demand demand) {
    Demand old = backlogged.put(tenant, demand);
    if (demand.equals(old)) return;
    if (old != null) forget(old);
    askedTotal += demand.total();
    weightTotal += demand.weight();
    dirty = true;
  }

  public void updateIfBacklogged(String tenant, Demand demand) {
    if (backlogged.containsKey(tenant)) backlogged(tenant, demand);
  }

  public void idle(String tenant) {
    Demand old = backlogged.remove(tenant);
    if (old != null) {
      forget(old);
      dirty = true;
    }
  }

  private void forget(Demand d) {
    askedTotal -= d.total();
    weightTotal -= d.weight();
    if (backlogged.isEmpty()) askedTotal = weightTotal = 0; // no drift from float sums
  }

  public int backloggedTenants() {
    return backlogged.size();
  }

  /** The rate {@code tenant} may dispatch at, at {@code now}. */
  public double rate(String tenant, Demand demand, long now) {
    if (askedTotal <= capacity) return Math.min(capacity, demand.total());
    if (dirty && now - computedAt >= recomputeEveryMs) {
      recompute();
      computedAt = now;
    }
    Double r = allocation.get(tenant);
    if (r != null) return r;
    double share = weightTotal > 0 ? capacity * demand.weight() / weightTotal : capacity;
    return Math.min(demand.total(), share);
  }

  private void recompute() {
    dirty = false;
    Map<String, Double> out = new HashMap<>();
    double left = share(capacity, Demand::reserved, out);
    Map<String, Double> extra = new HashMap<>();
    share(left, Demand::opportunistic, extra);
    extra.forEach((t, r) -> out.merge(t, r, Double::sum));
    allocation = out;
  }

  /** Weighted max-min fair split of {@code cap}; returns what is left over. */
  private double share(double cap, ToDoubleFunction<Demand> want, Map<String, Double> out) {
    List<Map.Entry<String, Demand>> order = new ArrayList<>(backlogged.entrySet());
    order.sort(
        Comparator.comparingDouble(e -> want.applyAsDouble(e.getValue()) / e.getValue().weight()));
    double weights = 0;
    for (Map.Entry<String, Demand> e : order) weights += e.getValue().weight();
    double left = cap;
    for (Map.Entry<String, Demand> e : order) {
      Demand d = e.getValue();
      double fair = weights > 0 ? left * d.weight() / weights : 0;
      double give = Math.min(want.applyAsDouble(d), fair);
      out.put(e.getKey(), give);
      left -= give;
      weights -= d.weight();
    }
    return Math.max(0, left);
  }
}
