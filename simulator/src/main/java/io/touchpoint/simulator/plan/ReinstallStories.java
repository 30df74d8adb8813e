package io.touchpoint.simulator.plan;

import io.touchpoint.model.AttributionKind;
import io.touchpoint.model.MatchType;
import io.touchpoint.model.Outcome;
import io.touchpoint.model.Touchpoint;
import io.touchpoint.simulator.world.World;
import io.touchpoint.simulator.world.World.Placement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A device that installed the app before (the prior install is in the data, possibly in the history
 * before the reported days), removed it and installs it again. Inside the re-attribution window
 * only retargeting touches count; after it, only user-acquisition ones.
 */
final class ReinstallStories extends StoryBase {
  private static final Duration DAY = Duration.ofDays(1);

  ReinstallStories(World world, TouchKit kit, PairStory story) {
    super(world, kit, story);
  }

  CandidatePlan write(Scenario s, Instant t) {
    story.markRetargetable();
    if (s == Scenario.REINSTALL_AFTER_FIRST_WINDOW) {
      return afterFirstWindow(t);
    }
    Duration window = windows.reAttributionWindow();
    Duration gap =
        switch (s) {
          case REINSTALL_IN_WINDOW, RE_ATTRIBUTION -> kit.between(DAY, window.minus(DAY));
          case REINSTALL_WINDOW_EDGE -> window; // exactly the window: still inside
          case REINSTALL_AFTER_WINDOW ->
              window.plus(kit.between(Duration.ofHours(1), Duration.ofDays(20)));
          case REINSTALL_AFTER_WINDOW_EDGE -> window.plusSeconds(1);
          default -> throw new IllegalArgumentException("not a reinstall scenario: " + s);
        };
    Instant priorTime = t.minus(gap);
    Instant uninstalled =
        priorTime.plus(
            Duration.ofMillis((long) (gap.toMillis() * (0.2 + 0.7 * kit.random().nextDouble()))));
    CandidatePlan prior = priorInstall(priorTime);
    story.life(new AppLife(priorTime, uninstalled, true));
    story.life(new AppLife(t, null, true));
    return switch (s) {
      case REINSTALL_IN_WINDOW, REINSTALL_WINDOW_EDGE -> notCredited(s, t, prior);
      case RE_ATTRIBUTION -> reAttribution(t, prior, gap);
      default -> afterWindow(s, t, prior, null);
    };
  }

  /**
   * Three installs: the first (F) opens a window, the middle one (M) falls inside it, the last (T)
   * falls after F's window but inside M's. T is a new install won by a UA click; a newer
   * retargeting click would win it were the window measured from M.
   */
  private CandidatePlan afterFirstWindow(Instant t) {
    Duration window = windows.reAttributionWindow();
    Duration pastFirst = kit.between(Duration.ofHours(1), Duration.ofDays(20));
    Instant first = t.minus(window).minus(pastFirst);
    // M inside F's window (M - F <= window) and T inside M's (T - M <= window - 1 day)
    Duration sinceMiddle = kit.between(pastFirst.plus(DAY), window.minus(DAY));
    Instant middle = t.minus(sinceMiddle);
    CandidatePlan prior = priorInstall(first);
    story.life(new AppLife(first, between(first, middle), true));
    candidate(
        Scenario.PRIOR_REINSTALL,
        middle,
        null,
        honestBegin(middle, null),
        true,
        AttributionKind.REINSTALL,
        Outcome.NOT_CREDITED,
        null,
        MatchType.NONE,
        List.of(),
        prior);
    story.life(new AppLife(middle, between(middle, t), true));
    story.life(new AppLife(t, null, true));
    // T's touches come after M, so none of them can re-attribute M
    return afterWindow(Scenario.REINSTALL_AFTER_FIRST_WINDOW, t, prior, sinceMiddle);
  }

  private Instant between(Instant from, Instant to) {
    long span = Duration.between(from, to).toMillis();
    return from.plusMillis((long) (span * (0.2 + 0.7 * kit.random().nextDouble())));
  }

