package dev.tokenpool.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Line charts drawn with Java2D (no chart library): one panel per figure, connections on a
 * logarithmic x axis, one line per series.
 */
final class Chart {

  /** One line: its label, colour, whether dashed, and a y value per x. */
  record Series(String label, Color color, boolean dashed, double[] values) {}

  /** One panel: a title, the y axis' label, whether y is logarithmic, and its lines. */
  record Panel(String title, String yLabel, boolean logY, List<Series> series) {}

  private static final int PANEL_WIDTH = 620;
  private static final int HEIGHT = 460;
  private static final int LEFT = 80;
  private static final int RIGHT = 20;
  private static final int TOP = 50;
  private static final int BOTTOM = 120;

  private Chart() {}

  static void write(Path file, String title, int[] xs, List<Panel> panels) throws IOException {
    int width = PANEL_WIDTH * panels.size();
    BufferedImage image = new BufferedImage(width, HEIGHT + 30, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, HEIGHT + 30);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    g.drawString(title, LEFT, 24);
    for (int i = 0; i < panels.size(); i++) {
      drawPanel(g, i * PANEL_WIDTH, 20, xs, panels.get(i));
    }
    g.dispose();
    Files.createDirectories(file.getParent());
    ImageIO.write(image, "png", file.toFile());
  }

  private static void drawPanel(Graphics2D g, int x0, int y0, int[] xs, Panel panel) {
    int plotLeft = x0 + LEFT;
    int plotRight = x0 + PANEL_WIDTH - RIGHT;
    int plotTop = y0 + TOP;
    int plotBottom = y0 + HEIGHT - BOTTOM;
    double max = 0;
    double min = Double.MAX_VALUE;
    for (Series series : panel.series()) {
      for (double v : series.values()) {
        if (Double.isFinite(v) && v > 0) {
          max = Math.max(max, v);
          min = Math.min(min, v);
        }
      }
    }
    if (max == 0) {
      max = 1;
      min = 1;
    }
    double yMin = panel.logY() ? Math.pow(10, Math.floor(Math.log10(min))) : 0;
    double yMax = panel.logY() ? Math.pow(10, Math.ceil(Math.log10(max))) : niceCeiling(max);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
    g.setColor(Color.BLACK);
    g.drawString(panel.title(), plotLeft, plotTop - 12);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    // Grid and y ticks.
    List<Double> ticks = panel.logY() ? logTicks(yMin, yMax) : linearTicks(yMax);
    for (double tick : ticks) {
      int y = yPixel(tick, yMin, yMax, panel.logY(), plotTop, plotBottom);
      g.setColor(new Color(225, 225, 225));
      g.drawLine(plotLeft, y, plotRight, y);
      g.setColor(Color.DARK_GRAY);
      String label = tick >= 1 ? String.format("%,.0f", tick) : String.format("%.1f", tick);
      g.drawString(label, plotLeft - 8 - g.getFontMetrics().stringWidth(label), y + 4);
    }
    // X ticks: one per measured connection count, spread logarithmically.
    for (int x : xs) {
      int px = xPixel(x, xs, plotLeft, plotRight);
      g.setColor(new Color(225, 225, 225));
      g.drawLine(px, plotTop, px, plotBottom);
      g.setColor(Color.DARK_GRAY);
      String label = String.valueOf(x);
      g.drawString(label, px - g.getFontMetrics().stringWidth(label) / 2, plotBottom + 16);
    }
    g.setColor(Color.BLACK);
    g.drawRect(plotLeft, plotTop, plotRight - plotLeft, plotBottom - plotTop);
    g.drawString("connections", (plotLeft + plotRight) / 2 - 30, plotBottom + 34);
    Graphics2D rotated = (Graphics2D) g.create();
    rotated.rotate(-Math.PI / 2);
    rotated.drawString(panel.yLabel(), -(plotTop + plotBottom) / 2 - 40, x0 + 16);
    rotated.dispose();
    // Lines and legend.
    int legendY = plotBottom + 52;
    int legendX = plotLeft;
    for (Series series : panel.series()) {
      Stroke stroke =
          series.dashed()
              ? new BasicStroke(
                  2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1, new float[] {7, 5}, 0)
              : new BasicStroke(2.4f);
      g.setStroke(stroke);
      g.setColor(series.color());
      int previousX = -1;
      int previousY = -1;
      for (int i = 0; i < xs.length; i++) {
        double v = series.values()[i];
        if (!Double.isFinite(v) || v <= 0) {
          previousX = -1;
          continue;
        }
        int px = xPixel(xs[i], xs, plotLeft, plotRight);
        int py = yPixel(v, yMin, yMax, panel.logY(), plotTop, plotBottom);
        if (previousX >= 0) {
          g.drawLine(previousX, previousY, px, py);
        }
        g.fillOval(px - 3, py - 3, 7, 7);
        previousX = px;
        previousY = py;
      }
      g.drawLine(legendX, legendY - 4, legendX + 28, legendY - 4);
      g.setStroke(new BasicStroke(1));
      g.setColor(Color.BLACK);
      g.drawString(series.label(), legendX + 34, legendY);
      legendY += 16;
      if (legendY > y0 + HEIGHT + 20) {
        legendY = plotBottom + 52;
        legendX += 270;
      }
    }
    g.setStroke(new BasicStroke(1));
  }

  private static int xPixel(int x, int[] xs, int left, int right) {
    double lo = Math.log(xs[0]);
    double hi = Math.log(xs[xs.length - 1]);
    double fraction = hi == lo ? 0.5 : (Math.log(x) - lo) / (hi - lo);
    return (int) Math.round(left + 20 + fraction * (right - left - 40));
  }

  private static int yPixel(double v, double min, double max, boolean log, int top, int bottom) {
    double fraction =
        log
            ? (Math.log(v) - Math.log(min)) / (Math.log(max) - Math.log(min))
            : (v - min) / (max - min);
    return (int) Math.round(bottom - fraction * (bottom - top));
  }

  private static double niceCeiling(double max) {
    double magnitude = Math.pow(10, Math.floor(Math.log10(max)));
    for (double step : new double[] {1, 2, 2.5, 5, 10}) {
      if (step * magnitude >= max) {
        return step * magnitude;
      }
    }
    return 10 * magnitude;
  }

  private static List<Double> linearTicks(double max) {
    List<Double> ticks = new java.util.ArrayList<>();
    for (int i = 0; i <= 5; i++) {
      ticks.add(max * i / 5);
    }
    return ticks;
  }

  private static List<Double> logTicks(double min, double max) {
    List<Double> ticks = new java.util.ArrayList<>();
    for (double decade = min; decade <= max * 1.0001; decade *= 10) {
      ticks.add(decade);
    }
    return ticks;
  }
}
