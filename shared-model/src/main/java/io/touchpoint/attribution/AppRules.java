package io.touchpoint.attribution;

import java.time.Duration;
import java.time.ZoneId;
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
    Map<String, SourceRules> mediaSources) {

  public AppRules {
    mediaSources = Map.copyOf(mediaSources);
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
