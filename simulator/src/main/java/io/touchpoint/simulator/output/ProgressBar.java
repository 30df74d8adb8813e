package io.touchpoint.simulator.output;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar on stderr: bar, percent, count, rate and ETA, redrawn at most 5 times a
 * second.
 */
public final class ProgressBar {
  private static final int WIDTH = 30;
  private static final long REDRAW_NANOS = 200_000_000L;

  private final String label;
  private final long total;
  private final PrintStream out;
  private final long start = System.nanoTime();
  private long lastDraw;

  /**
   * @param out null for no output
   */
  public ProgressBar(String label, long total, PrintStream out) {
    this.label = label;
    this.total = Math.max(1, total);
    this.out = out;
  }

  public void update(long done) {
    long now = System.nanoTime();
    if (out == null || now - lastDraw < REDRAW_NANOS) {
      return;
    }
    lastDraw = now;
    draw(done, now);
  }

  public void finish(long done) {
    if (out != null) {
      draw(done, System.nanoTime());
      out.println();
    }
  }

  private void draw(long done, long now) {
    double fraction = Math.min(1.0, (double) done / total);
    double seconds = (now - start) / 1e9;
    double rate = seconds > 0 ? done / seconds : 0;
    long eta = rate > 0 ? (long) ((total - done) / rate) : 0;
    int filled = (int) (fraction * WIDTH);
    String bar = "=".repeat(filled) + (filled < WIDTH ? ">" + " ".repeat(WIDTH - filled - 1) : "");
    out.printf(
        Locale.ROOT,
        "\r%-10s [%s] %5.1f%% %,d/%,d  %,.0f/s  ETA %d:%02d:%02d ",
        label,
        bar,
        fraction * 100,
        done,
        total,
        rate,
        eta / 3600,
        (eta / 60) % 60,
        eta % 60);
    out.flush();
  }
}
