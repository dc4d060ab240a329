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
 * The benchmark's chart: one panel per run, arrivals and dispatches per second over time since the
 * replay started, on shared axes; the buckets left out of peak-to-trough (warm-up, cool-down and
 * the drain after the replay) are shaded. Drawn with Java2D, headless, written as PNG.
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
      }
      maxRate = niceCeiling(maxRate);
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
      g.drawString("Time-shifting: arrivals and dispatches per second", LEFT, 24);
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
            "%s: received peak-to-trough %s, dispatched %s (calls/s, %.2f s buckets)",
            r.label(),
            TimeshiftReport.ratio(r.receivedPeakToTrough()),
            TimeshiftReport.ratio(r.dispatchedPeakToTrough()),
            bucketMs / 1000.0),
        LEFT,
        top - 6);
    line(g, r, r.arrivals(), ARRIVALS, top, buckets, maxRate);
    line(g, r, r.dispatches(), DISPATCHES, top, buckets, maxRate);
    legend(g, top);
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

  private static void legend(Graphics2D g, int top) {
    int x = WIDTH - RIGHT - 220;
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    g.setColor(ARRIVALS);
    g.fillRect(x, top + 10, 14, 4);
    g.setColor(Color.BLACK);
    g.drawString("arrivals (DurableQ)", x + 20, top + 16);
    g.setColor(DISPATCHES);
    g.fillRect(x, top + 28, 14, 4);
    g.setColor(Color.BLACK);
    g.drawString("dispatches (RunQ)", x + 20, top + 34);
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