  /** The first install: won by a user-acquisition click, or organic. */
  private CandidatePlan priorInstall(Instant p) {
    if (kit.chance(0.55)) {
      Placement place = kit.ua();
      Duration window =
          device.hasAdvertisingId()
              ? windows.clickLookback(TouchKit.source(place))
              : windows.probabilistic(TouchKit.source(place));
      Instant clickTime = p.minus(kit.ctit(window));
      if (!clickTime.isBefore(world.historyStart())) {
        Touchpoint win = add(kit.click(place, clickTime));
        return newInstall(
            Scenario.PRIOR_INSTALL,
            p,
            null,
            honestBegin(p, win),
            Outcome.ATTRIBUTED,
            win,
            idMatch(),
            List.of(),
            null);
      }
    }
    return newInstall(
        Scenario.PRIOR_INSTALL,
        p,
        null,
        honestBegin(p, null),
        Outcome.ORGANIC,
        null,
        MatchType.NONE,
        List.of(),
        null);
  }

  /**
   * No retargeting touch in the window: not a new install; a fresh UA click does not change that.
   */
  private CandidatePlan notCredited(Scenario s, Instant t, CandidatePlan prior) {
    if (kit.chance(0.6)) {
      add(kit.click(kit.ua(), t.minus(kit.between(Duration.ofSeconds(30), Duration.ofHours(1)))));
    }
    if (kit.chance(0.2)) {
      Placement rt = kit.retargeting();
      Duration age =
          windows
              .clickLookback(TouchKit.source(rt))
              .plus(kit.between(Duration.ofMinutes(2), Duration.ofDays(2)));
      add(kit.click(rt, t.minus(age)));
    }
    touchesAfter(t);
    return candidate(
        s,
        t,
        null,
        honestBegin(t, null),
        true,
        AttributionKind.REINSTALL,
        Outcome.NOT_CREDITED,
        null,
        MatchType.NONE,
        List.of(),
        prior);
  }

  /** A retargeting click re-attributes the reinstall. */
  private CandidatePlan reAttribution(Instant t, CandidatePlan prior, Duration gap) {
    Placement rt = kit.retargeting();
    boolean viaReferrer = android() && kit.chance(0.3);
    Duration window =
        device.hasAdvertisingId() || viaReferrer
            ? windows.clickLookback(TouchKit.source(rt))
            : windows.probabilistic(TouchKit.source(rt));
    Duration half = gap.dividedBy(2);
    Touchpoint win =
        add(kit.click(rt, t.minus(kit.ctit(window.compareTo(half) < 0 ? window : half))));
    Instant begin = honestBegin(t, win);
    Instant newer = newerNoiseTime(win, begin, t);
    if (newer != null && kit.chance(0.5)) {
      add(
          kit.click(
              kit.ua(), newer)); // user acquisition: ignored for a reinstall inside the window
    }
    if (kit.chance(0.3)) {
      add(
          kit.click(
              kit.otherSource(rt), win.eventTime().minus(kit.between(MINUTE, Duration.ofDays(2)))));
    }
    touchesAfter(t);
    MatchType match = viaReferrer ? MatchType.REFERRER : idMatch();
    return candidate(
        Scenario.RE_ATTRIBUTION,
        t,
        viaReferrer ? win.clickId() : null,
        begin,
        true,
        AttributionKind.RE_ATTRIBUTION,
        Outcome.ATTRIBUTED,
        win,
        match,
        List.of(),
        prior);
  }

  /**
   * Past the window the reinstall is a new install, won by a UA click; retargeting is ignored.
   * {@code prior} is the install that opened the window it falls after; {@code maxAge}, if set,
   * bounds how old the touches placed before the install may be.
   */
  private CandidatePlan afterWindow(Scenario s, Instant t, CandidatePlan prior, Duration maxAge) {
    Placement p = kit.ua();
    Duration window =
        device.hasAdvertisingId()
            ? windows.clickLookback(TouchKit.source(p))
            : windows.probabilistic(TouchKit.source(p));
    if (maxAge != null && maxAge.compareTo(window) < 0) {
      window = maxAge;
    }
    Touchpoint win = add(kit.click(p, t.minus(kit.ctit(window))));
    Instant begin = honestBegin(t, win);
    Instant newer = newerNoiseTime(win, begin, t);
    // the retargeting click would win were the window measured from the latest install
    if (newer != null && (kit.chance(0.5) || s == Scenario.REINSTALL_AFTER_FIRST_WINDOW)) {
      add(kit.click(kit.retargeting(), newer));
    }
    touchesAfter(t);
    return newInstall(s, t, null, begin, Outcome.ATTRIBUTED, win, idMatch(), List.of(), prior);
  }
}
