package io.xfaas.bench.timeshift;

import io.xfaas.bench.timeshift.TimeshiftAnalysis.RunSummary;
import io.xfaas.scheduler.sim.Charts;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark's chart: one panel per run (controller off, on), received (arrivals), dispatched
 * and executed calls per second over time since the replay started, on shared axes, with the
 * controller's level and the pool's capacity as dashed lines and the held DEFERRABLE backlog as
 * grey bars on a scale of their own (its peak named in the legend); the buckets left out of
 * peak-to-trough (the days before the measured one, its edges, the drain) are shaded. Drawn with
 * Java2D, headless, written as PNG.
 */
public final class TimeshiftChart {
  private static final Charts.Frame FRAME = new Charts.Frame(1200, 70, 30);
  private static final int PANEL = 320;
  private static final int TOP = 40;
  private static final int GAP = 60;
  private static final Color ARRIVALS = new Color(31, 119, 180);
  private static final Color DISPATCHES = new Color(255, 127, 14);
  private static final Color EXECUTIONS = new Color(44, 160, 44);
  private static final Color LEVEL = new Color(148, 103, 189);
  private static final Color CAPACITY = new Color(214, 39, 40);
  private static final Color HELD = new Color(0, 0, 0, 40);
  private static final Color SHADE = new Color(0, 0, 0, 22);

  private TimeshiftChart() {}

  public static void write(Path png, List<RunSummary> runs) throws IOException {
    FRAME.write(png, TOP + runs.size() * (PANEL + GAP), g -> draw(g, runs));
  }

  private static void draw(Graphics2D g, List<RunSummary> runs) {
    int buckets = 1;
    double maxRate = 1;
    for (RunSummary r : runs) {
      buckets = Math.max(buckets, Math.max(r.arrivals().length, r.dispatches().length));
      for (long c : r.arrivals()) maxRate = Math.max(maxRate, r.rate(c));
      for (long c : r.dispatches()) maxRate = Math.max(maxRate, r.rate(c));
      for (long c : r.executions()) maxRate = Math.max(maxRate, r.rate(c));
      if (!Double.isNaN(r.capacityPerSecond())) {
        maxRate = Math.max(maxRate, r.capacityPerSecond());
      }
    }
    maxRate = Charts.niceCeiling(maxRate);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    g.drawString(
        "Time-shifting: received, dispatched and executed calls per second; level, capacity,"
            + " held backlog",
        FRAME.left(),
        24);
    for (int i = 0; i < runs.size(); i++) {
      Charts.Plot plot = FRAME.plot(TOP + i * (PANEL + GAP) + 20, PANEL);
      panel(g, runs.get(i), plot, buckets, maxRate);
    }
  }

  private static void panel(
      Graphics2D g, RunSummary r, Charts.Plot plot, int buckets, double maxRate) {
    int left = plot.left();
    int plotW = plot.width();
    int top = plot.top();
    long bucketMs = r.window().bucketMs();
    // Shade what peak-to-trough leaves out.
    g.setColor(SHADE);
    int x0 = left + (int) ((long) r.firstCounted() * plotW / buckets);
    int x1 = left + (int) ((long) r.endCounted() * plotW / buckets);
    g.fillRect(left, top, Math.max(0, x0 - left), PANEL);
    g.fillRect(x1, top, Math.max(0, left + plotW - x1), PANEL);
    // Axes, grid and labels.
    plot.rateAxis(g, maxRate, "%.0f");
    plot.timeAxis(g, buckets * bucketMs / 1000.0);
    plot.frame(g);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
    g.drawString(
        String.format(
            Locale.ROOT,
            "%s: peak-to-trough received %s, dispatched %s, executed %s (calls/s, %.2f s"
                + " buckets)",
            r.label(),
            TimeshiftReport.ratio(r.receivedPeakToTrough()),
            TimeshiftReport.ratio(r.dispatchedPeakToTrough()),
            TimeshiftReport.ratio(r.executedPeakToTrough()),
            bucketMs / 1000.0),
        left,
        top - 6);
    long maxHeld = 0;
    for (long h : r.held()) maxHeld = Math.max(maxHeld, h);
    if (maxHeld > 0) {
      g.setColor(HELD);
      for (int i = 0; i < r.held().length; i++) {
        int xa = left + (int) ((long) i * plotW / buckets);
        int xb = left + (int) ((long) (i + 1) * plotW / buckets);
        int hgt = (int) Math.round((double) r.held()[i] / maxHeld * PANEL * 0.9);
        g.fillRect(xa, top + PANEL - hgt, Math.max(1, xb - xa - 1), hgt);
      }
    }
    flat(g, plot, r.levelPerSecond(), LEVEL, maxRate);
    flat(g, plot, r.capacityPerSecond(), CAPACITY, maxRate);
    plot.line(g, ARRIVALS, rates(r, r.arrivals()), buckets, maxRate);
    plot.line(g, DISPATCHES, rates(r, r.dispatches()), buckets, maxRate);
    plot.line(g, EXECUTIONS, rates(r, r.executions()), buckets, maxRate);
    legend(g, top, maxHeld);
  }

  private static double[] rates(RunSummary r, long[] counts) {
    return Arrays.stream(counts).mapToDouble(r::rate).toArray();
  }

  /** A dashed horizontal line at {@code rate}, none when it is unknown. */
  private static void flat(Graphics2D g, Charts.Plot plot, double rate, Color color, double max) {
    if (Double.isNaN(rate)) return;
    int y = plot.y(Math.min(rate, max), max);
    g.setColor(color);
    g.setStroke(
        new BasicStroke(
            1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
    g.drawLine(plot.left(), y, plot.left() + plot.width(), y);
    g.setStroke(new BasicStroke(1f));
  }

  private static void legend(Graphics2D g, int top, long maxHeld) {
    Charts.legend(
        g,
        FRAME.width() - FRAME.right() - 250,
        top,
        new Charts.Swatch(10, 4, 16),
        List.of(
            Map.entry(ARRIVALS, "received (DurableQ)"),
            Map.entry(DISPATCHES, "dispatched (RunQ)"),
            Map.entry(EXECUTIONS, "executed (startedAt)"),
            Map.entry(LEVEL, "level (day before's mean)"),
            Map.entry(CAPACITY, "capacity"),
            Map.entry(new Color(0, 0, 0, 90), "held backlog (peak " + maxHeld + " calls)")));
  }
}
