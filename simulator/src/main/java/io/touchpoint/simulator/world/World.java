package io.touchpoint.simulator.world;

import io.touchpoint.simulator.Draws;
import io.touchpoint.simulator.Seeds;
import io.touchpoint.simulator.SimulationParams;
import io.touchpoint.simulator.device.DeviceFactory;
import io.touchpoint.simulator.device.SimDevice;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Everything shared by all devices of one run: the portfolio, the time span (reported days plus the
 * history before them), and the click-flooding plan, which is decided up front because a flooding
 * site's daily volume and its few "won" installs span the whole population.
 */
public final class World {
  /** Below this population a flooding site would need absurd clicks per device: no flooding. */
  public static final int MIN_DEVICES_FOR_FLOODING = 1000;

  /** Sprayed clicks per site and day: twice the detector's minimum at least. */
  public static final double MIN_FLOOD_CLICKS_PER_DAY = 4000;

  public static final double FLOOD_CLICKS_PER_DEVICE_DAY = 0.2;

  /**
   * Installs a flooding site wins per sprayed click: a tenth of the detector's ceiling (0.002) at
   * most.
   */
  public static final double FLOOD_WINS_PER_CLICK = 0.0004;

  private final SimulationParams params;
  private final List<SimApp> apps = Portfolio.apps();
  private final List<Network> networks = Portfolio.networks();
  private final List<Campaign> campaigns = Portfolio.campaigns(apps, networks);
  private final List<SimApp> androidApps =
      apps.stream().filter(a -> a.platform() == Platform.ANDROID).toList();
  private final List<SimApp> iosApps =
      apps.stream().filter(a -> a.platform() == Platform.IOS).toList();
  private final DeviceFactory devices;
  private final List<FloodSite> floodSites = new ArrayList<>();
  private final Map<Long, FloodSlot> floodSlots = new HashMap<>();
  private final Duration history;

  /**
   * Campaigns by app index and type (0 = user acquisition, 1 = retargeting), with network weights.
   */
  private final List<List<List<Campaign>>> campaignsByApp = new ArrayList<>();

  private final List<List<double[]>> weightsByApp = new ArrayList<>();

  public World(SimulationParams params) {
    this.params = params;
    this.devices = new DeviceFactory(params.seed());
    Duration longestReattribution =
        apps.stream()
            .map(a -> a.windows().reAttributionWindow())
            .max(Duration::compareTo)
            .orElseThrow();
    // a reinstall after the window needs its first install (and that install's click) on record
    this.history = longestReattribution.plusDays(30);
    for (SimApp app : apps) {
      List<List<Campaign>> byType = new ArrayList<>();
      List<double[]> weights = new ArrayList<>();
      for (boolean retargeting : new boolean[] {false, true}) {
        List<Campaign> eligible =
            campaigns.stream()
                .filter(c -> c.app() == app && c.retargeting() == retargeting)
                .toList();
        byType.add(eligible);
        weights.add(eligible.stream().mapToDouble(c -> c.network().weight()).toArray());
      }
      campaignsByApp.add(byType);
      weightsByApp.add(weights);
    }
    if (floodingEnabled()) {
      planFlooding();
    }
  }

  public SimulationParams params() {
    return params;
  }

  public List<SimApp> apps() {
    return apps;
  }

  public List<Network> networks() {
    return networks;
  }

  public DeviceFactory devices() {
    return devices;
  }

  public Instant spanStart() {
    return params.spanStart();
  }

  public Instant spanEnd() {
    return params.spanEnd();
  }

  /** Nothing is generated before this: the history that prior installs and their clicks live in. */
  public Instant historyStart() {
    return spanStart().minus(history);
  }

  /** Ad traffic (honest and sprayed) starts one day before the reported days. */
  public Instant trafficStart() {
    return spanStart().minus(Duration.ofDays(1));
  }

  public boolean floodingEnabled() {
    return params.devices() >= MIN_DEVICES_FOR_FLOODING;
  }

  public List<FloodSite> floodSites() {
    return Collections.unmodifiableList(floodSites);
  }

  public List<FloodSlot> floodSlots() {
    return List.copyOf(floodSlots.values());
  }

  public FloodSlot floodSlot(int deviceIndex, SimApp app) {
    return floodSlots.get(pairKey(deviceIndex, app));
  }

  public List<SimApp> appsFor(Platform platform) {
    return platform == Platform.ANDROID ? androidApps : iosApps;
  }

