package io.touchpoint.simulator.plan;

import io.touchpoint.model.FraudReason;
import io.touchpoint.model.MatchType;
import io.touchpoint.model.Outcome;
import io.touchpoint.model.Touchpoint;
import io.touchpoint.simulator.world.FloodSlot;
import io.touchpoint.simulator.world.World;
import io.touchpoint.simulator.world.World.Placement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * First installs: the winner is placed first, then only noise that cannot outrank it (older touches
 * of the same class, lower classes, other campaign types, touches after the install or beyond their
 * window).
 */
final class NewInstallStories extends StoryBase {

  NewInstallStories(World world, TouchKit kit, PairStory story) {
    super(world, kit, story);
  }

  CandidatePlan write(Scenario s, Instant t) {
    story.life(new AppLife(t, null, true));
    return switch (s) {
      case DEVICE_ID_CLICK -> clickWin(s, t, false);
      case REFERRER_CLICK -> clickWin(s, t, true);
      case PROBABILISTIC_CLICK -> probabilistic(t);
      case VIEW_THROUGH -> viewThrough(t, false);
      case VIEW_THROUGH_WINDOW_EDGE -> viewThrough(t, true);
      case ORGANIC -> organic(t);
      case CTIT_FRAUD -> ctitFraud(t);
      case INSTALL_BEGIN_FRAUD -> installBeginFraud(t);
      case CLICK_WINDOW_EDGE -> clickWindowEdge(t);
      case CTIT_THRESHOLD_EDGE -> ctitEdge(t);
      default -> throw new IllegalArgumentException("not a new-install scenario: " + s);
    };
  }

  /** DEVICE_ID (advertising id) or REFERRER (Play referrer carries the click id) winner. */
  CandidatePlan clickWin(Scenario s, Instant t, boolean viaReferrer) {
    Placement p = kit.ua();
    Touchpoint win =
        add(kit.click(p, t.minus(kit.ctit(windows.clickLookback(TouchKit.source(p))))));
    Instant begin = honestBegin(t, win);
    if (kit.chance(0.7)) {
      add(
          kit.impression(
              p, win.eventTime().minus(kit.between(Duration.ofSeconds(5), Duration.ofHours(2)))));
    }
    olderClicks(win, p);
    newerNoise(win, begin, t, viaReferrer);
    if (kit.chance(0.2)) {
      clickBeyondWindow(t);
    }
    touchesAfter(t);
    MatchType match = viaReferrer ? MatchType.REFERRER : MatchType.DEVICE_ID;
    return newInstall(
        s,
        t,
        viaReferrer ? win.clickId() : null,
        begin,
        Outcome.ATTRIBUTED,
        win,
        match,
        List.of(),
        null);
  }

  private void olderClicks(Touchpoint win, Placement p) {
    int n = kit.chance(0.5) ? 1 + kit.random().nextInt(2) : 0;
    for (int i = 0; i < n; i++) {
      add(
          kit.click(
              kit.otherUa(p), win.eventTime().minus(kit.between(MINUTE, Duration.ofDays(5)))));
    }
  }

  /** Touches after the winner that lose anyway: lower match class, impressions, retargeting. */
  private void newerNoise(Touchpoint win, Instant begin, Instant t, boolean referrerWins) {
    Instant at = newerNoiseTime(win, begin, t);
    if (at == null) {
      return;
    }
    if (kit.chance(0.3)) {
      add(kit.impression(kit.otherUa(kit.ua()), at));
    } else if (kit.chance(0.2)) {
      add(kit.click(kit.retargeting(), at)); // a new install counts user-acquisition touches only
    } else if (referrerWins && kit.chance(0.5)) {
      add(kit.click(kit.ua(), at)); // a device-id (or IP) match never beats the referrer
    } else if (device.hasAdvertisingId() && kit.chance(0.15)) {
      add(kit.webClick(kit.ua(), at)); // probabilistic-only when a deterministic match wins
    }
  }

