package io.touchpoint.simulator.generate;

import io.touchpoint.simulator.Draws;
import io.touchpoint.simulator.Seeds;
import io.touchpoint.simulator.Tally;
import io.touchpoint.simulator.device.DeviceFactory;
import io.touchpoint.simulator.plan.PairStory;
import io.touchpoint.simulator.plan.TouchKit;
import io.touchpoint.simulator.world.FloodSite;
import io.touchpoint.simulator.world.Platform;
import io.touchpoint.simulator.world.World;
import io.touchpoint.simulator.world.World.Placement;
import java.time.Instant;
import java.util.SplittableRandom;

/**
 * The clicks a flooding site sprays on random devices of its app's platform, uniformly in time (a
 * flat click-to-install distribution). The guard keeps them off every planned verdict: a sprayed
 * click wins only the installs planned as the site's (flooding_site scenario).
 */
final class FloodSpray {
  private static final int ATTEMPTS = 3;

  private final World world;

  FloodSpray(World world) {
    this.world = world;
  }

  void addTo(PairTimeline timeline, PairStory story, Tally tally) {
    for (int s = 0; s < world.floodSites().size(); s++) {
      FloodSite site = world.floodSites().get(s);
      if (site.app() != story.app()) {
        continue;
      }
      SplittableRandom r =
          Seeds.rng(world.params().seed(), Seeds.Purpose.FLOOD_SPRAY, story.device().index(), s);
      TouchKit kit = new TouchKit(world, story.device(), story.app(), r);
      double platformDevices =
          world.params().devices()
              * (story.app().platform() == Platform.ANDROID
                  ? DeviceFactory.ANDROID_SHARE
                  : 1 - DeviceFactory.ANDROID_SHARE);
      double perDevice = site.clicksPerDay() / platformDevices * (world.params().days() + 1);
      int n = Draws.poisson(r, perDevice);
      Placement p = new Placement(site.campaign(), site.siteId());
      for (int i = 0; i < n; i++) {
        boolean added = false;
        for (int attempt = 0; attempt < ATTEMPTS && !added; attempt++) {
          Instant t = kit.within(world.trafficStart(), world.spanEnd());
          added = timeline.offer(kit.click(p, t));
        }
        tally.add(added ? "flood.sprayed" : "flood.refused");
      }
    }
  }
}
