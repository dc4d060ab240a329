package io.xfaas.scheduler.sim;

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
 * A what-if report as a PNG: per tenant, queueing delay p50 and p99 as recorded and as changed
 * (bars, the tenants whose figures changed first); below, the executed load over time (calls
 * started per second) as recorded and as changed. Drawn with Java2D, headless, in the style of the
 * time-shifting benchmark's chart.
 */
public final class WhatIfChart {
  private static final int WIDTH = 1200;
  private static final int LEFT = 150;
  private static final int RIGHT = 30;
  private static final int TOP = 40;
  private static final int ROW = 34;
  private static final int LOAD = 300;
  private static final Color RECORDED = new Color(31, 119, 180);
  private static final Color CHANGED = new Color(255, 127, 14);
  private static final Color GRID = new Color(225, 225, 225);

  private WhatIfChart() {}

  /** Writes {@code report}'s chart, with at most {@code tenants} tenants (0: all). */
  public static void write(Path png, WhatIfReport report, int tenants) throws IOException {
    System.setProperty("java.awt.headless", "true");
    List<String> names = report.tenants();
    if (tenants > 0 && names.size() > tenants) names = names.subList(0, tenants);
    int delayH = Math.max(1, names.size()) * ROW;
    int height = TOP + 30 + delayH + 40 + 30 + LOAD + 50;
    BufferedImage img = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, WIDTH, height);
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
      String changes =
          report.changes().isEmpty() ? "no change" : String.join(", ", report.changes());
      g.drawString("What if: " + changes, 10, 24);
      int top = TOP + 30;
      delays(g, report, names, top);
      executed(g, report, top + delayH + 70);
    } finally {
      g.dispose();
    }
    ImageIO.write(img, "png", png.toFile());
  }

  /** Horizontal bars per tenant: p99 wide and light, p50 narrow and dark, recorded over changed. */
  private static void delays(Graphics2D g, WhatIfReport r, List<String> names, int top) {
    int plotW = WIDTH - LEFT - RIGHT;
    double max = 1;
    for (String t : names) {
      for (SimResult s : List.of(r.recorded(), r.changed())) {
        TenantFigures f = s.tenant(t);
        if (f != null) max = Math.max(max, f.delayP99Ms());
      }
    }
    max = niceCeiling(max);
    int h = names.size() * ROW;
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
    g.setColor(Color.BLACK);
    g.drawString(
        "Queueing delay per tenant, ms: p99 (light) and p50 (dark); recorded above, changed below",
        LEFT,
        top - 8);
    axis(g, top, h, max, "%.0f ms");
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    for (int i = 0; i < names.size(); i++) {
      String t = names.get(i);
      int y = top + i * ROW + 4;
      g.setColor(Color.BLACK);
      g.drawString(t.length() > 20 ? t.substring(0, 19) + "…" : t, 8, y + 17);
      bar(g, r.recorded().tenant(t), RECORDED, y, max, plotW);
      bar(g, r.changed().tenant(t), CHANGED, y + 13, max, plotW);
    }
    g.setColor(Color.BLACK);
    g.drawRect(LEFT, top, plotW, h);
    legend(g, top + 6);
  }

  private static void bar(Graphics2D g, TenantFigures f, Color c, int y, double max, int plotW) {
    if (f == null) return;
    int p99 = (int) Math.round(f.delayP99Ms() / max * plotW);
    int p50 = (int) Math.round(f.delayP50Ms() / max * plotW);
    g.setColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 90));
    g.fillRect(LEFT, y, Math.max(p99, 1), 12);
    g.setColor(c);
    g.fillRect(LEFT, y + 3, Math.max(p50, 1), 6);
  }

  /** Calls started per second over time, recorded and changed, on one axis. */
  private static void executed(Graphics2D g, WhatIfReport r, int top) {
    int plotW = WIDTH - LEFT - RIGHT;
    SimResult a = r.recorded();
    SimResult b = r.changed();
    int buckets = Math.max(1, Math.max(a.executed().size(), b.executed().size()));
    double max = 1;
    for (SimResult s : List.of(a, b)) {
      for (long n : s.executed()) max = Math.max(max, n * 1000.0 / s.bucketMs());
    }
    max = niceCeiling(max);
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
        LEFT,
        top - 8);
    // Vertical axis: rate.
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    for (int k = 0; k <= 4; k++) {
      int y = top + LOAD - k * LOAD / 4;
      g.setColor(GRID);
      g.drawLine(LEFT, y, LEFT + plotW, y);
      g.setColor(Color.DARK_GRAY);
      g.drawString(String.format(Locale.ROOT, "%.0f/s", max * k / 4), 10, y + 4);
    }
    double span = buckets * a.bucketMs() / 1000.0;
    for (int k = 0; k <= 10; k++) {
      int x = LEFT + k * plotW / 10;
      g.drawString(
          String.format(Locale.ROOT, span < 50 ? "%.1f s" : "%.0f s", span * k / 10),
          x - 12,
          top + LOAD + 16);
    }
    line(g, a, RECORDED, top, buckets, max, plotW);
    line(g, b, CHANGED, top, buckets, max, plotW);
    g.setColor(Color.BLACK);
    g.drawRect(LEFT, top, plotW, LOAD);
    legend(g, top + 6);
  }

  private static void line(
      Graphics2D g, SimResult s, Color c, int top, int buckets, double max, int plotW) {
    g.setColor(c);
    g.setStroke(new BasicStroke(2f));
    int px = -1, py = -1;
    List<Long> counts = s.executed();
    for (int i = 0; i < counts.size(); i++) {
      int x = LEFT + (int) ((i + 0.5) * plotW / buckets);
      double rate = counts.get(i) * 1000.0 / s.bucketMs();
      int y = top + LOAD - (int) Math.round(rate / max * LOAD);
      if (px >= 0) g.drawLine(px, py, x, y);
      px = x;
      py = y;
    }
    g.setStroke(new BasicStroke(1f));
  }

  private static void axis(Graphics2D g, int top, int h, double max, String format) {
    int plotW = WIDTH - LEFT - RIGHT;
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    for (int k = 0; k <= 4; k++) {
      int x = LEFT + k * plotW / 4;
      g.setColor(GRID);
      g.drawLine(x, top, x, top + h);
      g.setColor(Color.DARK_GRAY);
      g.drawString(String.format(Locale.ROOT, format, max * k / 4), x - 14, top + h + 16);
    }
  }

  private static void legend(Graphics2D g, int top) {
    int x = WIDTH - RIGHT - 120;
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    Object[][] items = {{RECORDED, "recorded"}, {CHANGED, "changed"}};
    for (int i = 0; i < items.length; i++) {
      g.setColor((Color) items[i][0]);
      g.fillRect(x, top + 4 + 18 * i, 14, 8);
      g.setColor(Color.BLACK);
      g.drawString((String) items[i][1], x + 20, top + 13 + 18 * i);
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
