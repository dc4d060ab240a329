package io.xfaas.scheduler.buffer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits a dispatch capacity between the backlogged tenants of one scheduler subtask. Reserved
 * rates come first, shared by weighted max-min fairness (a tenant never gets more than it asks;
 * what it leaves is shared by the others' weights); opportunistic rates are then served from what
 * capacity remains, by the same rule. When everything asked fits, everyone gets it all.
 *
 * <p>Operator-level, not keyed state: it is rebuilt as tenants report themselves backlogged, which
 * every backlogged tenant does at its next timer after a restore.
 */
public final class FairShare {
  private final double capacity;
  private final Map<String, Demand> backlogged = new HashMap<>();
  private Map<String, Double> allocation = Map.of();
  private boolean dirty;

  /** What one backlogged tenant asks for. */
  public record Demand(double weight, double reserved, double opportunistic) {}

  public FairShare(double capacityPerSecond) {
    this.capacity = capacityPerSecond;
  }

  public void backlogged(String tenant, Demand demand) {
    if (!demand.equals(backlogged.put(tenant, demand))) dirty = true;
  }

  public void updateIfBacklogged(String tenant, Demand demand) {
    if (backlogged.containsKey(tenant)) backlogged(tenant, demand);
  }

  public void idle(String tenant) {
    if (backlogged.remove(tenant) != null) dirty = true;
  }

  public int backloggedTenants() {
    return backlogged.size();
  }

  /** The rate {@code tenant} may dispatch at now; its full demand when it is not backlogged. */
  public double rate(String tenant, Demand ifUnknown) {
    if (dirty) recompute();
    Double r = allocation.get(tenant);
    return r != null ? r : Math.min(capacity, ifUnknown.reserved() + ifUnknown.opportunistic());
  }

  private void recompute() {
    dirty = false;
    double asked = 0;
    for (Demand d : backlogged.values()) asked += d.reserved() + d.opportunistic();
    Map<String, Double> out = new HashMap<>();
    if (asked <= capacity) {
      backlogged.forEach((t, d) -> out.put(t, d.reserved() + d.opportunistic()));
    } else {
      double left = share(capacity, Demand::reserved, out);
      Map<String, Double> extra = new HashMap<>();
      share(left, Demand::opportunistic, extra);
      extra.forEach((t, r) -> out.merge(t, r, Double::sum));
    }
    allocation = out;
  }

  /** Weighted max-min fair split of {@code cap}; returns what is left over. */
  private double share(
      double cap, java.util.function.ToDoubleFunction<Demand> want, Map<String, Double> out) {
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
