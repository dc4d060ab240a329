package io.xfaas.scheduler.sim;

import io.xfaas.serde.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.ToLongFunction;

/**
 * A window simulated twice, as recorded and as changed, per tenant side by side: a table for the
 * terminal ({@link #rows}), a markdown page and JSON for scripts.
 *
 * @param window what was simulated, in words (the trace and its options)
 * @param changes the changes, as given
 * @param recorded the run with the recorded settings and capacity
 * @param changed the run with the changes
 */
public record WhatIfReport(
    String window, List<String> changes, SimResult recorded, SimResult changed) {

  /** Runs {@code calls} under both setups. */
  public static WhatIfReport run(
      String window,
      List<String> changes,
      PolicySimulator.Setup recorded,
      PolicySimulator.Setup changed,
      List<SimCall> calls) {
    return new WhatIfReport(
        window,
        List.copyOf(changes),
        PolicySimulator.run(recorded, calls),
        PolicySimulator.run(changed, calls));
  }

  private record Column(String name, ToLongFunction<TenantFigures> value) {}

  private static final List<Column> COLUMNS =
      List.of(
          new Column("arrived", TenantFigures::arrived),
          new Column("dispatched", TenantFigures::dispatched),
          new Column("throttled", TenantFigures::throttled),
          new Column("deferred", TenantFigures::deferred),
          new Column("expired", TenantFigures::expired),
          new Column("rejected", TenantFigures::rejected),
          new Column("unfinished", TenantFigures::unfinished),
          new Column("delay p50 ms", TenantFigures::delayP50Ms),
          new Column("delay p99 ms", TenantFigures::delayP99Ms),
          new Column("start p99 ms", TenantFigures::startP99Ms),
          new Column("deadline misses", TenantFigures::deadlineMisses));

  private static final TenantFigures NONE =
      new TenantFigures("", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

  /** Every tenant of either run: the ones whose figures changed first, then by calls. */
  public List<String> tenants() {
    Set<String> all = new TreeSet<>();
    recorded.tenants().forEach(t -> all.add(t.tenant()));
    changed.tenants().forEach(t -> all.add(t.tenant()));
    List<String> out = new ArrayList<>(all);
    out.sort(
        Comparator.comparing((String t) -> !differs(t))
            .thenComparing(t -> -figures(recorded, t).arrived())
            .thenComparing(Comparator.naturalOrder()));
    return out;
  }

  /** Whether any figure of {@code tenant} differs between the runs. */
  public boolean differs(String tenant) {
    TenantFigures a = figures(recorded, tenant);
    TenantFigures b = figures(changed, tenant);
    return COLUMNS.stream().anyMatch(c -> c.value.applyAsLong(a) != c.value.applyAsLong(b));
  }

  private static TenantFigures figures(SimResult r, String tenant) {
    TenantFigures f = r.tenant(tenant);
    return f != null ? f : NONE;
  }

  /**
   * The table: a header, then at most {@code limit} tenants (0: all). A cell is one number when
   * both runs agree, {@code recorded -> changed} when they do not.
   */
  public List<String[]> rows(int limit) {
    List<String[]> rows = new ArrayList<>();
    String[] header = new String[COLUMNS.size() + 1];
    header[0] = "tenant";
    for (int i = 0; i < COLUMNS.size(); i++) header[i + 1] = COLUMNS.get(i).name;
    rows.add(header);
    List<String> tenants = tenants();
    if (limit > 0 && tenants.size() > limit) tenants = tenants.subList(0, limit);
    for (String t : tenants) {
      String[] row = new String[COLUMNS.size() + 1];
      row[0] = t;
      TenantFigures a = figures(recorded, t);
      TenantFigures b = figures(changed, t);
      for (int i = 0; i < COLUMNS.size(); i++) {
        long x = COLUMNS.get(i).value.applyAsLong(a);
        long y = COLUMNS.get(i).value.applyAsLong(b);
        row[i + 1] = x == y ? Long.toString(x) : x + " -> " + y;
      }
      rows.add(row);
    }
    return rows;
  }

  /** One line per run on the region: slots, executed peak and trough, time taken. */
  public List<String> summary() {
    return List.of(summary("recorded", recorded), summary("changed ", changed));
  }

  private static String summary(String name, SimResult r) {
    return String.format(
        Locale.ROOT,
        "%s: %d calls, %s sidecar slots, executed per %d ms peak %d trough %d; %.1f s simulated"
            + " in %.2f s",
        name,
        r.calls(),
        r.slots() > 0 ? Integer.toString(r.slots()) : "unlimited",
        r.bucketMs(),
        r.executedPeak(),
        r.executedTrough(),
        r.simulatedMs() / 1000.0,
        r.tookMs() / 1000.0);
  }

  /** The report as a markdown page: the window, the changes, the region, every tenant. */
  public String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("# What if: ").append(changes.isEmpty() ? "no change" : String.join(", ", changes));
    md.append("\n\n").append(window).append("\n\n");
    md.append("Each cell is `recorded -> changed` where the runs differ, one number where they")
        .append(" agree.\n\n");
    for (String s : summary()) md.append("- ").append(s.strip()).append('\n');
    md.append('\n');
    MarkdownTable.append(md, rows(0));
    return md.toString();
  }

  public String json() {
    return Json.pretty(this);
  }
}
