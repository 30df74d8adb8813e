package io.touchpoint.simulator.world;

import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The fixed cast of the simulation: five apps with different time zones and attribution settings
 * (Fit Pulse on Android counts events after a reinstall as organic, Shopsy counts retention in UTC
 * days), eight ad networks, their campaigns and sites. Fixed (not drawn from the seed) so that
 * truth files of different seeds name the same apps, sources and campaigns.
 */
public final class Portfolio {
  /** Network whose site sprays clicks on two apps' devices. */
  public static final String ORBIT = "orbitmedia";

  /** Network with a spraying site, an injecting site, and a shorter lookback on one app. */
  public static final String ZAP = "zapclick";

  public static final String KIWI = "kiwi_dsp";

  private Portfolio() {}

  public static List<SimApp> apps() {
    AppWindows defaults = AppWindows.DEFAULTS;
    return List.of(
        new SimApp(
            0,
            "com.touchpoint.puzzlequest",
            "Puzzle Quest",
            "3.4.0",
            Platform.ANDROID,
            ZoneId.of("UTC"),
            defaults,
            0.6,
            0.10,
            0.005,
            0.03,
            0.04,
            List.of("tutorial_complete", "level_complete", "ad_watched"),
            "android-6.14.0"),
        new SimApp(
            1,
            "id1470000001",
            "Puzzle Quest",
            "3.4.1",
            Platform.IOS,
            ZoneId.of("America/New_York"),
            new AppWindows(
                Duration.ofDays(7),
                Duration.ofHours(12),
                Duration.ofHours(24),
                Duration.ofDays(90),
                Duration.ofSeconds(15),
                Map.of()),
            0.6,
            0.10,
            0.005,
            0.03,
            0.05,
            List.of("tutorial_complete", "level_complete", "ad_watched"),
            "ios-6.14.1"),
        new SimApp(
            2,
            "com.touchpoint.fitpulse",
            "Fit Pulse",
            "2.0.3",
            Platform.ANDROID,
            ZoneId.of("Europe/Berlin"),
            new AppWindows(
                    Duration.ofDays(3),
                    Duration.ofHours(24),
                    Duration.ofHours(24),
                    Duration.ofDays(90),
                    Duration.ofSeconds(10),
                    Map.of())
                .withOrganicEventsAfterReinstall(),
            0.5,
            0.08,
            0.004,
            0.025,
            0.03,
            List.of("registration", "workout_logged", "start_trial"),
            "android-6.14.0"),
        new SimApp(
            3,
            "id1470000002",
            "Fit Pulse",
            "2.0.4",
            Platform.IOS,
            ZoneId.of("America/Los_Angeles"),
            defaults,
            0.5,
            0.08,
            0.004,
            0.025,
            0.04,
            List.of("registration", "workout_logged", "start_trial"),
            "ios-6.14.1"),
        new SimApp(
            4,
            "com.touchpoint.shopsy",
            "Shopsy",
            "5.12.0",
            Platform.ANDROID,
            ZoneId.of("Asia/Tokyo"),
            new AppWindows(
                    Duration.ofDays(14),
                    Duration.ofHours(24),
                    Duration.ofHours(24),
                    Duration.ofDays(60),
                    Duration.ofSeconds(10),
                    Map.of(ZAP, Duration.ofDays(2)))
                .withRetentionInUtc(),
            0.55,
            0.12,
            0.005,
            0.035,
            0.06,
            List.of("search", "add_to_cart", "wishlist_add"),
            "android-6.13.2"));
  }

  public static List<Network> networks() {
    return List.of(
        new Network(
            "pixelreach_int", 25, 0.012, "cpc", 0.15, sites("pxr", 11, 12, 13, 14, 15), true),
        new Network(
            "bluefin_ads", 18, 0.015, "cpm", 0.006, sites("bfn", 201, 202, 203, 204), false),
        new Network(ORBIT, 12, 0.010, "cpi", 0, sites("orb", 3101, 3102, 3103), false),
        new Network(ZAP, 10, 0.020, "cpc", 0.08, sites("zap", 7301, 7302, 7303), false),
        new Network("adcanvas", 10, 0.011, "cpm", 0.004, sites("acv", 51, 52, 53, 54), true),
        new Network("nimbus_network", 9, 0.009, "cpi", 0, sites("nmb", 880, 881, 882), false),
        new Network(KIWI, 8, 0.014, "cpc", 0.11, sites("kiwi", 6601, 6603, 6604), true),
        new Network("lumen_mobile", 8, 0.013, "cpm", 0.005, sites("lum", 90, 91, 92), true));
  }

  /** Sites that spray clicks: network, site id, and the app indexes they spray on. */
  public record FloodTarget(String mediaSource, String siteId, List<Integer> appIndexes) {}

  public static List<FloodTarget> floodTargets() {
    return List.of(
        new FloodTarget(ORBIT, "orb_site_4471", List.of(0, 1)),
        new FloodTarget(ZAP, "zap_site_7310", List.of(4)));
  }

  /** Sites whose few clicks are injected just before installs (CTIT and install-begin fraud). */
  public record InjectionSite(String mediaSource, String siteId) {}

  public static List<InjectionSite> injectionSites() {
    return List.of(
        new InjectionSite(ZAP, "zap_site_9001"), new InjectionSite(KIWI, "kiwi_site_6602"));
  }

  /**
   * Two UA campaigns per network and app, one retargeting campaign where the network sells them.
   */
  public static List<Campaign> campaigns(List<SimApp> apps, List<Network> networks) {
    List<Campaign> all = new ArrayList<>();
    for (SimApp app : apps) {
      String appTag = app.name().toLowerCase().replace(" ", "") + "_" + app.platform().wireName();
      for (Network n : networks) {
        String prefix = n.mediaSource() + "." + appTag;
        all.add(
            new Campaign(
                prefix + ".ua1",
                app.name() + " UA Broad",
                n,
                app,
                false,
                List.of("broad_18_34", "broad_35_plus"),
                List.of("video_15s", "playable_v2")));
        all.add(
            new Campaign(
                prefix + ".ua2",
                app.name() + " UA Lookalike",
                n,
                app,
                false,
                List.of("lal_payers_1pct", "lal_payers_5pct"),
                List.of("static_banner", "video_30s")));
        if (n.runsRetargeting()) {
          all.add(
              new Campaign(
                  prefix + ".rt1",
                  app.name() + " Retargeting Lapsed",
                  n,
                  app,
                  true,
                  List.of("lapsed_7d", "lapsed_30d"),
                  List.of("dpa_carousel", "video_15s_rt")));
        }
      }
    }
    return all;
  }

  private static List<String> sites(String prefix, int... ids) {
    List<String> s = new ArrayList<>();
    for (int id : ids) {
      s.add(prefix + "_site_" + id);
    }
    return s;
  }
}
