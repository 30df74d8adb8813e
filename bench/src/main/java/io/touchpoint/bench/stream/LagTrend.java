package io.touchpoint.bench.stream;

import java.util.List;

/**
 * Whether a live run kept up: the least-squares slope of the input lag over the measured window
 * (after the warm-up). A job that keeps up has a lag that oscillates with its micro-batches but
 * does not grow; one that does not grows by (rate - throughput) records per second.
 */
final class LagTrend {
  private LagTrend() {}

  /** Lag growth in records per second over the samples taken after {@code warmupSeconds}. */
  static double slope(List<LiveRun.Sample> samples, double warmupSeconds) {
    List<LiveRun.Sample> window =
        samples.stream().filter(s -> s.seconds() >= warmupSeconds).toList();
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

  /**
   * Sustained: the producer reached the rate (within {@code tolerance}), the window was long
   * enough, and the lag grew by less than {@code tolerance} of the rate per second.
   */
  static boolean sustained(
      LiveRun.Outcome o, double warmupSeconds, double minWindowSeconds, double tolerance) {
    double slope = slope(o.samples(), warmupSeconds);
    boolean longEnough = o.produceSeconds() - warmupSeconds >= minWindowSeconds;
    return longEnough
        && !Double.isNaN(slope)
        && o.achievedRate() >= o.rate() * (1 - tolerance)
        && slope <= o.rate() * tolerance;
  }
}
