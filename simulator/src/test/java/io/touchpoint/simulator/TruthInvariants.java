package io.touchpoint.simulator;

import io.touchpoint.model.AttributionKind;
import io.touchpoint.model.Event;
import io.touchpoint.model.FraudReason;
import io.touchpoint.model.Install;
import io.touchpoint.model.MatchType;
import io.touchpoint.model.Outcome;
import io.touchpoint.model.Session;
import io.touchpoint.model.Touchpoint;
import io.touchpoint.simulator.truth.TruthRecord;
import io.touchpoint.simulator.world.AppWindows;
import io.touchpoint.simulator.world.Portfolio;
import io.touchpoint.simulator.world.SimApp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a run's truth against its own events: each named touch exists and lies inside its window
 * before the candidate, fraud reasons agree with the times, reinstalls have their prior install,
 * and (a partial, test-only look at the noise) no touch of the same class and campaign type lies
 * between a device-id winner and its candidate.
 */
final class TruthInvariants {
  private final Map<String, Event> byId = new HashMap<>();
  private final Map<String, List<Touchpoint>> touchesByAid = new HashMap<>();
  private final Map<String, SimApp> apps = new HashMap<>();
  private final List<String> problems = new ArrayList<>();

  private TruthInvariants(List<Event> events) {
    Portfolio.apps().forEach(a -> apps.put(a.appId(), a));
    for (Event e : events) {
      byId.put(e.eventId(), e);
      if (e instanceof Touchpoint t && t.device().advertisingId() != null) {
        touchesByAid
            .computeIfAbsent(t.appId() + "|" + t.device().advertisingId(), k -> new ArrayList<>())
            .add(t);
      }
    }
  }

  static List<String> violations(TestRuns.Run run) {
    SimulatedDataset data = run.data();
    TruthInvariants check = new TruthInvariants(run.events());
    List<TruthRecord> truth = data.truth();
    for (TruthRecord t : truth) {
      check.candidate(t);
    }
    long candidates =
        check.byId.values().stream()
            .filter(
                e ->
                    e instanceof Install || (e instanceof Session s && s.deepLinkClickId() != null))
            .count();
    if (candidates != truth.size()) {
      check.problems.add("candidates in data " + candidates + " != truth lines " + truth.size());
    }
    return check.problems;
  }

  private void candidate(TruthRecord t) {
    Event c = byId.get(t.candidateEventId());
    if (c == null || !c.eventTime().equals(t.eventTime())) {
      problem(t, "candidate event missing or at another time");
      return;
    }
    AppWindows w = apps.get(t.appId()).windows();
    if (t.touchEventId() != null) {
      winner(t, c, w);
    } else if (t.outcome() != Outcome.ORGANIC && t.outcome() != Outcome.NOT_CREDITED) {
      problem(t, "no winner but outcome " + t.outcome());
    }
    if (t.priorInstallEventId() != null) {
      prior(t, c, w);
    }
    if (t.outcome() == Outcome.ORGANIC && c.device().advertisingId() != null) {
      noQualifyingIdTouch(t, c, w);
    }
  }

