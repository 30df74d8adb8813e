package io.touchpoint.simulator.world;

import java.time.Duration;
import java.util.Map;

/**
 * The attribution settings of one app that the scenarios are built against. They are written
 * to {@code attribution-overlay.conf} in the output (the rules file's format), so the engine
 * judges the data with exactly these windows.
 *
 * @param clickLookbackBySource per media source click lookback overrides (kept at >= 24 h, so
 *     the probabilistic window, min(probabilistic, click), never depends on the source)
 */
public record AppWindows(
    Duration clickLookback,
    Duration viewThroughLookback,
    Duration probabilisticLookback,
    Duration reAttributionWindow,
    Duration ctitMinimum,
    Map<String, Duration> clickLookbackBySource) {

  public static final AppWindows DEFAULTS = new AppWindows(
      Duration.ofDays(7), Duration.ofHours(24), Duration.ofHours(24), Duration.ofDays(90),
      Duration.ofSeconds(10), Map.of());

  public AppWindows {
    clickLookbackBySource = Map.copyOf(clickLookbackBySource);
    for (Duration d : clickLookbackBySource.values()) {
      if (d.compareTo(probabilisticLookback) < 0) {
        throw new IllegalArgumentException("per-source click lookback below the probabilistic window: " + d);
      }
    }
  }

  public Duration clickLookback(String mediaSource) {
    return clickLookbackBySource.getOrDefault(mediaSource, clickLookback);
  }

  public Duration probabilistic(String mediaSource) {
    Duration click = clickLookback(mediaSource);
    return probabilisticLookback.compareTo(click) <= 0 ? probabilisticLookback : click;
  }

  /** The shortest click lookback of any source: a safe bound when the source is not yet known. */
  public Duration shortestClickLookback() {
    return clickLookbackBySource.values().stream().reduce(clickLookback, (a, b) -> a.compareTo(b) <= 0 ? a : b);
  }

  /** The longest click lookback of any source. */
  public Duration longestClickLookback() {
    return clickLookbackBySource.values().stream().reduce(clickLookback, (a, b) -> a.compareTo(b) >= 0 ? a : b);
  }
}
