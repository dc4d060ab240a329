package io.xfaas.gtc;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * One source region's shares as a lookup: an invocation id maps to a destination region, in
 * proportion to the shares. The choice is a hash of the id, not a random draw, so a re-submission
 * of the same id lands in the same region and that region's scheduler drops it as a duplicate.
 * Immutable.
 */
public final class RoutingTable {
  /** Shares that do not sum to 1 within this are not a traffic matrix row: route locally. */
  static final double SUM_TOLERANCE = 1e-3;

  private final String local;
  private final String[] regions;
  private final double[] cumulative;
  private final long version; // the decision's, or -1 for the local table

  private RoutingTable(String local, String[] regions, double[] cumulative, long version) {
    this.local = local;
    this.regions = regions;
    this.cumulative = cumulative;
    this.version = version;
  }

  /** Everything stays in {@code local}: the table without any decision. */
  public static RoutingTable local(String local) {
    return new RoutingTable(local, new String[] {local}, new double[] {1.0}, -1);
  }

  /**
   * The table of {@code shares}, or the local table when they are not a valid row (negative, not
   * finite, or not summing to 1).
   */
  public static RoutingTable of(String local, Map<String, Double> shares, long version) {
    if (shares == null || shares.isEmpty()) return local(local);
    TreeMap<String, Double> sorted = new TreeMap<>();
    double sum = 0;
    for (Map.Entry<String, Double> e : shares.entrySet()) {
      Double s = e.getValue();
      if (e.getKey() == null || s == null || !Double.isFinite(s) || s < 0) return local(local);
      if (s > 0) sorted.put(e.getKey(), s);
      sum += s;
    }
    if (sorted.isEmpty() || Math.abs(sum - 1.0) > SUM_TOLERANCE) return local(local);
    String[] regions = sorted.keySet().toArray(new String[0]);
    double[] cumulative = new double[regions.length];
    double acc = 0;
    for (int i = 0; i < regions.length; i++) {
      acc += sorted.get(regions[i]) / sum;
      cumulative[i] = acc;
    }
    cumulative[regions.length - 1] = 1.0; // rounding must never leave a gap at the top
    return new RoutingTable(local, regions, cumulative, version);
  }

  /** The destination region of the invocation {@code id}. */
  public String route(String id) {
    if (regions.length == 1) return regions[0];
    double u = unit(id);
    for (int i = 0; i < cumulative.length; i++) {
      if (u < cumulative[i]) return regions[i];
    }
    return regions[regions.length - 1];
  }

  /** Destination region to share; regions with no share are absent. */
  public Map<String, Double> shares() {
    Map<String, Double> m = new TreeMap<>();
    double prev = 0;
    for (int i = 0; i < regions.length; i++) {
      m.put(regions[i], cumulative[i] - prev);
      prev = cumulative[i];
    }
    return m;
  }

  /** True when everything stays local. */
  public boolean isLocalOnly() {
    return regions.length == 1 && regions[0].equals(local);
  }

  /**
   * A uniform point in [0, 1) from the id: FNV-1a over its UTF-8 bytes, then a 64-bit mix so that
   * ids differing in their last character spread over the whole range.
   */
  static double unit(String id) {
    long h = 0xcbf29ce484222325L;
    for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return (h >>> 11) * 0x1.0p-53;
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("RoutingTable{").append(local).append(" v").append(version);
    double prev = 0;
    for (int i = 0; i < regions.length; i++) {
      s.append(' ').append(regions[i]).append('=').append(cumulative[i] - prev);
      prev = cumulative[i];
    }
    return s.append('}').toString();
  }
}
