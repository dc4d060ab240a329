package io.xfaas.scheduler.sim;

import io.xfaas.serde.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A simulation against what a region actually did, per tenant: dispatched, expired and rejected
 * must be equal, and queueing delay p50 and p99 within {@code tolerance} (a fraction) of the
 * actual, or within {@code slackMs} of it, whichever is wider (a delay of a few ms is all Kafka's
 * hops and cannot be within 15 % of itself).
 *
 * @param rows one per tenant of either side, by name
 * @param tolerance the relative bound on delays, e.g. 0.15
 * @param slackMs the absolute bound on delays
 */
public record FidelityCheck(List<Row> rows, double tolerance, long slackMs) {

  /**
   * One tenant.
   *
   * @param countsEqual dispatched, expired and rejected are the same
   * @param delaysWithin p50 and p99 are within the bounds
   */
  public record Row(
      String tenant,
      TenantFigures actual,
      TenantFigures simulated,
      boolean countsEqual,
      boolean delaysWithin) {
    public boolean passed() {
      return countsEqual && delaysWithin;
    }
  }

  public FidelityCheck {
    rows = List.copyOf(rows);
  }

  private static final TenantFigures NONE =
      new TenantFigures("", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

  /** Compares {@code simulated} with {@code actual}, tenant by tenant. */
  public static FidelityCheck compare(
      List<TenantFigures> actual, SimResult simulated, double tolerance, long slackMs) {
    Map<String, TenantFigures[]> both = new TreeMap<>();
    for (TenantFigures a : actual) both.computeIfAbsent(a.tenant(), t -> pair())[0] = a;
    for (TenantFigures s : simulated.tenants()) {
      both.computeIfAbsent(s.tenant(), t -> pair())[1] = s;
    }
    List<Row> rows = new ArrayList<>();
    both.forEach(
        (t, p) -> {
          TenantFigures a = p[0];
          TenantFigures s = p[1];
          boolean counts =
              a.dispatched() == s.dispatched()
                  && a.expired() == s.expired()
                  && a.rejected() == s.rejected();
          boolean delays =
              within(a.delayP50Ms(), s.delayP50Ms(), tolerance, slackMs)
                  && within(a.delayP99Ms(), s.delayP99Ms(), tolerance, slackMs);
          rows.add(new Row(t, a, s, counts, delays));
        });
    return new FidelityCheck(rows, tolerance, slackMs);
  }

  private static TenantFigures[] pair() {
    return new TenantFigures[] {NONE, NONE};
  }

  /** Whether {@code simulated} is within the bounds of {@code actual}. */
  public static boolean within(long actual, long simulated, double tolerance, long slackMs) {
    return Math.abs(simulated - actual) <= Math.max(tolerance * actual, slackMs);
  }

  /** The simulation's error on a delay, relative to the actual one; 0 when both are 0. */
  public static double error(long actual, long simulated) {
    if (actual == 0) return simulated == 0 ? 0 : Double.POSITIVE_INFINITY;
    return (double) (simulated - actual) / actual;
  }

  public boolean passed() {
    return rows.stream().allMatch(Row::passed);
  }

  public Row row(String tenant) {
    return rows.stream().filter(r -> r.tenant().equals(tenant)).findFirst().orElse(null);
  }

  /** The table: a header, then one row per tenant; each cell {@code actual / simulated}. */
  public List<String[]> table() {
    List<String[]> out = new ArrayList<>();
    out.add(
        new String[] {
          "tenant",
          "arrived",
          "dispatched",
          "expired",
          "rejected",
          "delay p50 ms",
          "p50 error",
          "delay p99 ms",
          "p99 error",
          "fidelity"
        });
    for (Row r : rows) {
      TenantFigures a = r.actual();
      TenantFigures s = r.simulated();
      out.add(
          new String[] {
            r.tenant(),
            Long.toString(Math.max(a.arrived(), s.arrived())),
            pair(a.dispatched(), s.dispatched()),
            pair(a.expired(), s.expired()),
            pair(a.rejected(), s.rejected()),
            pair(a.delayP50Ms(), s.delayP50Ms()),
            percent(error(a.delayP50Ms(), s.delayP50Ms())),
            pair(a.delayP99Ms(), s.delayP99Ms()),
            percent(error(a.delayP99Ms(), s.delayP99Ms())),
            r.passed() ? "ok" : !r.countsEqual() ? "COUNTS DIFFER" : "DELAY OFF"
          });
    }
    return out;
  }

  private static String pair(long actual, long simulated) {
    return actual == simulated ? Long.toString(actual) : actual + " / " + simulated;
  }

  private static String percent(double e) {
    return Double.isInfinite(e) ? "-" : String.format(Locale.ROOT, "%+.1f %%", 100 * e);
  }

  /** One line: how many tenants passed, and the bounds. */
  public String summary() {
    long ok = rows.stream().filter(Row::passed).count();
    return String.format(
        Locale.ROOT,
        "fidelity: %d of %d tenants within bounds (counts equal; delay p50/p99 within %.0f %% or"
            + " %d ms): %s",
        ok,
        rows.size(),
        100 * tolerance,
        slackMs,
        passed() ? "PASSED" : "FAILED");
  }

  public String markdown() {
    StringBuilder md = new StringBuilder("# What if: validation, no change\n\n");
    md.append(summary()).append("\n\nEach cell is `actual / simulated` where they differ.\n\n");
    MarkdownTable.append(md, table());
    return md.toString();
  }

  public String json() {
    return Json.pretty(this);
  }
}
