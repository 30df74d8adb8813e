package io.touchpoint.bench.stream;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Which rates to try: the given ones, or a short search that starts just below the catch-up
 * throughput, doubles the rate while it is sustained, halves it while it is not, and once both
 * a sustained and a failed rate are known tries the middle. A live job's batches grow with the
 * rate and its fixed cost per batch (Delta commits, planning) is amortized over more rows, so
 * the sustained rate can be well above a catch-up measured in small batches.
 */
final class RateSearch {
  /** The search's first rate, as a share of the catch-up throughput. */
  static final double START_SHARE = 0.8;
  private static final int ROUND_TO = 100;

  private final Deque<Integer> given;
  private int stepsLeft;
  private Integer next;
  private Integer best;
  private Integer lowestFailed;

  RateSearch(List<Integer> rates, int steps, double catchUpEps) {
    this.given = new ArrayDeque<>(rates);
    this.stepsLeft = rates.isEmpty() ? steps : rates.size();
    this.next = rates.isEmpty() ? round(catchUpEps * START_SHARE) : null;
  }

  /** The next rate to try, or null when done. */
  Integer next() {
    if (stepsLeft <= 0) {
      return null;
    }
    return given.isEmpty() ? next : given.peekFirst();
  }

  void record(int rate, boolean sustained) {
    stepsLeft--;
    given.pollFirst();
    if (sustained) {
      best = best == null ? rate : Math.max(best, rate);
    } else {
      lowestFailed = lowestFailed == null ? rate : Math.min(lowestFailed, rate);
    }
    if (lowestFailed == null) {
      next = round(rate * 2.0);
    } else if (best == null) {
      next = round(rate / 2.0);
    } else {
      next = round((best + lowestFailed) / 2.0);
      if (lowestFailed - best <= ROUND_TO) {
        stepsLeft = 0; // bracketed as closely as the rounding allows
      }
    }
  }

  /** The highest rate that was sustained (0 when none was). */
  int best() {
    return best == null ? 0 : best;
  }

  private static int round(double rate) {
    return (int) Math.max(ROUND_TO, Math.round(rate / ROUND_TO) * ROUND_TO);
  }
}