  CandidatePlan probabilistic(Instant t) {
    Placement p = kit.ua();
    Duration window = windows.probabilistic(TouchKit.source(p));
    Touchpoint win = add(kit.click(p, t.minus(kit.ctit(window))));
    Instant begin = honestBegin(t, win);
    if (kit.chance(0.4)) {
      Instant older = win.eventTime().minus(kit.between(MINUTE, Duration.ofHours(20)));
      add(kit.click(kit.otherUa(p), older));
    }
    if (kit.chance(0.3)) {
      // inside the click lookback but beyond the probabilistic window: does not qualify
      Placement q = kit.otherUa(p);
      Duration max = windows.clickLookback(TouchKit.source(q)).minus(MINUTE);
      Duration min = windows.probabilistic(TouchKit.source(q)).plus(Duration.ofMinutes(2));
      if (max.compareTo(min) > 0) {
        add(kit.click(q, t.minus(kit.between(min, max))));
      }
    }
    if (kit.chance(0.5)) {
      add(
          kit.impression(
              kit.ua(), kit.within(t.minus(Duration.ofDays(2)), t))); // no id: never matches
    }
    newerNoise(win, begin, t, false);
    touchesAfter(t);
    return newInstall(
        Scenario.PROBABILISTIC_CLICK,
        t,
        null,
        begin,
        Outcome.ATTRIBUTED,
        win,
        MatchType.PROBABILISTIC,
        List.of(),
        null);
  }

  CandidatePlan viewThrough(Instant t, boolean atEdge) {
    Placement p = kit.ua();
    Duration window = windows.viewThroughLookback();
    Duration age = atEdge ? window : kit.between(MINUTE, window.minus(MINUTE));
    Touchpoint win = add(kit.impression(p, t.minus(age)));
    if (kit.chance(0.4)) {
      add(
          kit.impression(
              kit.otherUa(p),
              win.eventTime().minus(kit.between(SECOND.multipliedBy(2), Duration.ofHours(12)))));
    }
    if (kit.chance(0.3)) {
      clickBeyondWindow(t);
    }
    if (kit.chance(0.2)) {
      add(kit.click(kit.retargeting(), kit.within(win.eventTime(), t)));
    }
    touchesAfter(t);
    Scenario s = atEdge ? Scenario.VIEW_THROUGH_WINDOW_EDGE : Scenario.VIEW_THROUGH;
    return newInstall(
        s,
        t,
        null,
        honestBegin(t, null),
        Outcome.ATTRIBUTED,
        win,
        MatchType.DEVICE_ID,
        List.of(),
        null);
  }

  CandidatePlan organic(Instant t) {
    if (kit.chance(0.3)) {
      clickBeyondWindow(t);
    }
    if (device.hasAdvertisingId() && kit.chance(0.3)) {
      Duration age =
          windows
              .viewThroughLookback()
              .plus(kit.between(Duration.ofMinutes(2), Duration.ofDays(3)));
      add(kit.impression(kit.ua(), t.minus(age)));
    }
    if (!device.hasAdvertisingId() && kit.chance(0.5)) {
      add(
          kit.impression(
              kit.ua(), kit.within(t.minus(Duration.ofHours(6)), t))); // no id: never matches
    }
    if (kit.chance(0.2)) {
      add(kit.click(kit.retargeting(), kit.within(t.minus(Duration.ofHours(6)), t)));
    }
    touchesAfter(t);
    return newInstall(
        Scenario.ORGANIC,
        t,
        null,
        honestBegin(t, null),
        Outcome.ORGANIC,
        null,
        MatchType.NONE,
        List.of(),
        null);
  }

  /**
   * Click injection: a click seconds before the first open; on Android also after the download
   * began.
   */
  CandidatePlan ctitFraud(Instant t) {
    Placement inj = world.injection(kit.random(), app);
    Duration below = windows.ctitMinimum().minusMillis(500);
    Touchpoint click = add(kit.click(inj, t.minus(kit.between(SECOND, below))));
    Instant begin = null;
    List<FraudReason> reasons = new ArrayList<>(List.of(FraudReason.CTIT_BELOW_THRESHOLD));
    if (android() && kit.chance(INSTALL_BEGIN_SHARE)) {
      begin = t.minus(kit.between(Duration.ofSeconds(20), Duration.ofMinutes(10)));
      reasons.add(FraudReason.CLICK_AFTER_INSTALL_BEGIN);
    }
    honestOlderClick(click, 0.7);
    String referrer = android() ? click.clickId() : null;
    MatchType match = android() ? MatchType.REFERRER : idMatch();
    return newInstall(
        Scenario.CTIT_FRAUD, t, referrer, begin, Outcome.REJECTED, click, match, reasons, null);
  }

