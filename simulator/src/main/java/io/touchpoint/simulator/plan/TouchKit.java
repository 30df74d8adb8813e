package io.touchpoint.simulator.plan;

import io.touchpoint.model.Device;
import io.touchpoint.model.EventType;
import io.touchpoint.model.Touchpoint;
import io.touchpoint.simulator.Draws;
import io.touchpoint.simulator.device.SimDevice;
import io.touchpoint.simulator.world.Campaign;
import io.touchpoint.simulator.world.Network;
import io.touchpoint.simulator.world.SimApp;
import io.touchpoint.simulator.world.World;
import io.touchpoint.simulator.world.World.Placement;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;

/**
 * Builds the touches and times of one device-app pair from one random stream. Touches are contract
 * records whose {@code received_at} is a placeholder (the event time) until delivery decides when
 * they arrive.
 */
public final class TouchKit {
  /** Hour-of-day activity (local time): quiet at night, peaking in the evening. */
  private static final double[] DIURNAL = {
    0.25, 0.15, 0.1, 0.08, 0.08, 0.12, 0.3, 0.55, 0.75, 0.8, 0.8, 0.85,
    0.95, 0.9, 0.85, 0.85, 0.9, 1.0, 1.15, 1.3, 1.4, 1.3, 0.9, 0.5
  };

  private final World world;
  private final SimDevice device;
  private final SimApp app;
  private final SplittableRandom r;

  public TouchKit(World world, SimDevice device, SimApp app, SplittableRandom r) {
    this.world = world;
    this.device = device;
    this.app = app;
    this.r = r;
  }

  public SplittableRandom random() {
    return r;
  }

  public Placement ua() {
    return placement(world.pickCampaign(r, app, false));
  }

  public Placement retargeting() {
    return placement(world.pickCampaign(r, app, true));
  }

  public Placement otherSource(Placement than) {
    Campaign c = world.pickOtherCampaign(r, app, than.campaign().retargeting(), source(than));
    return placement(c);
  }

  public Placement otherUa(Placement than) {
    return placement(world.pickOtherCampaign(r, app, false, source(than)));
  }

  public Placement placement(Campaign c) {
    return new Placement(c, Draws.pick(r, c.network().sites()));
  }

  public static String source(Placement p) {
    return p.campaign().network().mediaSource();
  }

  public Touchpoint click(Placement p, Instant t) {
    return touch(EventType.CLICK, p, t, device.asSeenByNetworks());
  }

  /** A click from a network that cannot read the advertising id: it can only match on IP + UA. */
  public Touchpoint webClick(Placement p, Instant t) {
    return touch(EventType.CLICK, p, t, device.asSeenByWeb());
  }

  public Touchpoint impression(Placement p, Instant t) {
    return touch(EventType.IMPRESSION, p, t, device.asSeenByNetworks());
  }

  private Touchpoint touch(EventType type, Placement p, Instant t, Device block) {
    Campaign c = p.campaign();
    Network n = c.network();
    boolean click = type == EventType.CLICK;
    String eventId = Draws.uuid(r);
    String clickId = click ? Draws.uuid(r) : null;
    Double cost = null;
    if (("cpc".equals(n.costModel()) && click) || ("cpm".equals(n.costModel()) && !click)) {
      cost = n.costValue();
    }
    return new Touchpoint(
        eventId,
        type,
        app.appId(),
        t,
        t,
        block,
        n.mediaSource(),
        c.campaignId(),
        c.name(),
        Draws.pick(r, c.adsets()),
        Draws.pick(r, c.ads()),
        p.siteId(),
        clickId,
        c.retargeting(),
        n.costModel(),
        cost,
        cost == null ? null : "USD");
  }

  /** A time on a reported day, shaped by the device's local hour of day. */
  public Instant reportedTime() {
    return diurnal(world.spanStart(), world.spanEnd());
  }

  /** A time in [from, to) with the local diurnal shape (wrapped into the range). */
  public Instant diurnal(Instant from, Instant to) {
    long span = Duration.between(from, to).toMillis();
    if (span <= 0) {
      return from;
    }
    long day = r.nextLong(Math.max(1, span / 86_400_000L + 1));
    int hour = Draws.weighted(r, DIURNAL);
    long offsetMillis = (long) (device.country().utcOffsetHours() * 3_600_000L);
    long local = day * 86_400_000L + hour * 3_600_000L + r.nextLong(3_600_000L) - offsetMillis;
    long wrapped = Math.floorMod(local, span);
    return from.plusMillis(wrapped);
  }

  /** Click-to-install time: log-normal, median 8 min, most within the hour, a tail over days. */
  public Duration ctit(Duration max) {
    Duration min = app.windows().ctitMinimum().plusSeconds(1);
    return Draws.logNormal(r, Duration.ofMinutes(8), 2.0, min, max.minusMinutes(1));
  }

  /** How long the store download took before the first open. */
  public Duration download() {
    return Draws.logNormal(
        r, Duration.ofSeconds(45), 1.0, Duration.ofSeconds(5), Duration.ofMinutes(30));
  }

  public Duration between(Duration min, Duration max) {
    return Draws.between(r, min, max);
  }

  public Instant within(Instant from, Instant to) {
    return Draws.instant(r, from, to);
  }

  public boolean chance(double p) {
    return r.nextDouble() < p;
  }

  public String newId() {
    return Draws.uuid(r);
  }
}
