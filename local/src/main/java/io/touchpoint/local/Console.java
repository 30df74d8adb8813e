package io.touchpoint.local;

import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/** One line per meaningful step, with the wall-clock time and the step's own duration. */
public final class Console {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
  private final PrintStream out;

  public Console(PrintStream out) {
    this.out = out;
  }

  public static Console stdout() {
    return new Console(System.out);
  }

  public void step(String who, String what) {
    synchronized (out) {
      out.printf("%s %-22s %s%n", LocalTime.now().format(TIME), "[" + who + "]", what);
      out.flush();
    }
  }

  public static String secondsSince(long startNanos) {
    return String.format("%.1f s", (System.nanoTime() - startNanos) / 1e9);
  }

  public static String mb(long bytes) {
    return String.format("%.0f MB", bytes / 1e6);
  }
}
