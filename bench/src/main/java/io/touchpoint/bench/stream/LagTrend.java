package io.touchpoint.bench.stream;

import java.util.List;

/**
 * Whether a live run kept up: the least-squares slope of the input lag over the measured window
 * (after the warm-up). A job that keeps up has a lag that oscillates with its micro-batches but
 * does not grow; one that does not grows by (rate - throughput) records per second.
 *
 * <p>With a query on a trigger interval (the lake queries: 30 s) the lag is a saw tooth of that
 * period even when everything keeps up, and a line fitted through a few teeth tilts with where the
 * window cuts them (by a share of the rate far above the tolerance). The slope is then fitted
 * through the lowest sample of each period instead (each taken just after a lake batch committed):
 * flat when the layer keeps up, rising when it falls behind.
 */
final class LagTrend {
  private LagTrend() {}

  /** Lag growth in records per second over the run's samples taken after {@code warmupSeconds}. */
  static double slope(LiveRun.Outcome o, double warmupSeconds) {
    return slope(o.samples(), warmupSeconds, o.lagPeriodSeconds());
  }

  /**
   * Lag growth in records per second over the samples taken after {@code warmupSeconds}: through
   * every sample, or through each period's lowest one when {@code periodSeconds} > 0.
   */
  static double slope(List<LiveRun.Sample> samples, double warmupSeconds, double periodSeconds) {
    List<LiveRun.Sample> window =
        lows(samples.stream().filter(s -> s.seconds() >= warmupSeconds).toList(), periodSeconds);
    int n = window.size();
    if (n < 2) {
      return Double.NaN;
    }
    double mx = window.stream().mapToDouble(LiveRun.Sample::seconds).average().orElse(0);
    double my = window.stream().mapToDouble(LiveRun.Sample::lag).average().orElse(0);
    double num = 0;
    double den = 0;
    for (LiveRun.Sample s : window) {
      num += (s.seconds() - mx) * (s.lag() - my);
      den += (s.seconds() - mx) * (s.seconds() - mx);
    }
    return den == 0 ? Double.NaN : num / den;
  }

  /** The lowest sample of each {@code periodSeconds} from the first (all when the period is 0). */
  static List<LiveRun.Sample> lows(List<LiveRun.Sample> window, double periodSeconds) {
    if (periodSeconds <= 0 || window.isEmpty()) {
      return window;
    }
    double first = window.get(0).seconds();
    java.util.TreeMap<Long, LiveRun.Sample> lowest = new java.util.TreeMap<>();
    for (LiveRun.Sample s : window) {
      lowest.merge(
          (long) Math.floor((s.seconds() - first) / periodSeconds),
          s,
          (a, b) -> b.lag() < a.lag() ? b : a);
    }
    return List.copyOf(lowest.values());
  }

  /**
   * Sustained: the producer reached the rate (within {@code tolerance}), the window was long
   * enough, and the lag grew by less than {@code tolerance} of the rate per second.
   */
  static boolean sustained(
      LiveRun.Outcome o, double warmupSeconds, double minWindowSeconds, double tolerance) {
    double slope = slope(o, warmupSeconds);
    boolean longEnough = o.produceSeconds() - warmupSeconds >= minWindowSeconds;
    return longEnough
        && !Double.isNaN(slope)
        && o.achievedRate() >= o.rate() * (1 - tolerance)
        && slope <= o.rate() * tolerance;
  }
}
