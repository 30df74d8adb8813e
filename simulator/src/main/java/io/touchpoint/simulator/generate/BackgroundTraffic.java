package io.touchpoint.simulator.generate;

import io.touchpoint.model.Touchpoint;
import io.touchpoint.simulator.Draws;
import io.touchpoint.simulator.Seeds;
import io.touchpoint.simulator.plan.PairStory;
import io.touchpoint.simulator.plan.TouchKit;
import io.touchpoint.simulator.world.World;
import io.touchpoint.simulator.world.World.Placement;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;

/**
 * The honest ad traffic a device sees for an app: impressions from the campaigns that reach it and
 * the clicks its users make at each network's CTR. Retargeting campaigns only reach devices that
 * have or had the app. Noise the guard refuses is re-drawn at another time, then dropped.
 */
final class BackgroundTraffic {
  static final double UA_IMPRESSIONS_PER_DAY = 2.0;
  static final double RT_IMPRESSIONS_PER_DAY = 1.0;

  /** Share of clicks from mobile web, where the network cannot read the advertising id. */
  static final double WEB_CLICK_SHARE = 0.05;

  private static final int ATTEMPTS = 3;

  private final World world;

  BackgroundTraffic(World world) {
    this.world = world;
  }

  void addTo(PairTimeline timeline, PairStory story) {
    SplittableRandom r =
        Seeds.rng(
            world.params().seed(),
            Seeds.Purpose.BACKGROUND,
            story.device().index(),
            story.app().index());
    TouchKit kit = new TouchKit(world, story.device(), story.app(), r);
    double days = world.params().days() + 1;
    if (r.nextDouble() < story.app().reach()) {
      int n = Draws.poisson(r, UA_IMPRESSIONS_PER_DAY * days);
      for (int i = 0; i < n; i++) {
        exposure(timeline, kit, kit.ua());
      }
    }
    if (story.retargetable()) {
      int n = Draws.poisson(r, RT_IMPRESSIONS_PER_DAY * days);
      for (int i = 0; i < n; i++) {
        exposure(timeline, kit, kit.retargeting());
      }
    }
  }

  private void exposure(PairTimeline timeline, TouchKit kit, Placement p) {
    boolean clicked = kit.chance(p.campaign().network().ctr());
    boolean web = kit.chance(WEB_CLICK_SHARE);
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Instant t = kit.diurnal(world.trafficStart(), world.spanEnd());
      if (!timeline.offer(kit.impression(p, t))) {
        continue;
      }
      if (clicked) {
        Instant at = t.plus(kit.between(Duration.ofSeconds(2), Duration.ofSeconds(90)));
        Touchpoint click = web ? kit.webClick(p, at) : kit.click(p, at);
        timeline.offer(click);
      }
      return;
    }
  }
}