  /** A campaign of the app drawn by network weight. */
  public Campaign pickCampaign(SplittableRandom r, SimApp app, boolean retargeting) {
    int type = retargeting ? 1 : 0;
    List<Campaign> eligible = campaignsByApp.get(app.index()).get(type);
    return eligible.get(Draws.weighted(r, weightsByApp.get(app.index()).get(type)));
  }

  /** A UA campaign of another network than {@code exclude} (for contributors of other sources). */
  public Campaign pickOtherCampaign(
      SplittableRandom r, SimApp app, boolean retargeting, String exclude) {
    for (int i = 0; i < 50; i++) {
      Campaign c = pickCampaign(r, app, retargeting);
      if (!c.network().mediaSource().equals(exclude)) {
        return c;
      }
    }
    return pickCampaign(r, app, retargeting);
  }

  /** A UA campaign of an injecting network with its injecting site. */
  public Placement injection(SplittableRandom r, SimApp app) {
    Portfolio.InjectionSite site = Draws.pick(r, Portfolio.injectionSites());
    Campaign campaign =
        campaigns.stream()
            .filter(
                c ->
                    c.app() == app
                        && !c.retargeting()
                        && c.network().mediaSource().equals(site.mediaSource()))
            .findFirst()
            .orElseThrow();
    return new Placement(campaign, site.siteId());
  }

  /** A campaign and the publisher site a touch came from. */
  public record Placement(Campaign campaign, String siteId) {}

  private void planFlooding() {
    double clicksPerDay =
        Math.max(MIN_FLOOD_CLICKS_PER_DAY, FLOOD_CLICKS_PER_DEVICE_DAY * params.devices());
    for (Portfolio.FloodTarget target : Portfolio.floodTargets()) {
      for (int appIndex : target.appIndexes()) {
        SimApp app = apps.get(appIndex);
        Campaign campaign =
            campaigns.stream()
                .filter(
                    c ->
                        c.app() == app
                            && !c.retargeting()
                            && c.network().mediaSource().equals(target.mediaSource()))
                .findFirst()
                .orElseThrow();
        floodSites.add(new FloodSite(campaign, target.siteId(), clicksPerDay));
      }
    }
    int winsPerDay = Math.max(1, (int) Math.floor(clicksPerDay * FLOOD_WINS_PER_CLICK));
    for (int s = 0; s < floodSites.size(); s++) {
      FloodSite site = floodSites.get(s);
      for (int day = 0; day < params.days(); day++) {
        for (int slot = 0; slot < winsPerDay; slot++) {
          SplittableRandom r = Seeds.rng(params.seed(), Seeds.Purpose.FLOOD_SLOTS, s, day, slot);
          planSlot(r, site, day);
        }
      }
    }
  }

  /**
   * Picks a device (of the app's platform, with an advertising id, not yet planned) and an install
   * time on the given UTC day whose app-local day is also covered by the spray, so the site is
   * flagged that day whichever calendar the detector uses.
   */
  private void planSlot(SplittableRandom r, FloodSite site, int day) {
    SimApp app = site.app();
    int device = -1;
    for (int attempt = 0; attempt < 10_000 && device < 0; attempt++) {
      int candidate = r.nextInt(params.devices());
      SimDevice d = devices.create(candidate);
      if (d.platform() == app.platform()
          && d.hasAdvertisingId()
          && !floodSlots.containsKey(pairKey(candidate, app))) {
        device = candidate;
      }
    }
    if (device < 0) {
      return;
    }
    Instant dayStart = spanStart().plus(Duration.ofDays(day));
    for (int attempt = 0; attempt < 200; attempt++) {
      Instant t =
          Draws.instant(
              r,
              dayStart.plus(Duration.ofMinutes(5)),
              dayStart.plus(Duration.ofHours(24).minusMinutes(5)));
      ZonedDateTime local = t.atZone(app.timeZone());
      Instant localStart = local.toLocalDate().atStartOfDay(app.timeZone()).toInstant();
      Instant localEnd = local.toLocalDate().plusDays(1).atStartOfDay(app.timeZone()).toInstant();
      if (!localStart.isBefore(trafficStart()) && !localEnd.isAfter(spanEnd())) {
        floodSlots.put(pairKey(device, app), new FloodSlot(site, t));
        return;
      }
    }
  }

  private static long pairKey(int deviceIndex, SimApp app) {
    return ((long) deviceIndex << 8) | app.index();
  }
}
