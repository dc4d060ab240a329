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
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * The Java2D drawing the PNG charts share: the what-if report's ({@link WhatIfChart}) and the
 * time-shifting benchmark's (in benchmarks). A headless white canvas written as PNG, a plot's rate
 * axis, time axis, lines and frame, a legend, and round axis maxima.
 */
public final class Charts {
  /** The grid lines' colour. */
  public static final Color GRID = new Color(225, 225, 225);

  private Charts() {}

  /** What draws a chart on its canvas. */
  public interface Drawing {
    void draw(Graphics2D g);
  }

  /**
   * A chart's width and its plots' margins: every plot of the chart is {@link #plotWidth} wide from
   * x {@code left}.
   */
  public record Frame(int width, int left, int right) {
    public int plotWidth() {
      return width - left - right;
    }

    /** The plot {@code height} high from y {@code top}. */
    public Plot plot(int top, int height) {
      return new Plot(left, top, plotWidth(), height);
    }

    /** Draws a chart {@code height} high on white, antialiased, headless, and writes it as PNG. */
    public void write(Path png, int height, Drawing drawing) throws IOException {
      System.setProperty("java.awt.headless", "true");
      BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = img.createGraphics();
      try {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        drawing.draw(g);
      } finally {
        g.dispose();
      }
      ImageIO.write(img, "png", png.toFile());
    }
  }

  /**
   * A plot area: {@code width} wide from x {@code left}, {@code height} high from y {@code top}.
   */
  public record Plot(int left, int top, int width, int height) {
    public int bottom() {
      return top + height;
    }

    /** The y of {@code value} on a vertical axis from 0 (the bottom) to {@code max} (the top). */
    public int y(double value, double max) {
      return bottom() - (int) Math.round(value / max * height);
    }

    /** Horizontal grid lines at quarters of {@code max}, labelled left of the plot. */
    public void rateAxis(Graphics2D g, double max, String format) {
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      for (int k = 0; k <= 4; k++) {
        int y = bottom() - k * height / 4;
        g.setColor(GRID);
        g.drawLine(left, y, left + width, y);
        g.setColor(Color.DARK_GRAY);
        g.drawString(String.format(Locale.ROOT, format, max * k / 4), 10, y + 4);
      }
    }

    /** Ten ticks of elapsed time under the plot, from 0 to {@code seconds}. */
    public void timeAxis(Graphics2D g, double seconds) {
      int ticks = 10;
      for (int k = 0; k <= ticks; k++) {
        int x = left + k * width / ticks;
        g.drawString(
            String.format(Locale.ROOT, seconds < 50 ? "%.1f s" : "%.0f s", seconds * k / ticks),
            x - 12,
            bottom() + 16);
      }
    }

    /** A line through one rate a bucket, at the middle of each of {@code buckets} across. */
    public void line(Graphics2D g, Color color, double[] rates, int buckets, double max) {
      g.setColor(color);
      g.setStroke(new BasicStroke(2f));
      int px = -1, py = -1;
      for (int i = 0; i < rates.length; i++) {
        int x = left + (int) ((i + 0.5) * width / buckets);
        int y = y(rates[i], max);
        if (px >= 0) g.drawLine(px, py, x, y);
        px = x;
        py = y;
      }
      g.setStroke(new BasicStroke(1f));
    }

    /** The plot's black border. */
    public void frame(Graphics2D g) {
      g.setColor(Color.BLACK);
      g.drawRect(left, top, width, height);
    }
  }

  /**
   * Where a legend row draws its swatch and label, below the row's top: the swatch {@code y} down
   * and {@code height} high, the label's baseline {@code baseline} down.
   */
  public record Swatch(int y, int height, int baseline) {}

  /** A legend from {@code x}, {@code top}: a row every 18 px, each a colour's swatch and label. */
  public static void legend(
      Graphics2D g, int x, int top, Swatch swatch, List<Map.Entry<Color, String>> items) {
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    for (int i = 0; i < items.size(); i++) {
      int row = top + 18 * i;
      g.setColor(items.get(i).getKey());
      g.fillRect(x, row + swatch.y(), 14, swatch.height());
      g.setColor(Color.BLACK);
      g.drawString(items.get(i).getValue(), x + 20, row + swatch.baseline());
    }
  }

  /** 1, 2 or 5 times a power of ten, at least {@code v}. */
  public static double niceCeiling(double v) {
    double p = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 2, 5, 10}) {
      if (m * p >= v) return m * p;
    }
    return 10 * p;
  }
}
