package io.touchpoint.simulator.output;

/** Holds a producer to a target rate (records per second); 0 means as fast as possible. */
public final class Pacer {
  private final double perSecond;
  private long start = -1;

  public Pacer(double perSecond) {
    this.perSecond = perSecond;
  }

  /** Waits until {@code sent} records are due. */
  public void await(long sent) throws InterruptedException {
    if (perSecond <= 0) {
      return;
    }
    long now = System.nanoTime();
    if (start < 0) {
      start = now;
    }
    long due = start + (long) (sent / perSecond * 1e9);
    long wait = due - now;
    if (wait > 1_000_000) {
      Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
    }
  }
}
