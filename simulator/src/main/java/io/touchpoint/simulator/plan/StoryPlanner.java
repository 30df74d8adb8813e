package io.touchpoint.simulator.plan;

import io.touchpoint.simulator.Draws;
import io.touchpoint.simulator.Seeds;
import io.touchpoint.simulator.device.SimDevice;
import io.touchpoint.simulator.world.FloodSlot;
import io.touchpoint.simulator.world.Platform;
import io.touchpoint.simulator.world.SimApp;
import io.touchpoint.simulator.world.World;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Decides what one device does with one app: nothing (only sees ads), an existing user (sessions,
 * maybe a deep-linked re-engagement), or an install story with a scenario drawn from those the
 * device can play (e.g. a referrer needs Android, probabilistic needs no advertising id).
 */
public final class StoryPlanner {
  /** Relative weights of install stories; the rare edge cases still appear at moderate sizes. */
  private static final List<Weighted> INSTALL_MIX =
      List.of(
          new Weighted(Scenario.DEVICE_ID_CLICK, 26),
          new Weighted(Scenario.REFERRER_CLICK, 10),
          new Weighted(Scenario.PROBABILISTIC_CLICK, 8),
          new Weighted(Scenario.VIEW_THROUGH, 5),
          new Weighted(Scenario.ORGANIC, 22),
          new Weighted(Scenario.CTIT_FRAUD, 3),
          new Weighted(Scenario.INSTALL_BEGIN_FRAUD, 2.5),
          new Weighted(Scenario.CLICK_WINDOW_EDGE, 1.2),
          new Weighted(Scenario.CTIT_THRESHOLD_EDGE, 1.2),
          new Weighted(Scenario.VIEW_THROUGH_WINDOW_EDGE, 1.2),
          new Weighted(Scenario.REINSTALL_IN_WINDOW, 5),
          new Weighted(Scenario.REINSTALL_WINDOW_EDGE, 1.2),
          new Weighted(Scenario.RE_ATTRIBUTION, 4),
          new Weighted(Scenario.REINSTALL_AFTER_WINDOW, 3),
          new Weighted(Scenario.REINSTALL_AFTER_WINDOW_EDGE, 1.2),
          new Weighted(Scenario.REINSTALL_AFTER_FIRST_WINDOW, 2.5));

  private static final List<Weighted> RE_ENGAGEMENT_MIX =
      List.of(
          new Weighted(Scenario.RE_ENGAGEMENT_DEEP_LINK, 6),
          new Weighted(Scenario.RE_ENGAGEMENT_DEVICE_ID, 2),
          new Weighted(Scenario.RE_ENGAGEMENT_NOT_CREDITED, 2));

  private record Weighted(Scenario scenario, double weight) {}

  private final World world;

  public StoryPlanner(World world) {
    this.world = world;
  }

  public PairStory plan(SimDevice device, SimApp app) {
    PairStory story = new PairStory(device, app);
    SplittableRandom r =
        Seeds.rng(world.params().seed(), Seeds.Purpose.STORY, device.index(), app.index());
    TouchKit kit = new TouchKit(world, device, app, r);
    FloodSlot slot = world.floodSlot(device.index(), app);
    if (slot != null) {
      new NewInstallStories(world, kit, story).floodWin(slot);
      return story;
    }
    int days = world.params().days();
    double u = r.nextDouble();
    if (u < app.existingUserShare()) {
      story.markRetargetable();
      story.life(new AppLife(world.trafficStart(), null, false));
      if (r.nextDouble() < Math.min(1.0, app.reEngagementRate() * days)) {
        Scenario s = pick(r, RE_ENGAGEMENT_MIX, device);
        new ReEngagementStories(world, kit, story).write(s, kit.reportedTime());
      }
      return story;
    }
    if (r.nextDouble() < Math.min(1.0, app.installStoryRate() * days)) {
      Scenario s = pick(r, INSTALL_MIX, device);
      if (isReinstall(s)) {
        new ReinstallStories(world, kit, story).write(s, kit.reportedTime());
      } else {
        new NewInstallStories(world, kit, story).write(s, kit.reportedTime());
      }
    }
    return story;
  }

  private static boolean isReinstall(Scenario s) {
    return switch (s) {
      case REINSTALL_IN_WINDOW,
          REINSTALL_WINDOW_EDGE,
          RE_ATTRIBUTION,
          REINSTALL_AFTER_WINDOW,
          REINSTALL_AFTER_WINDOW_EDGE,
          REINSTALL_AFTER_FIRST_WINDOW ->
          true;
      default -> false;
    };
  }

  /** Whether the device can play the scenario at all. */
  static boolean playable(Scenario s, SimDevice d) {
    boolean aid = d.hasAdvertisingId();
    boolean android = d.platform() == Platform.ANDROID;
    return switch (s) {
      case DEVICE_ID_CLICK,
          VIEW_THROUGH,
          VIEW_THROUGH_WINDOW_EDGE,
          CLICK_WINDOW_EDGE,
          CTIT_THRESHOLD_EDGE,
          RE_ENGAGEMENT_DEVICE_ID ->
          aid;
      case PROBABILISTIC_CLICK -> !aid;
      case REFERRER_CLICK, INSTALL_BEGIN_FRAUD -> android;
      default -> true;
    };
  }

  private static Scenario pick(SplittableRandom r, List<Weighted> mix, SimDevice device) {
    List<Weighted> playable = new ArrayList<>();
    for (Weighted w : mix) {
      if (playable(w.scenario(), device)) {
        playable.add(w);
      }
    }
    double[] weights = playable.stream().mapToDouble(Weighted::weight).toArray();
    return playable.get(Draws.weighted(r, weights)).scenario();
  }
}
