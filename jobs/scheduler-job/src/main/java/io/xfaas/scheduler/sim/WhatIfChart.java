package io.xfaas.scheduler.sim;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A what-if report as a PNG: per tenant, queueing delay p50 and p99 as recorded and as changed
 * (bars, the tenants whose figures changed first); below, the executed load over time (calls
 * started per second) as recorded and as changed. Drawn with Java2D, headless, in the style of the
 * time-shifting benchmark's chart.
 */
public final class WhatIfChart {
  private static final Charts.Frame FRAME = new Charts.Frame(1200, 150, 30);
  private static final int TOP = 40;
  private static final int ROW = 34;
  private static final int LOAD = 300;
  private static final Color RECORDED = new Color(31, 119, 180);
  private static final Color CHANGED = new Color(255, 127, 14);

  private WhatIfChart() {}

  /** Writes {@code report}'s chart, with at most {@code tenants} tenants (0: all). */
  public static void write(Path png, WhatIfReport report, int tenants) throws IOException {
    List<String> all = report.tenants();
    List<String> names = tenants > 0 && all.size() > tenants ? all.subList(0, tenants) : all;
    int delayH = Math.max(1, names.size()) * ROW;
    int height = TOP + 30 + delayH + 40 + 30 + LOAD + 50;
    FRAME.write(
        png,
        height,
        g -> {
          g.setColor(Color.BLACK);
          g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
          String changes =
              report.changes().isEmpty() ? "no change" : String.join(", ", report.changes());
          g.drawString("What if: " + changes, 10, 24);
          int top = TOP + 30;
          delays(g, report, names, top);
          executed(g, report, FRAME.plot(top + delayH + 70, LOAD));
        });
  }

  /** Horizontal bars per tenant: p99 wide and light, p50 narrow and dark, recorded over changed. */
  private static void delays(Graphics2D g, WhatIfReport r, List<String> names, int top) {
    double max = 1;
    for (String t : names) {
      for (SimResult s : List.of(r.recorded(), r.changed())) {
        TenantFigures f = s.tenant(t);
        if (f != null) max = Math.max(max, f.delayP99Ms());
      }
    }
    max = Charts.niceCeiling(max);
    Charts.Plot plot = FRAME.plot(top, names.size() * ROW);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
    g.setColor(Color.BLACK);
    g.drawString(
        "Queueing delay per tenant, ms: p99 (light) and p50 (dark); recorded above, changed below",
        plot.left(),
        top - 8);
    delayAxis(g, plot, max);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    for (int i = 0; i < names.size(); i++) {
      String t = names.get(i);
      int y = top + i * ROW + 4;
      g.setColor(Color.BLACK);
      g.drawString(t.length() > 20 ? t.substring(0, 19) + "…" : t, 8, y + 17);
      bar(g, plot, r.recorded().tenant(t), RECORDED, y, max);
      bar(g, plot, r.changed().tenant(t), CHANGED, y + 13, max);
    }
    plot.frame(g);
    legend(g, top + 6);
  }

  private static void bar(
      Graphics2D g, Charts.Plot plot, TenantFigures f, Color c, int y, double max) {
    if (f == null) return;
    int p99 = (int) Math.round(f.delayP99Ms() / max * plot.width());
    int p50 = (int) Math.round(f.delayP50Ms() / max * plot.width());
    g.setColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 90));
    g.fillRect(plot.left(), y, Math.max(p99, 1), 12);
    g.setColor(c);
    g.fillRect(plot.left(), y + 3, Math.max(p50, 1), 6);
  }

  /** Calls started per second over time, recorded and changed, on one axis. */
  private static void executed(Graphics2D g, WhatIfReport r, Charts.Plot plot) {
    SimResult a = r.recorded();
    SimResult b = r.changed();
    int buckets = Math.max(1, Math.max(a.executed().size(), b.executed().size()));
    double max = 1;
    for (SimResult s : List.of(a, b)) {
      for (double rate : rates(s)) max = Math.max(max, rate);
    }
    max = Charts.niceCeiling(max);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
    g.setColor(Color.BLACK);
    g.drawString(
        String.format(
            Locale.ROOT,
            "Executed load, calls started per second (%.2f s buckets): recorded peak %d trough %d,"
                + " changed peak %d trough %d per bucket",
            a.bucketMs() / 1000.0,
            a.executedPeak(),
            a.executedTrough(),
            b.executedPeak(),
            b.executedTrough()),
        plot.left(),
        plot.top() - 8);
    plot.rateAxis(g, max, "%.0f/s");
    plot.timeAxis(g, buckets * a.bucketMs() / 1000.0);
    plot.line(g, RECORDED, rates(a), buckets, max);
    plot.line(g, CHANGED, rates(b), buckets, max);
    plot.frame(g);
    legend(g, plot.top() + 6);
  }

  /** A run's calls started per second, a bucket each. */
  private static double[] rates(SimResult s) {
    return s.executed().stream().mapToDouble(n -> n * 1000.0 / s.bucketMs()).toArray();
  }

  /** Vertical grid lines at quarters of {@code max} ms, labelled below the plot. */
  private static void delayAxis(Graphics2D g, Charts.Plot plot, double max) {
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    for (int k = 0; k <= 4; k++) {
      int x = plot.left() + k * plot.width() / 4;
      g.setColor(Charts.GRID);
      g.drawLine(x, plot.top(), x, plot.bottom());
      g.setColor(Color.DARK_GRAY);
      g.drawString(String.format(Locale.ROOT, "%.0f ms", max * k / 4), x - 14, plot.bottom() + 16);
    }
  }

  private static void legend(Graphics2D g, int top) {
    Charts.legend(
        g,
        FRAME.width() - FRAME.right() - 120,
        top,
        new Charts.Swatch(4, 8, 13),
        List.of(Map.entry(RECORDED, "recorded"), Map.entry(CHANGED, "changed")));
  }
}
