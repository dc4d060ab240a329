package io.xfaas.bench;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One throughput figure: the runs behind it and their medians.
 *
 * @param name what was measured, as printed
 * @param tenants tenants the workload spreads over (0 when it does not apply)
 */
public record Throughput(String name, int tenants, List<Run> runs) {

  /**
   * One run.
   *
   * @param records records moved
   * @param nanos how long it took
   * @param tenantsTouched distinct tenants among them
   * @param cpuNanos CPU per component over the run
   * @param complete false when the run hit its time limit before moving every record
   */
  public record Run(
      long records,
      long nanos,
      long tenantsTouched,
      Map<Component, Long> cpuNanos,
      boolean complete) {
    public double rate() {
      return records / (nanos / 1e9);
    }
  }

  public Throughput {
    runs = List.copyOf(runs);
  }

  public double medianRate() {
    List<Double> r = new ArrayList<>();
    runs.forEach(x -> r.add(x.rate()));
    return Stats.median(r);
  }

  public long medianRecords() {
    List<Double> r = new ArrayList<>();
    runs.forEach(x -> r.add((double) x.records()));
    return (long) Stats.median(r);
  }

  public long medianTenantsTouched() {
    List<Double> r = new ArrayList<>();
    runs.forEach(x -> r.add((double) x.tenantsTouched()));
    return (long) Stats.median(r);
  }

  public boolean allComplete() {
    return runs.stream().allMatch(Run::complete);
  }

  /** Median CPU microseconds per record, per component; empty when CPU was not measured. */
  public Map<Component, Double> cpuMicrosPerRecord() {
    Map<Component, Double> out = new EnumMap<>(Component.class);
    if (runs.stream().anyMatch(r -> r.cpuNanos() == null || r.cpuNanos().isEmpty())) return out;
    for (Component c : Component.values()) {
      List<Double> v = new ArrayList<>();
      for (Run r : runs) v.add(r.cpuNanos().getOrDefault(c, 0L) / 1000.0 / r.records());
      out.put(c, Stats.median(v));
    }
    return out;
  }
}
