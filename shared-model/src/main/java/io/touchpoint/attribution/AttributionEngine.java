package io.touchpoint.attribution;

import io.touchpoint.model.Attribution;
import io.touchpoint.model.AttributionKind;
import io.touchpoint.model.Contributor;
import io.touchpoint.model.FraudReason;
import io.touchpoint.model.MatchType;
import io.touchpoint.model.Outcome;
import io.touchpoint.model.TouchType;
import io.touchpoint.model.Touchpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The attribution rules, written once: a pure function from a candidate, the touches that may match
 * it, the install that opened the device's re-attribution window and the app's rules to a verdict.
 * The speed layer, the batch layer and check-truth all call this; see docs/attribution-rules.md.
 */
public final class AttributionEngine {
  private AttributionEngine() {}

  /**
   * @param touches a superset of the touches that may match (any order; non-matching ones are
   *     ignored)
   * @param windowAnchor the install of this device and app that opened the re-attribution window
   *     the candidate falls in, from {@link ReAttributionWindow#anchorFor} over the device's
   *     earlier installs (or {@link ReAttributionWindow#next} kept in state); null when none
   */
  public static Attribution attribute(
      Candidate candidate, Iterable<Touchpoint> touches, Instant windowAnchor, AppRules rules) {
    boolean reinstallInsideWindow =
        !candidate.reEngagement()
            && ReAttributionWindow.isInside(windowAnchor, candidate.time(), rules);
    boolean retargetingOnly = candidate.reEngagement() || reinstallInsideWindow;

    TouchMatcher matcher = new TouchMatcher(candidate, rules, retargetingOnly);
    List<QualifiedTouch> qualified = new ArrayList<>();
    for (Touchpoint touch : touches) {
      matcher.qualify(touch).ifPresent(qualified::add);
    }
    qualified.sort(QualifiedTouch.BEST_FIRST);
    Optional<QualifiedTouch> winner = qualified.stream().findFirst();

    AttributionKind kind = kindOf(candidate, reinstallInsideWindow, winner.isPresent());
    if (winner.isEmpty()) {
      Outcome outcome = kind == AttributionKind.INSTALL ? Outcome.ORGANIC : Outcome.NOT_CREDITED;
      return verdict(candidate, kind, outcome, null, null, List.of(), List.of());
    }
    QualifiedTouch win = winner.get();
    Long ctit =
        win.touch().isClick() && !candidate.reEngagement()
            ? Duration.between(win.touch().eventTime(), candidate.time()).toSeconds()
            : null;
    List<FraudReason> fraud =
        candidate.reEngagement() ? List.of() : fraudReasons(candidate, win.touch(), rules);
    Outcome outcome = fraud.isEmpty() ? Outcome.ATTRIBUTED : Outcome.REJECTED;
    return verdict(
        candidate,
        kind,
        outcome,
        win,
        ctit,
        contributors(qualified, win, rules.maxContributors()),
        fraud);
  }

  private static AttributionKind kindOf(
      Candidate candidate, boolean reinstallInsideWindow, boolean hasWinner) {
    if (candidate.reEngagement()) {
      return AttributionKind.RE_ENGAGEMENT;
    }
    if (reinstallInsideWindow) {
      return hasWinner ? AttributionKind.RE_ATTRIBUTION : AttributionKind.REINSTALL;
    }
    return AttributionKind.INSTALL;
  }

  /** Click-injection checks on the winning click; impressions carry no click time to inject. */
  private static List<FraudReason> fraudReasons(
      Candidate candidate, Touchpoint winner, AppRules rules) {
    if (!winner.isClick()) {
      return List.of();
    }
    List<FraudReason> reasons = new ArrayList<>(2);
    if (Duration.between(winner.eventTime(), candidate.time()).compareTo(rules.ctitMinimum()) < 0) {
      reasons.add(FraudReason.CTIT_BELOW_THRESHOLD);
    }
    Instant begin = candidate.installBeginTime();
    if (rules.installBeginCheck()
        && begin != null
        && winner.eventTime().isAfter(begin)
        && winner.eventTime().isBefore(candidate.time())) {
      reasons.add(FraudReason.CLICK_AFTER_INSTALL_BEGIN);
    }
    return reasons;
  }

  /** Each other media source's best touch, best first, at most {@code max}. */
  private static List<Contributor> contributors(
      List<QualifiedTouch> bestFirst, QualifiedTouch winner, int max) {
    List<Contributor> result = new ArrayList<>(max);
    Set<String> seen = new HashSet<>();
    seen.add(winner.touch().mediaSource());
    for (QualifiedTouch q : bestFirst) {
      if (result.size() >= max) {
        break;
      }
      Touchpoint t = q.touch();
      if (seen.add(t.mediaSource())) {
        result.add(
            new Contributor(
                t.mediaSource(),
                t.campaignId(),
                t.siteId(),
                touchType(t),
                q.matchType(),
                t.eventId(),
                t.eventTime()));
      }
    }
    return result;
  }

  private static Attribution verdict(
      Candidate c,
      AttributionKind kind,
      Outcome outcome,
      QualifiedTouch win,
      Long ctit,
      List<Contributor> contributors,
      List<FraudReason> fraud) {
    Touchpoint t = win == null ? null : win.touch();
    boolean reEngagement =
        kind == AttributionKind.RE_ENGAGEMENT || kind == AttributionKind.RE_ATTRIBUTION;
    return new Attribution(
        AttributionIds.attributionId(c.eventId()),
        c.eventId(),
        c.appId(),
        kind,
        outcome,
        c.time(),
        c.receivedAt(),
        c.device().deviceKey(),
        c.device().platform(),
        c.device().country(),
        t == null ? null : t.mediaSource(),
        t == null ? null : t.campaignId(),
        t == null ? null : t.campaign(),
        t == null ? null : t.adset(),
        t == null ? null : t.siteId(),
        win == null ? MatchType.NONE : win.matchType(),
        t == null ? TouchType.NONE : touchType(t),
        t == null ? null : t.eventId(),
        t == null ? null : t.eventTime(),
        ctit,
        contributors,
        fraud,
        reEngagement);
  }

  static TouchType touchType(Touchpoint t) {
    return t.isClick() ? TouchType.CLICK : TouchType.IMPRESSION;
  }
}
