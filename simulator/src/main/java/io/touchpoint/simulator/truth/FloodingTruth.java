package io.touchpoint.simulator.truth;

import io.touchpoint.model.AttributionKind;
import io.touchpoint.model.Outcome;
import io.touchpoint.model.TouchType;
import io.touchpoint.simulator.plan.Scenario;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The click-flooding signal per site and UTC day, computed from the planned winners and the clicks
 * actually generated. The plan makes flooding sites clearly flagged and honest sites clearly not;
 * {@link #check} fails the run if the data ever contradicts that.
 */
public final class FloodingTruth {
  /** The detector's defaults (attribution.conf, touchpoint.attribution.flooding). */
  public static final long MIN_CLICKS = 2000;

  public static final double MAX_CONVERSION = 0.002;
  public static final double MAX_SHARE_WITHIN_FIRST_HOUR = 0.35;

  private final Map<SiteDay, Long> clicks = new HashMap<>();
  private final Map<SiteDay, long[]> wins = new HashMap<>();
  private final Set<String> floodingSites = new HashSet<>();
  private final List<TruthRecord> floodWins = new ArrayList<>();

  public FloodingTruth(Set<String> floodingSiteIds) {
    floodingSites.addAll(floodingSiteIds);
  }

  public void addClicks(Map<SiteDay, Long> perSiteDay) {
    perSiteDay.forEach((k, v) -> clicks.merge(k, v, Long::sum));
  }

  /** Counts the install verdicts the site's click won (rejected ones included), by install day. */
  public void addVerdict(TruthRecord t) {
    boolean installKind =
        t.kind() == AttributionKind.INSTALL || t.kind() == AttributionKind.RE_ATTRIBUTION;
    boolean won = t.outcome() == Outcome.ATTRIBUTED || t.outcome() == Outcome.REJECTED;
    if (installKind && won && t.touchType() == TouchType.CLICK && t.siteId() != null) {
      long[] n =
          wins.computeIfAbsent(
              new SiteDay(t.appId(), t.siteId(), t.mediaSource(), t.eventDayUtc()),
              k -> new long[2]);
      n[0]++;
      n[1] += t.ctitSeconds() != null && t.ctitSeconds() <= 3600 ? 1 : 0;
    }
    if (Scenario.FLOODING_SITE.label().equals(t.scenario())) {
      floodWins.add(t);
    }
  }

  public List<SiteDayTruth> siteDays() {
    Set<SiteDay> keys = new HashSet<>(clicks.keySet());
    keys.addAll(wins.keySet());
    List<SiteDayTruth> out = new ArrayList<>();
    for (SiteDay k : keys) {
      long c = clicks.getOrDefault(k, 0L);
      long[] w = wins.getOrDefault(k, new long[2]);
      double conversion = c == 0 ? 0 : (double) w[0] / c;
      double share = w[0] == 0 ? 0 : (double) w[1] / w[0];
      boolean flagged =
          c >= MIN_CLICKS && conversion <= MAX_CONVERSION && share <= MAX_SHARE_WITHIN_FIRST_HOUR;
      out.add(
          new SiteDayTruth(
              k.appId(),
              k.siteId(),
              k.mediaSource(),
              k.day(),
              c,
              w[0],
              w[1],
              conversion,
              share,
              flagged,
              floodingSites.contains(k.siteId())));
    }
    out.sort(
        Comparator.comparing(SiteDayTruth::appId)
            .thenComparing(SiteDayTruth::siteId)
            .thenComparing(SiteDayTruth::day));
    return out;
  }

  /**
   * Fails unless every planned flooding win lies on a flagged site-day and no honest site is
   * flagged.
   */
  public void check(List<SiteDayTruth> siteDays) {
    Set<SiteDay> flagged = new HashSet<>();
    for (SiteDayTruth s : siteDays) {
      if (s.flagged()) {
        if (!s.floodingSite()) {
          throw new IllegalStateException("honest site flagged as flooding: " + s);
        }
        flagged.add(new SiteDay(s.appId(), s.siteId(), s.mediaSource(), s.day()));
      }
    }
    for (TruthRecord t : floodWins) {
      if (!flagged.contains(new SiteDay(t.appId(), t.siteId(), t.mediaSource(), t.eventDayUtc()))) {
        throw new IllegalStateException("flooding win on a site-day that is not flagged: " + t);
      }
    }
  }
}
