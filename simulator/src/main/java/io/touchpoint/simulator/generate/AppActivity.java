package io.touchpoint.simulator.generate;

import io.touchpoint.model.Device;
import io.touchpoint.model.Event;
import io.touchpoint.model.EventType;
import io.touchpoint.model.InAppEvent;
import io.touchpoint.model.Install;
import io.touchpoint.model.Session;
import io.touchpoint.simulator.Draws;
import io.touchpoint.simulator.Seeds;
import io.touchpoint.simulator.plan.AppLife;
import io.touchpoint.simulator.plan.CandidatePlan;
import io.touchpoint.simulator.plan.PairStory;
import io.touchpoint.simulator.world.Country;
import io.touchpoint.simulator.world.SimApp;
import io.touchpoint.simulator.world.World;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What the app's SDK reports: the candidates' installs and deep-linked sessions, then ordinary
 * sessions with day-N retention and in-app events (purchases in the user's currency). Ordinary
 * sessions never carry a deep link, so they are never candidates.
 */
final class AppActivity {
  private static final double[] PRICES_USD = {0.99, 1.99, 4.99, 9.99, 19.99, 49.99};
  private static final double[] PRICE_WEIGHTS = {30, 20, 25, 15, 7, 3};

  /** Share of existing users active on a given day. */
  private static final double EXISTING_DAILY_ACTIVE = 0.3;

  private static final double EVENT_PER_SESSION = 0.35;
  private static final double LOCAL_CURRENCY_SHARE = 0.75;

  private final World world;

  AppActivity(World world) {
    this.world = world;
  }

  List<Event> events(PairStory story) {
    SimApp app = story.app();
    Device block = story.device().asSeenByApp(app, world.devices().vendorId(story.device(), app));
    List<Event> out = new ArrayList<>();
    for (CandidatePlan c : story.candidates()) {
      out.add(
          c.session()
              ? new Session(
                  c.eventId(),
                  EventType.SESSION,
                  app.appId(),
                  c.time(),
                  c.time(),
                  block,
                  c.linkClickId())
              : new Install(
                  c.eventId(),
                  EventType.INSTALL,
                  app.appId(),
                  c.time(),
                  c.time(),
                  block,
                  c.linkClickId(),
                  c.installBeginTime(),
                  app.sdkVersion()));
    }
    SplittableRandom r =
        Seeds.rng(
            world.params().seed(), Seeds.Purpose.APP_LIFE, story.device().index(), app.index());
    for (AppLife life : story.lives()) {
      Instant end =
          life.uninstalledAt() == null || life.uninstalledAt().isAfter(world.spanEnd())
              ? world.spanEnd()
              : life.uninstalledAt();
      if (life.knownInstall()) {
        retainedUser(r, story, block, life.installedAt(), end, out);
      } else {
        existingUser(r, story, block, life.installedAt(), end, out);
      }
    }
    return out;
  }

  /** Day-N retention after an install: 42% on day 1, 14% on day 7, 6% on day 30. */
  private void retainedUser(
      SplittableRandom r,
      PairStory story,
      Device block,
      Instant installed,
      Instant end,
      List<Event> out) {
    for (int day = 0; ; day++) {
      Instant dayStart = installed.plus(Duration.ofDays(day));
      if (!dayStart.isBefore(end)) {
        return;
      }
      if (day > 0 && r.nextDouble() >= 0.42 * Math.pow(day, -0.55)) {
        continue;
      }
      int sessions = 1 + Draws.poisson(r, day == 0 ? 1.2 : 0.8);
      for (int i = 0; i < sessions; i++) {
        Instant t =
            day == 0 && i == 0
                ? installed.plus(Draws.between(r, Duration.ofSeconds(1), Duration.ofSeconds(20)))
                : dayStart.plus(Draws.between(r, Duration.ofMinutes(5), Duration.ofHours(24)));
        session(r, story, block, t, end, out);
      }
    }
  }

  private void existingUser(
      SplittableRandom r,
      PairStory story,
      Device block,
      Instant from,
      Instant end,
      List<Event> out) {
    for (Instant day = from; day.isBefore(end); day = day.plus(Duration.ofDays(1))) {
      if (r.nextDouble() >= EXISTING_DAILY_ACTIVE) {
        continue;
      }
      int sessions = 1 + Draws.poisson(r, 0.8);
      for (int i = 0; i < sessions; i++) {
        session(
            r,
            story,
            block,
            day.plus(Draws.between(r, Duration.ZERO, Duration.ofHours(24))),
            end,
            out);
      }
    }
  }

  private void session(
      SplittableRandom r, PairStory story, Device block, Instant t, Instant end, List<Event> out) {
    if (!t.isBefore(end) || t.isBefore(world.historyStart())) {
      return;
    }
    SimApp app = story.app();
    out.add(new Session(Draws.uuid(r), EventType.SESSION, app.appId(), t, t, block, null));
    if (r.nextDouble() < EVENT_PER_SESSION) {
      Instant at = t.plus(Draws.between(r, Duration.ofSeconds(20), Duration.ofMinutes(10)));
      if (at.isBefore(end)) {
        out.add(
            new InAppEvent(
                Draws.uuid(r),
                EventType.IN_APP_EVENT,
                app.appId(),
                at,
                at,
                block,
                Draws.pick(r, app.eventNames()),
                null,
                null));
      }
    }
    if (r.nextDouble() < app.purchaseRate()) {
      Instant at = t.plus(Draws.between(r, Duration.ofSeconds(30), Duration.ofMinutes(15)));
      double usd = PRICES_USD[Draws.weighted(r, PRICE_WEIGHTS)];
      Country country = story.device().country();
      boolean local = r.nextDouble() < LOCAL_CURRENCY_SHARE;
      if (at.isBefore(end)) {
        out.add(
            new InAppEvent(
                Draws.uuid(r),
                EventType.IN_APP_EVENT,
                app.appId(),
                at,
                at,
                block,
                "purchase",
                local ? country.localPrice(usd) : usd,
                local ? country.currency() : "USD"));
      }
    }
  }
}
