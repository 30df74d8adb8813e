package io.touchpoint.attribution;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The resolved attribution rules of one app: defaults overridden by the app's block, plus
 * per-media-source window overrides. Built (and range-checked) by {@link RulesConfig}.
 */
public record AppRules(
    Duration clickLookback,
    Duration viewThroughLookback,
    boolean probabilisticEnabled,
    Duration probabilisticLookback,
    Duration reAttributionWindow,
    Duration reEngagementWindow,
    int maxContributors,
    Duration ctitMinimum,
    boolean installBeginCheck,
    ZoneId timeZone,
    Map<String, SourceRules> mediaSources,
    ReAttributionAnchor reAttributionAnchor,
    List<WindowSetting> earlierReAttributionWindows,
    EventsAfterReinstall eventsAfterReinstall,
    RetentionCalendar retentionCalendar) {

  public AppRules {
    mediaSources = Map.copyOf(mediaSources);
    earlierReAttributionWindows =
        earlierReAttributionWindows.stream()
            .sorted(Comparator.comparing(WindowSetting::until))
            .toList();
  }

  /** The rules every app gets unless its configuration says otherwise (vendors' defaults). */
  public static AppRules defaults() {
    return RulesConfig.defaults().rulesFor("*");
  }

  public Duration clickLookbackFor(String mediaSource) {
    SourceRules source = mediaSources.get(mediaSource);
    return source == null ? clickLookback : source.clickLookback();
  }

  public Duration viewThroughLookbackFor(String mediaSource) {
    SourceRules source = mediaSources.get(mediaSource);
    return source == null ? viewThroughLookback : source.viewThroughLookback();
  }

  /**
   * How old a touch of this kind (click or impression) and media source may be and still count for
   * a candidate: its device-id or referrer window; a probabilistic match's window is no longer
   * ({@link TouchMatcher}). A reader of touches may skip older ones without changing a verdict.
   */
  public Duration lookbackFor(boolean click, String mediaSource) {
    return click ? clickLookbackFor(mediaSource) : viewThroughLookbackFor(mediaSource);
  }

  /**
   * The re-attribution window in force at {@code t}: an install is judged with the setting of the
   * moment it happens (AppsFlyer: "installs are evaluated relative to the setting at the moment of
   * install"), i.e. the earliest earlier setting replaced after {@code t}, else the current one.
   */
  public Duration reAttributionWindowAt(Instant t) {
    for (WindowSetting s : earlierReAttributionWindows) {
      if (t.isBefore(s.until())) {
        return s.window();
      }
    }
    return reAttributionWindow;
  }

  /** The longest re-attribution window this app has had in force, current or earlier. */
  public Duration longestReAttributionWindow() {
    Duration longest = reAttributionWindow;
    for (WindowSetting s : earlierReAttributionWindows) {
      if (s.window().compareTo(longest) > 0) {
        longest = s.window();
      }
    }
    return longest;
  }

  /** The longest span of touch history any rule of this app can look at. */
  public Duration longestLookback() {
    Duration longest = clickLookback;
    for (SourceRules s : mediaSources.values()) {
      if (s.clickLookback().compareTo(longest) > 0) {
        longest = s.clickLookback();
      }
    }
    return longest;
  }
}
