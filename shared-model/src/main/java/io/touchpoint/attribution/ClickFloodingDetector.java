package io.touchpoint.attribution;

import io.touchpoint.model.Attribution;
import io.touchpoint.model.AttributionKind;
import io.touchpoint.model.FraudReason;
import io.touchpoint.model.Outcome;
import io.touchpoint.model.TouchType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The whole-day click-flooding signal: a site that sprays clicks converts almost none of them, and
 * the few installs it "wins" are organic installs spread evenly over the lookback rather than
 * bunched in the first hour. Only a batch over the whole day can see this.
 */
public final class ClickFloodingDetector {
  /** The CTIT bucket that honest clicks fill and flooding clicks do not. */
  public static final Duration FIRST_HOUR = Duration.ofHours(1);

  private ClickFloodingDetector() {}

  public static boolean isFlooding(SiteDayStats site, FloodingRules rules) {
    return site.clicks() >= rules.minClicks()
        && site.conversionRate() <= rules.maxConversionRate()
        && site.shareWithinFirstHour() <= rules.maxShareWithinFirstHour();
  }

  /** Whether a touch counts as one of its site's clicks of the day (a click with a click id). */
  public static boolean countsAsClick(boolean click, String clickId) {
    return click && clickId != null;
  }

  /** Whether an install verdict counts towards its winning site's installs. */
  public static boolean countsForSite(Attribution a) {
    return countsForSite(a.touchType(), a.siteId(), a.kind(), a.outcome());
  }

  /** The same from plain fields (engines holding verdicts as columns). */
  public static boolean countsForSite(
      TouchType touchType, String siteId, AttributionKind kind, Outcome outcome) {
    return touchType == TouchType.CLICK
        && siteId != null
        && (kind == AttributionKind.INSTALL || kind == AttributionKind.RE_ATTRIBUTION)
        && (outcome == Outcome.ATTRIBUTED || outcome == Outcome.REJECTED);
  }

  /** Whether the install was within the first hour of its winning click. */
  public static boolean withinFirstHour(Attribution a) {
    return withinFirstHour(a.ctitSeconds());
  }

  /** The same from the verdict's CTIT in seconds (null: no click won). */
  public static boolean withinFirstHour(Long ctitSeconds) {
    return ctitSeconds != null && ctitSeconds <= FIRST_HOUR.toSeconds();
  }

  /** The verdict with the flooding reason added: rejected, the offending site kept for reports. */
  public static Attribution reject(Attribution a) {
    if (a.fraudReasons().contains(FraudReason.CLICK_FLOODING_SITE)) {
      return a;
    }
    List<FraudReason> reasons = new ArrayList<>(a.fraudReasons());
    reasons.add(FraudReason.CLICK_FLOODING_SITE);
    return new Attribution(
        a.attributionId(),
        a.candidateEventId(),
        a.appId(),
        a.kind(),
        Outcome.REJECTED,
        a.eventTime(),
        a.receivedAt(),
        a.deviceKey(),
        a.platform(),
        a.country(),
        a.mediaSource(),
        a.campaignId(),
        a.campaign(),
        a.adset(),
        a.siteId(),
        a.matchType(),
        a.touchType(),
        a.touchEventId(),
        a.touchTime(),
        a.ctitSeconds(),
        a.contributors(),
        reasons,
        a.reEngagement());
  }
}
