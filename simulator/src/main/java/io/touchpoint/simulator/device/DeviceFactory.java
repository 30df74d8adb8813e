package io.touchpoint.simulator.device;

import io.touchpoint.simulator.Draws;
import io.touchpoint.simulator.Seeds;
import io.touchpoint.simulator.world.Country;
import io.touchpoint.simulator.world.Platform;
import io.touchpoint.simulator.world.SimApp;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/** Builds device {@code i} of the population from the seed alone, in any order. */
public final class DeviceFactory {
  public static final double ANDROID_SHARE = 0.55;

  /** Share of devices with an advertising id: a quarter of iOS users deny ATT tracking. */
  public static final double ANDROID_AID_SHARE = 0.95;

  public static final double IOS_AID_SHARE = 0.75;

  private static final List<String> ANDROID_MODELS =
      List.of(
          "SM-G991B",
          "SM-S911B",
          "SM-A546B",
          "Pixel 7",
          "Pixel 8 Pro",
          "2201116SG",
          "CPH2449",
          "moto g54 5G");
  private static final int[] ANDROID_OS = {12, 13, 14, 15};
  private static final String[] ANDROID_BUILDS = {
    "SP1A.210812.016", "TP1A.220624.014", "UP1A.231005.007", "AP3A.240905.015"
  };
  private static final List<String> CHROME =
      List.of("120.0.6099.144", "124.0.6367.82", "131.0.6778.104");
  private static final List<String> IOS_VERSIONS = List.of("16.7", "17.2", "17.5", "18.1", "18.3");

  private final long seed;
  private final double[] countryWeights;

  public DeviceFactory(long seed) {
    this.seed = seed;
    this.countryWeights = Country.ALL.stream().mapToDouble(Country::weight).toArray();
  }

  public SimDevice create(int index) {
    SplittableRandom r = Seeds.rng(seed, Seeds.Purpose.DEVICE, index);
    Platform platform = r.nextDouble() < ANDROID_SHARE ? Platform.ANDROID : Platform.IOS;
    boolean hasAid =
        r.nextDouble() < (platform == Platform.ANDROID ? ANDROID_AID_SHARE : IOS_AID_SHARE);
    String aid = Draws.uuid(r);
    Country country = Country.ALL.get(Draws.weighted(r, countryWeights));
    String ip = ip(country, index);
    if (platform == Platform.IOS) {
      String os = Draws.pick(r, IOS_VERSIONS);
      return new SimDevice(
          index,
          platform,
          hasAid ? aid.toUpperCase(Locale.ROOT) : null,
          "iPhone",
          os,
          Integer.parseInt(os.substring(0, os.indexOf('.'))),
          null,
          null,
          country,
          ip);
    }
    int os = r.nextInt(ANDROID_OS.length);
    return new SimDevice(
        index,
        platform,
        hasAid ? aid : null,
        Draws.pick(r, ANDROID_MODELS),
        Integer.toString(ANDROID_OS[os]),
        ANDROID_OS[os],
        ANDROID_BUILDS[os],
        Draws.pick(r, CHROME),
        country,
        ip);
  }

  /** The app-scoped vendor id (IDFV / Android ID): stable across reinstalls of the same app. */
  public String vendorId(SimDevice device, SimApp app) {
    String id = Draws.uuid(Seeds.rng(seed, Seeds.Purpose.DEVICE, device.index(), app.index() + 1L));
    return device.platform() == Platform.IOS ? id.toUpperCase(Locale.ROOT) : id;
  }

  /**
   * The last three octets are an odd-multiplier permutation of the 24-bit index, so no two devices
   * share an IP: a probabilistic (IP + UA family) match never crosses devices.
   */
  static String ip(Country country, int index) {
    int mixed = (int) ((index * 0x9E3779B1L) & 0xFFFFFF);
    return country.ipFirstOctet()
        + "."
        + ((mixed >>> 16) & 0xFF)
        + "."
        + ((mixed >>> 8) & 0xFF)
        + "."
        + (mixed & 0xFF);
  }
}
