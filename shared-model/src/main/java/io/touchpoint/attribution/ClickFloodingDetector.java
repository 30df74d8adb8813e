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
 * The whole-day click-flooding signal: a site that sprays clicks converts almost none of them,
 * and the few installs it "wins" are organic installs spread evenly over the lookback rather
 * than bunched in the first hour. Only a batch over the whole day can see this.
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

  /** Whether an install verdict counts towards its winning site's installs. */
  public static boolean countsForSite(Attribution a) {
    return a.touchType() == TouchType.CLICK
        && a.siteId() != null
        && (a.kind() == AttributionKind.INSTALL || a.kind() == AttributionKind.RE_ATTRIBUTION)
        && (a.outcome() == Outcome.ATTRIBUTED || a.outcome() == Outcome.REJECTED);
  }

  /** Whether the install was within the first hour of its winning click. */
  public static boolean withinFirstHour(Attribution a) {
    return a.ctitSeconds() != null && a.ctitSeconds() <= FIRST_HOUR.toSeconds();
  }

  /** The verdict with the flooding reason added: rejected, the offending site kept for reports. */
  public static Attribution reject(Attribution a) {
    if (a.fraudReasons().contains(FraudReason.CLICK_FLOODING_SITE)) {
      return a;
    }
    List<FraudReason> reasons = new ArrayList<>(a.fraudReasons());
    reasons.add(FraudReason.CLICK_FLOODING_SITE);
    return new Attribution(a.attributionId(), a.candidateEventId(), a.appId(), a.kind(), Outcome.REJECTED,
        a.eventTime(), a.receivedAt(), a.deviceKey(), a.platform(), a.country(), a.mediaSource(), a.campaignId(),
        a.campaign(), a.adset(), a.siteId(), a.matchType(), a.touchType(), a.touchEventId(), a.touchTime(),
        a.ctitSeconds(), a.contributors(), reasons, a.reEngagement());
  }
}