  /** A click after install_begin_time but long enough before the open to pass the CTIT check. */
  CandidatePlan installBeginFraud(Instant t) {
    Instant begin = t.minus(kit.between(Duration.ofSeconds(60), Duration.ofMinutes(15)));
    Placement inj = world.injection(kit.random(), app);
    Instant latest = t.minus(windows.ctitMinimum()).minusSeconds(5);
    Touchpoint click = add(kit.click(inj, kit.within(begin.plusSeconds(1), latest)));
    honestOlderClick(click, 0.8);
    boolean viaReferrer = !device.hasAdvertisingId() || kit.chance(0.5);
    return newInstall(
        Scenario.INSTALL_BEGIN_FRAUD,
        t,
        viaReferrer ? click.clickId() : null,
        begin,
        Outcome.REJECTED,
        click,
        viaReferrer ? MatchType.REFERRER : MatchType.DEVICE_ID,
        List.of(FraudReason.CLICK_AFTER_INSTALL_BEGIN),
        null);
  }

  /** The honest click the fraud tried to steal: older, so it loses (and rejection is final). */
  private void honestOlderClick(Touchpoint fraudulent, double p) {
    if (kit.chance(p)) {
      Duration max = device.hasAdvertisingId() ? Duration.ofDays(2) : Duration.ofHours(12);
      add(kit.click(kit.ua(), fraudulent.eventTime().minus(kit.between(MINUTE, max))));
    }
  }

  /** A click exactly one lookback old: the far end of the window is inclusive. */
  CandidatePlan clickWindowEdge(Instant t) {
    Placement p = kit.ua();
    Touchpoint win = add(kit.click(p, t.minus(windows.clickLookback(TouchKit.source(p)))));
    if (kit.chance(0.5)) {
      add(kit.impression(kit.otherUa(p), kit.within(t.minus(Duration.ofHours(12)), t)));
    }
    if (kit.chance(0.3)) {
      add(kit.click(kit.retargeting(), kit.within(t.minus(Duration.ofHours(12)), t)));
    }
    touchesAfter(t);
    return newInstall(
        Scenario.CLICK_WINDOW_EDGE,
        t,
        null,
        honestBegin(t, win),
        Outcome.ATTRIBUTED,
        win,
        MatchType.DEVICE_ID,
        List.of(),
        null);
  }

  /** CTIT exactly at the threshold: not below it, so not fraud. */
  CandidatePlan ctitEdge(Instant t) {
    Placement p = kit.ua();
    Touchpoint win = add(kit.click(p, t.minus(windows.ctitMinimum())));
    Instant begin =
        android() && kit.chance(0.5)
            ? win.eventTime()
                .plusMillis(1 + kit.random().nextLong(windows.ctitMinimum().toMillis() - 1))
            : null;
    olderClicks(win, p);
    touchesAfter(t);
    return newInstall(
        Scenario.CTIT_THRESHOLD_EDGE,
        t,
        null,
        begin,
        Outcome.ATTRIBUTED,
        win,
        MatchType.DEVICE_ID,
        List.of(),
        null);
  }

  /**
   * An organic install that a flooding site's sprayed click "wins"; the site is flagged that day.
   */
  CandidatePlan floodWin(FloodSlot slot) {
    Instant t = slot.installTime();
    story.life(new AppLife(t, null, true));
    Placement p = new Placement(slot.site().campaign(), slot.site().siteId());
    Duration lookback = windows.clickLookback(TouchKit.source(p)).minusHours(1);
    Duration max = lookback.compareTo(Duration.ofDays(6)) < 0 ? lookback : Duration.ofDays(6);
    Touchpoint win = add(kit.click(p, t.minus(kit.between(Duration.ofHours(2), max))));
    if (kit.chance(0.3)) {
      add(
          kit.click(
              kit.otherUa(p), win.eventTime().minus(kit.between(MINUTE, Duration.ofDays(3)))));
    }
    touchesAfter(t);
    return newInstall(
        Scenario.FLOODING_SITE,
        t,
        null,
        honestBegin(t, win),
        Outcome.REJECTED,
        win,
        MatchType.DEVICE_ID,
        List.of(FraudReason.CLICK_FLOODING_SITE),
        null);
  }
}
