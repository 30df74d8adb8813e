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
 * A user who has the app opens it through a deep link: a re-engagement candidate, judged on
 * retargeting touches only and without fraud checks.
 */
final class ReEngagementStories extends StoryBase {

  ReEngagementStories(World world, TouchKit kit, PairStory story) {
    super(world, kit, story);
  }

  CandidatePlan write(Scenario s, Instant t) {
    return switch (s) {
      case RE_ENGAGEMENT_DEEP_LINK -> deepLink(t);
      case RE_ENGAGEMENT_DEVICE_ID -> deviceId(t);
      case RE_ENGAGEMENT_NOT_CREDITED -> notCredited(t);
      default -> throw new IllegalArgumentException("not a re-engagement scenario: " + s);
    };
  }

  /** The deep link carries the retargeting click's id. */
  private CandidatePlan deepLink(Instant t) {
    Placement rt = kit.retargeting();
    Touchpoint win =
        add(kit.click(rt, t.minus(kit.between(Duration.ofSeconds(2), Duration.ofMinutes(10)))));
    if (kit.chance(0.3)) {
      add(
          kit.click(
              kit.otherSource(rt), win.eventTime().minus(kit.between(MINUTE, Duration.ofDays(3)))));
    }
    if (kit.chance(0.4)) {
      add(kit.click(kit.ua(), kit.within(win.eventTime(), t))); // user acquisition: ignored
    }
    if (device.hasAdvertisingId() && kit.chance(0.2)) {
      add(kit.impression(kit.otherSource(rt), kit.within(win.eventTime(), t))); // lower class
    }
    return session(
        Scenario.RE_ENGAGEMENT_DEEP_LINK,
        t,
        win.clickId(),
        Outcome.ATTRIBUTED,
        win,
        MatchType.REFERRER);
  }

  /** A link whose click id is unknown, but a retargeting click with the device's id qualifies. */
  private CandidatePlan deviceId(Instant t) {
    Placement rt = kit.retargeting();
    Duration max = windows.clickLookback(TouchKit.source(rt)).minus(MINUTE);
    Duration age =
        kit.between(
            Duration.ofMinutes(5),
            max.compareTo(Duration.ofDays(3)) < 0 ? max : Duration.ofDays(3));
    Touchpoint win = add(kit.click(rt, t.minus(age)));
    if (kit.chance(0.3)) {
      add(kit.impression(kit.otherSource(rt), kit.within(win.eventTime().plusMillis(1), t)));
    }
    if (kit.chance(0.3)) {
      add(
          kit.click(
              kit.otherSource(rt), win.eventTime().minus(kit.between(MINUTE, Duration.ofDays(2)))));
    }
    return session(
        Scenario.RE_ENGAGEMENT_DEVICE_ID,
        t,
        unknownLink(),
        Outcome.ATTRIBUTED,
        win,
        MatchType.DEVICE_ID);
  }

  /** An owned-media link: no retargeting touch qualifies, UA clicks do not count. */
  private CandidatePlan notCredited(Instant t) {
    if (kit.chance(0.5)) {
      add(kit.click(kit.ua(), t.minus(kit.between(Duration.ofMinutes(1), Duration.ofHours(6)))));
    }
    if (kit.chance(0.3)) {
      Placement rt = kit.retargeting();
      Duration window =
          device.hasAdvertisingId()
              ? windows.clickLookback(TouchKit.source(rt))
              : windows.probabilistic(TouchKit.source(rt));
      add(
          kit.click(
              rt, t.minus(window.plus(kit.between(Duration.ofMinutes(2), Duration.ofDays(2))))));
    }
    return session(
        Scenario.RE_ENGAGEMENT_NOT_CREDITED,
        t,
        unknownLink(),
        Outcome.NOT_CREDITED,
        null,
        MatchType.NONE);
  }

  private String unknownLink() {
    return "dl-" + kit.newId();
  }

  private CandidatePlan session(
      Scenario s, Instant t, String link, Outcome outcome, Touchpoint winner, MatchType match) {
    CandidatePlan c =
        new CandidatePlan(
            s,
            app,
            kit.newId(),
            true,
            t,
            device.advertisingId(),
            device.ip(),
            true,
            link,
            null,
            AttributionKind.RE_ENGAGEMENT,
            outcome,
            winner,
            match,
            List.of(),
            null);
    story.add(c);
    return c;
  }
}
