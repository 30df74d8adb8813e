package io.touchpoint.bench.stream;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Which rates to try: the given ones, or a short search that starts just below the catch-up
 * throughput (a live job also pays for batches that are not full) and steps up after a
 * sustained rate and down after one that was not, halving the step once both sides are known.
 */
final class RateSearch {
  /** The search's first rate, as a share of the catch-up throughput. */
  static final double START_SHARE = 0.8;
  static final double FIRST_STEP = 0.3;
  private static final int ROUND_TO = 100;

  private final Deque<Integer> given;
  private int stepsLeft;
  private Integer next;
  private double step = FIRST_STEP;
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
    if (!given.isEmpty()) {
      return given.peekFirst();
    }
    return next;
  }

  void record(int rate, boolean sustained) {
    stepsLeft--;
    if (!given.isEmpty()) {
      given.pollFirst();
    }
    if (sustained) {
      best = best == null ? rate : Math.max(best, rate);
    } else {
      lowestFailed = lowestFailed == null ? rate : Math.min(lowestFailed, rate);
    }
    if (best != null && lowestFailed != null) {
      step /= 2;
    }
    int candidate = round(sustained ? rate * (1 + step) : rate * (1 - step));
    if (lowestFailed != null && candidate >= lowestFailed) {
      candidate = round((rate + lowestFailed) / 2.0);
    }
    if (best != null && candidate <= best) {
      candidate = round((best + (lowestFailed == null ? best * 2 : lowestFailed)) / 2.0);
    }
    next = candidate;
  }

  /** The highest rate that was sustained (0 when none was). */
  int best() {
    return best == null ? 0 : best;
  }

  private static int round(double rate) {
    return (int) Math.max(ROUND_TO, Math.round(rate / ROUND_TO) * ROUND_TO);
  }
}
