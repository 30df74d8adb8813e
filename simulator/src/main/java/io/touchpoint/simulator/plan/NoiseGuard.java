package io.touchpoint.simulator.plan;

import io.touchpoint.model.MatchType;
import io.touchpoint.model.Touchpoint;
import io.touchpoint.simulator.world.AppWindows;
import java.time.Duration;

/**
 * Decides whether a touch can be added to a device's timeline without changing a planned verdict.
 * This is not the attribution engine: it never picks a winner (the scenario did), it only proves,
 * conservatively, that a touch cannot outrank the planned one. Anything it cannot prove harmless is
 * treated as harmful and kept out of the data.
 *
 * <p>Conservative on purpose: a touch within a minute beyond its window counts as qualifying, and
 * "older than the winner" means older by at least a second, so no boundary or tie-break subtlety of
 * the engine can turn noise into the winner.
 */
public final class NoiseGuard {
  static final Duration WINDOW_MARGIN = Duration.ofMinutes(1);
  static final Duration OLDER_MARGIN = Duration.ofSeconds(1);

  private NoiseGuard() {}

  public static boolean harmless(Touchpoint touch, CandidatePlan c) {
    if (c.winner() != null && c.winner().eventId().equals(touch.eventId())) {
      return true;
    }
    if (!touch.appId().equals(c.app().appId())
        || !touch.eventTime().isBefore(c.time())
        || touch.retargeting() != c.countsRetargeting()) {
      return true; // other app, at or after the candidate, or filtered by campaign type
    }
    MatchType match = possibleMatch(touch, c);
    if (match == MatchType.NONE) {
      return true;
    }
    return c.winner() != null && strictlyWorse(match, touch, c.matchType(), c.winner());
  }

  /** The best way the touch could match the candidate inside its window (plus margin). */
  static MatchType possibleMatch(Touchpoint t, CandidatePlan c) {
    AppWindows w = c.app().windows();
    Duration age = Duration.between(t.eventTime(), c.time());
    String source = t.mediaSource();
    String aid = t.device().advertisingId();
    if (t.isClick()
        && t.clickId() != null
        && t.clickId().equals(c.linkClickId())
        && within(age, w.longestClickLookback())) {
      return MatchType.REFERRER;
    }
    if (aid != null
        && aid.equals(c.advertisingId())
        && within(age, t.isClick() ? w.clickLookback(source) : w.viewThroughLookback())) {
      return MatchType.DEVICE_ID;
    }
    if (t.isClick()
        && aid == null
        && t.device().ip() != null
        && t.device().ip().equals(c.ip())
        && within(age, w.probabilistic(source))) {
      return MatchType.PROBABILISTIC;
    }
    return MatchType.NONE;
  }

  private static boolean within(Duration age, Duration window) {
    return age.compareTo(window.plus(WINDOW_MARGIN)) <= 0;
  }

  /** Match priority first, then click over impression, then the later touch. */
  private static boolean strictlyWorse(
      MatchType match, Touchpoint touch, MatchType winnerMatch, Touchpoint winner) {
    if (match != winnerMatch) {
      return match.ordinal() > winnerMatch.ordinal();
    }
    if (touch.isClick() != winner.isClick()) {
      return winner.isClick();
    }
    return !touch.eventTime().isAfter(winner.eventTime().minus(OLDER_MARGIN));
  }
}
