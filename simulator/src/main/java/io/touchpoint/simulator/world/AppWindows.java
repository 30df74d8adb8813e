package io.touchpoint.simulator.world;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * The attribution settings of one app that the scenarios are built against. They are written to
 * {@code attribution-overlay.conf} in the output (the rules file's format), so the engine judges
 * the data with exactly these windows.
 *
 * @param clickLookbackBySource per media source click lookback overrides (kept at >= 24 h, so the
 *     probabilistic window, min(probabilistic, click), never depends on the source)
 * @param organicEventsAfterReinstall in-app events after a not-credited reinstall count as organic
 *     ({@code events-after-reinstall = organic}) instead of keeping the original source
 * @param retentionInUtc day-N retention counts UTC calendar days ({@code retention.calendar = utc})
 *     instead of the app's time zone
 */
public record AppWindows(
    Duration clickLookback,
    Duration viewThroughLookback,
    Duration probabilisticLookback,
    Duration reAttributionWindow,
    Duration ctitMinimum,
    Map<String, Duration> clickLookbackBySource,
    boolean organicEventsAfterReinstall,
    boolean retentionInUtc) {

  public static final AppWindows DEFAULTS =
      new AppWindows(
          Duration.ofDays(7),
          Duration.ofHours(24),
          Duration.ofHours(24),
          Duration.ofDays(90),
          Duration.ofSeconds(10),
          Map.of());

  /** Settings with the published defaults for events after a reinstall and for retention. */
  public AppWindows(
      Duration clickLookback,
      Duration viewThroughLookback,
      Duration probabilisticLookback,
      Duration reAttributionWindow,
      Duration ctitMinimum,
      Map<String, Duration> clickLookbackBySource) {
    this(
        clickLookback,
        viewThroughLookback,
        probabilisticLookback,
        reAttributionWindow,
        ctitMinimum,
        clickLookbackBySource,
        false,
        false);
  }

  /** The same settings with events after a not-credited reinstall counted as organic. */
  public AppWindows withOrganicEventsAfterReinstall() {
    return new AppWindows(
        clickLookback,
        viewThroughLookback,
        probabilisticLookback,
        reAttributionWindow,
        ctitMinimum,
        clickLookbackBySource,
        true,
        retentionInUtc);
  }

  /** The same settings with retention counted in UTC calendar days. */
  public AppWindows withRetentionInUtc() {
    return new AppWindows(
        clickLookback,
        viewThroughLookback,
        probabilisticLookback,
        reAttributionWindow,
        ctitMinimum,
        clickLookbackBySource,
        organicEventsAfterReinstall,
        true);
  }

  /** The zone whose calendar days retention counts in for an app of {@code appZone}. */
  public ZoneId retentionZone(ZoneId appZone) {
    return retentionInUtc ? ZoneOffset.UTC : appZone;
  }

  public AppWindows {
    clickLookbackBySource = Map.copyOf(clickLookbackBySource);
    for (Duration d : clickLookbackBySource.values()) {
      if (d.compareTo(probabilisticLookback) < 0) {
        throw new IllegalArgumentException(
            "per-source click lookback below the probabilistic window: " + d);
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
    return clickLookbackBySource.values().stream()
        .reduce(clickLookback, (a, b) -> a.compareTo(b) <= 0 ? a : b);
  }

  /** The longest click lookback of any source. */
  public Duration longestClickLookback() {
    return clickLookbackBySource.values().stream()
        .reduce(clickLookback, (a, b) -> a.compareTo(b) >= 0 ? a : b);
  }
}
