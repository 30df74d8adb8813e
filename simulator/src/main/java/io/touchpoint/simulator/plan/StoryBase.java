package io.touchpoint.simulator.plan;

import io.touchpoint.model.AttributionKind;
import io.touchpoint.model.FraudReason;
import io.touchpoint.model.MatchType;
import io.touchpoint.model.Outcome;
import io.touchpoint.model.Touchpoint;
import io.touchpoint.simulator.device.SimDevice;
import io.touchpoint.simulator.world.AppWindows;
import io.touchpoint.simulator.world.Platform;
import io.touchpoint.simulator.world.SimApp;
import io.touchpoint.simulator.world.World;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** What every story writer shares: the pair, its random stream, and candidate bookkeeping. */
abstract class StoryBase {
  static final Duration MINUTE = Duration.ofMinutes(1);
  static final Duration SECOND = Duration.ofSeconds(1);

  /** Share of Android installs whose Play install referrer reports install_begin_time. */
  static final double INSTALL_BEGIN_SHARE = 0.8;

  final World world;
  final TouchKit kit;
  final PairStory story;
  final SimDevice device;
  final SimApp app;
  final AppWindows windows;

  StoryBase(World world, TouchKit kit, PairStory story) {
    this.world = world;
    this.kit = kit;
    this.story = story;
    this.device = story.device();
    this.app = story.app();
    this.windows = app.windows();
  }

  Touchpoint add(Touchpoint t) {
    story.touch(t);
    return t;
  }

  CandidatePlan candidate(
      Scenario scenario,
      Instant time,
      String linkClickId,
      Instant installBegin,
      boolean countsRetargeting,
      AttributionKind kind,
      Outcome outcome,
      Touchpoint winner,
      MatchType match,
      List<FraudReason> fraud,
      CandidatePlan prior) {
    CandidatePlan c =
        new CandidatePlan(
            scenario,
            app,
            kit.newId(),
            false,
            time,
            device.advertisingId(),
            device.ip(),
            countsRetargeting,
            linkClickId,
            installBegin,
            kind,
            outcome,
            winner,
            match,
            fraud,
            prior);
    story.add(c);
    return c;
  }

  /** A new install (nothing on record inside the re-attribution window): counts UA touches only. */
  CandidatePlan newInstall(
      Scenario scenario,
      Instant time,
      String referrer,
      Instant begin,
      Outcome outcome,
      Touchpoint winner,
      MatchType match,
      List<FraudReason> fraud,
      CandidatePlan prior) {
    return candidate(
        scenario,
        time,
        referrer,
        begin,
        false,
        AttributionKind.INSTALL,
        outcome,
        winner,
        match,
        fraud,
        prior);
  }

  /** How a click on this device matches the install when no referrer carries it. */
  MatchType idMatch() {
    return device.hasAdvertisingId() ? MatchType.DEVICE_ID : MatchType.PROBABILISTIC;
  }

  boolean android() {
    return device.platform() == Platform.ANDROID;
  }

  /**
   * install_begin_time of an honest install (Android only, when the referrer API reports it): after
   * the winning click, since the download starts only after the click led to the store.
   */
  Instant honestBegin(Instant installTime, Touchpoint winner) {
    if (!android() || !kit.chance(INSTALL_BEGIN_SHARE)) {
      return null;
    }
    Duration download = kit.download();
    if (winner != null && winner.isClick()) {
      Duration half = Duration.between(winner.eventTime(), installTime).dividedBy(2);
      download = download.compareTo(half) < 0 ? download : half;
    }
    return installTime.minus(download);
  }

  /**
   * Newer-than-winner noise goes before the download began, so no reading of the rules sees it as
   * injected.
   */
  Instant newerNoiseTime(Touchpoint winner, Instant begin, Instant installTime) {
    Instant upper = begin != null ? begin : installTime;
    Instant lower = winner.eventTime().plusMillis(1);
    return upper.minusMillis(1).isAfter(lower) ? kit.within(lower, upper.minusMillis(1)) : null;
  }

  /** Noise that the rules ignore for being at or after the candidate. */
  void touchesAfter(Instant installTime) {
    if (kit.chance(0.3)) {
      add(kit.click(kit.ua(), installTime.plus(kit.between(SECOND, Duration.ofDays(2)))));
    }
    if (kit.chance(0.05)) {
      add(kit.click(kit.ua(), installTime)); // exactly at the first open: never counts
    }
  }

  /** A click the rules ignore for being older than its lookback. */
  void clickBeyondWindow(Instant installTime) {
    World.Placement p = kit.ua();
    Duration window =
        device.hasAdvertisingId()
            ? windows.clickLookback(TouchKit.source(p))
            : windows.probabilistic(TouchKit.source(p));
    add(
        kit.click(
            p,
            installTime
                .minus(window)
                .minus(kit.between(Duration.ofMinutes(2), Duration.ofDays(3)))));
  }
}