  private void winner(TruthRecord t, Event c, AppWindows w) {
    if (!(byId.get(t.touchEventId()) instanceof Touchpoint touch)) {
      problem(t, "winning touch missing");
      return;
    }
    Duration age = Duration.between(touch.eventTime(), c.eventTime());
    Duration window =
        switch (t.matchType()) {
          case PROBABILISTIC -> w.probabilistic(touch.mediaSource());
          case REFERRER, DEVICE_ID ->
              touch.isClick() ? w.clickLookback(touch.mediaSource()) : w.viewThroughLookback();
          default -> Duration.ZERO;
        };
    if (age.isNegative() || age.isZero() || age.compareTo(window) > 0) {
      problem(t, "winner outside its window: age " + age + ", window " + window);
    }
    boolean retargetingKind =
        t.kind() == AttributionKind.RE_ATTRIBUTION || t.kind() == AttributionKind.RE_ENGAGEMENT;
    if (touch.retargeting() != retargetingKind) {
      problem(t, "winner's campaign type does not fit the kind");
    }
    String link = c instanceof Install i ? i.referrerClickId() : ((Session) c).deepLinkClickId();
    if ((t.matchType() == MatchType.REFERRER)
        != (touch.clickId() != null && touch.clickId().equals(link))) {
      problem(t, "referrer match disagrees with the link click id");
    }
    if (t.matchType() == MatchType.DEVICE_ID
        && !touch.device().advertisingId().equals(c.device().advertisingId())) {
      problem(t, "device-id winner with another advertising id");
    }
    if (t.matchType() == MatchType.PROBABILISTIC
        && (touch.device().advertisingId() != null
            || !touch.device().ip().equals(c.device().ip()))) {
      problem(t, "probabilistic winner with an id or another IP");
    }
    if (c instanceof Install install) {
      fraud(t, install, touch, w);
    }
    if (t.matchType() == MatchType.DEVICE_ID && touch.isClick()) {
      for (Touchpoint other :
          touchesByAid.getOrDefault(t.appId() + "|" + touch.device().advertisingId(), List.of())) {
        if (other.isClick()
            && other.retargeting() == touch.retargeting()
            && other != touch
            && !other.eventTime().isBefore(touch.eventTime())
            && other.eventTime().isBefore(c.eventTime())) {
          problem(t, "a newer click of the same class before the candidate: " + other.eventId());
        }
      }
    }
  }

  private void fraud(TruthRecord t, Install c, Touchpoint touch, AppWindows w) {
    if (!touch.isClick()) {
      if (!t.fraudReasons().isEmpty()) {
        problem(t, "fraud on an impression");
      }
      return;
    }
    boolean ctit =
        Duration.between(touch.eventTime(), c.eventTime()).compareTo(w.ctitMinimum()) < 0;
    Instant begin = c.installBeginTime();
    boolean afterBegin =
        begin != null
            && touch.eventTime().isAfter(begin)
            && touch.eventTime().isBefore(c.eventTime());
    if (ctit != t.fraudReasons().contains(FraudReason.CTIT_BELOW_THRESHOLD)
        || afterBegin != t.fraudReasons().contains(FraudReason.CLICK_AFTER_INSTALL_BEGIN)) {
      problem(t, "fraud reasons disagree with the times");
    }
  }

  private void prior(TruthRecord t, Event c, AppWindows w) {
    if (!(byId.get(t.priorInstallEventId()) instanceof Install p)
        || !p.eventTime().isBefore(c.eventTime())
        || !p.device().deviceKey().equals(c.device().deviceKey())) {
      problem(t, "prior install missing, later, or of another device");
      return;
    }
    boolean inside =
        Duration.between(p.eventTime(), c.eventTime()).compareTo(w.reAttributionWindow()) <= 0;
    boolean reinstallKind =
        t.kind() == AttributionKind.REINSTALL || t.kind() == AttributionKind.RE_ATTRIBUTION;
    if (inside != reinstallKind) {
      problem(t, "kind disagrees with the gap to the prior install");
    }
  }

  private void noQualifyingIdTouch(TruthRecord t, Event c, AppWindows w) {
    for (Touchpoint other :
        touchesByAid.getOrDefault(t.appId() + "|" + c.device().advertisingId(), List.of())) {
      Duration age = Duration.between(other.eventTime(), c.eventTime());
      Duration window =
          other.isClick() ? w.clickLookback(other.mediaSource()) : w.viewThroughLookback();
      if (!other.retargeting()
          && !age.isNegative()
          && !age.isZero()
          && age.compareTo(window) <= 0) {
        problem(t, "organic install with a qualifying touch " + other.eventId());
      }
    }
  }

  private void problem(TruthRecord t, String what) {
    problems.add(t.scenario() + " " + t.candidateEventId() + ": " + what);
  }
}
