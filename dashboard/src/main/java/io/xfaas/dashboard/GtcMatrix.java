package io.xfaas.dashboard;

import io.xfaas.records.GtcDecision;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The GTC's latest traffic matrix, from its decisions topic ({@link GtcDecision}, one row per
 * source region): each region's share of new work sent to each region, its own share (the identity,
 * when nothing moves) included. Not thread-safe: {@link DashboardModel} guards it.
 */
public final class GtcMatrix {
  private final Map<String, GtcDecision> rows = new TreeMap<>();
  private long decisions;

  void add(GtcDecision d) {
    if (d.sourceRegion() == null) return;
    decisions++;
    GtcDecision before = rows.get(d.sourceRegion());
    if (before == null || before.version() <= d.version()) rows.put(d.sourceRegion(), d);
  }

  Gtc summary() {
    if (rows.isEmpty()) return new Gtc(0, 0, 0, List.of(), List.of(), "no GTC decisions yet");
    long version = rows.values().stream().mapToLong(GtcDecision::version).max().orElse(0);
    long decidedAt = rows.values().stream().mapToLong(GtcDecision::decidedAt).max().orElse(0);
    TreeSet<String> columns = new TreeSet<>(rows.keySet());
    rows.values().forEach(d -> columns.addAll(d.shares().keySet()));
    List<GtcRow> out = new ArrayList<>();
    rows.values()
        .forEach(
            d ->
                out.add(
                    new GtcRow(
                        d.sourceRegion(), new TreeMap<>(d.shares()), d.reason(), d.version())));
    return new Gtc(
        decisions,
        version,
        decidedAt,
        List.copyOf(columns),
        out,
        "matrix " + version + ", decided " + decidedAt);
  }

  /** One source region's row: the share of its new work each region gets, and why. */
  public record GtcRow(String source, Map<String, Double> shares, String reason, long version) {}

  /**
   * The matrix: decisions read, the newest matrix's version and time, the regions (columns) and a
   * row per source region; {@code note} says what there is.
   */
  public record Gtc(
      long decisions,
      long version,
      long decidedAt,
      List<String> regions,
      List<GtcRow> rows,
      String note) {}
}
