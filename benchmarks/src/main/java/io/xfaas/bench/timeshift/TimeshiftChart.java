package io.xfaas.bench.timeshift;

import io.xfaas.bench.timeshift.TimeshiftAnalysis.RunSummary;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * The benchmark's chart: one panel per run (controller off, on), received (arrivals), dispatched
 * and executed calls per second over time since the replay started, on shared axes, with the
 * controller's level and the pool's capacity as dashed lines and the held DEFERRABLE backlog as
 * grey bars on a scale of their own (its peak named in the legend); the buckets left out of
 * peak-to-trough (the days before the measured one, its edges, the drain) are shaded. Drawn with
 * Java2D, headless, written as PNG.
 */
public final class TimeshiftChart {
  private static final int WIDTH = 1200;
  private static final int PANEL = 320;
  private static final int LEFT = 70;
  private static final int RIGHT = 30;
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
    System.setProperty("java.awt.headless", "true");
    int height = TOP + runs.size() * (PANEL + GAP);
    BufferedImage img = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, WIDTH, height);
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
      maxRate = niceCeiling(maxRate);
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
      g.drawString(
          "Time-shifting: received, dispatched and executed calls per second; level, capacity,"
              + " held backlog",
          LEFT,
          24);
      for (int i = 0; i < runs.size(); i++) {
        panel(g, runs.get(i), TOP + i * (PANEL + GAP) + 20, buckets, maxRate);
      }
    } finally {
      g.dispose();
    }
    ImageIO.write(img, "png", png.toFile());
  }

  private static void panel(Graphics2D g, RunSummary r, int top, int buckets, double maxRate) {
    int plotW = WIDTH - LEFT - RIGHT;
    long bucketMs = r.window().bucketMs();
    double secondsSpan = buckets * bucketMs / 1000.0;
    // Shade what peak-to-trough leaves out.
    g.setColor(SHADE);
    int x0 = LEFT + (int) ((long) r.firstCounted() * plotW / buckets);
    int x1 = LEFT + (int) ((long) r.endCounted() * plotW / buckets);
    g.fillRect(LEFT, top, Math.max(0, x0 - LEFT), PANEL);
    g.fillRect(x1, top, Math.max(0, LEFT + plotW - x1), PANEL);
    // Axes, grid and labels.
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    for (int k = 0; k <= 4; k++) {
      int y = top + PANEL - k * PANEL / 4;
      g.setColor(new Color(225, 225, 225));
      g.drawLine(LEFT, y, LEFT + plotW, y);
      g.setColor(Color.DARK_GRAY);
      g.drawString(String.format(Locale.ROOT, "%.0f", maxRate * k / 4), 10, y + 4);
    }
    int ticks = 10;
    for (int k = 0; k <= ticks; k++) {
      int x = LEFT + k * plotW / ticks;
      g.drawString(
          String.format(
              Locale.ROOT, secondsSpan < 50 ? "%.1f s" : "%.0f s", secondsSpan * k / ticks),
          x - 12,
          top + PANEL + 16);
    }
    g.setColor(Color.BLACK);
    g.drawRect(LEFT, top, plotW, PANEL);
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
        LEFT,
        top - 6);
    long maxHeld = 0;
    for (long h : r.held()) maxHeld = Math.max(maxHeld, h);
    if (maxHeld > 0) {
      g.setColor(HELD);
      for (int i = 0; i < r.held().length; i++) {
        int xa = LEFT + (int) ((long) i * plotW / buckets);
        int xb = LEFT + (int) ((long) (i + 1) * plotW / buckets);
        int hgt = (int) Math.round((double) r.held()[i] / maxHeld * PANEL * 0.9);
        g.fillRect(xa, top + PANEL - hgt, Math.max(1, xb - xa - 1), hgt);
      }
    }
    flat(g, r.levelPerSecond(), LEVEL, top, maxRate);
    flat(g, r.capacityPerSecond(), CAPACITY, top, maxRate);
    line(g, r, r.arrivals(), ARRIVALS, top, buckets, maxRate);
    line(g, r, r.dispatches(), DISPATCHES, top, buckets, maxRate);
    line(g, r, r.executions(), EXECUTIONS, top, buckets, maxRate);
    legend(g, top, maxHeld);
  }

  /** A dashed horizontal line at {@code rate}, none when it is unknown. */
  private static void flat(Graphics2D g, double rate, Color color, int top, double max) {
    if (Double.isNaN(rate)) return;
    int plotW = WIDTH - LEFT - RIGHT;
    int y = top + PANEL - (int) Math.round(Math.min(rate, max) / max * PANEL);
    g.setColor(color);
    g.setStroke(
        new BasicStroke(
            1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
    g.drawLine(LEFT, y, LEFT + plotW, y);
    g.setStroke(new BasicStroke(1f));
  }

  private static void line(
      Graphics2D g, RunSummary r, long[] counts, Color color, int top, int buckets, double max) {
    int plotW = WIDTH - LEFT - RIGHT;
    g.setColor(color);
    g.setStroke(new BasicStroke(2f));
    int px = -1, py = -1;
    for (int i = 0; i < counts.length; i++) {
      int x = LEFT + (int) ((i + 0.5) * plotW / buckets);
      int y = top + PANEL - (int) Math.round(r.rate(counts[i]) / max * PANEL);
      if (px >= 0) g.drawLine(px, py, x, y);
      px = x;
      py = y;
    }
    g.setStroke(new BasicStroke(1f));
  }

  private static void legend(Graphics2D g, int top, long maxHeld) {
    int x = WIDTH - RIGHT - 250;
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    Object[][] items = {
      {ARRIVALS, "received (DurableQ)"},
      {DISPATCHES, "dispatched (RunQ)"},
      {EXECUTIONS, "executed (startedAt)"},
      {LEVEL, "level (day before's mean)"},
      {CAPACITY, "capacity"},
      {new Color(0, 0, 0, 90), "held backlog (peak " + maxHeld + " calls)"}
    };
    for (int i = 0; i < items.length; i++) {
      g.setColor((Color) items[i][0]);
      g.fillRect(x, top + 10 + 18 * i, 14, 4);
      g.setColor(Color.BLACK);
      g.drawString((String) items[i][1], x + 20, top + 16 + 18 * i);
    }
  }

  /** 1, 2 or 5 times a power of ten, at least {@code v}. */
  static double niceCeiling(double v) {
    double p = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 2, 5, 10}) {
      if (m * p >= v) return m * p;
    }
    return 10 * p;
  }
}
