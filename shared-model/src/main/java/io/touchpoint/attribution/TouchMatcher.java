package io.touchpoint.attribution;

import io.touchpoint.model.MatchType;
import io.touchpoint.model.Touchpoint;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** Decides whether and how one touch matches a candidate, windows included. */
final class TouchMatcher {
  private final Candidate candidate;
  private final AppRules rules;
  private final boolean retargetingOnly;
  private final String candidateUaFamily;

  TouchMatcher(Candidate candidate, AppRules rules, boolean retargetingOnly) {
    this.candidate = candidate;
    this.rules = rules;
    this.retargetingOnly = retargetingOnly;
    this.candidateUaFamily = UserAgentFamily.of(candidate.device().userAgent());
  }

  Optional<QualifiedTouch> qualify(Touchpoint touch) {
    if (!candidate.appId().equals(touch.appId()) || touch.retargeting() != retargetingOnly) {
      return Optional.empty();
    }
    Duration age = Duration.between(touch.eventTime(), candidate.time());
    if (age.isNegative() || age.isZero()) {
      return Optional.empty(); // a touch at or after the conversion never counts
    }
    MatchType match = matchType(touch);
    if (match == MatchType.NONE || age.compareTo(window(touch, match)) > 0) {
      return Optional.empty();
    }
    return Optional.of(new QualifiedTouch(touch, match));
  }

  private MatchType matchType(Touchpoint touch) {
    String touchAdId = touch.device() == null ? null : touch.device().matchableAdvertisingId();
    if (touch.isClick()
        && touch.clickId() != null
        && touch.clickId().equals(candidate.linkClickId())) {
      return MatchType.REFERRER;
    }
    if (touchAdId != null && touchAdId.equals(candidate.device().matchableAdvertisingId())) {
      return MatchType.DEVICE_ID;
    }
    if (touch.isClick()
        && touchAdId == null
        && rules.probabilisticEnabled()
        && sameIpAndUaFamily(touch)) {
      return MatchType.PROBABILISTIC;
    }
    return MatchType.NONE;
  }

  private boolean sameIpAndUaFamily(Touchpoint touch) {
    return touch.device() != null
        && touch.device().ip() != null
        && touch.device().ip().equals(candidate.device().ip())
        && candidateUaFamily != null
        && Objects.equals(candidateUaFamily, UserAgentFamily.of(touch.device().userAgent()));
  }

  private Duration window(Touchpoint touch, MatchType match) {
    Duration lookback = rules.lookbackFor(touch.isClick(), touch.mediaSource());
    return switch (match) {
      // a probabilistic match is a click's: never longer than the click's own window
      case PROBABILISTIC -> min(rules.probabilisticLookback(), lookback);
      case REFERRER, DEVICE_ID -> lookback;
      case NONE -> Duration.ZERO;
    };
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
