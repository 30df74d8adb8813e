package io.touchpoint.simulator.world;

import java.time.ZoneId;
import java.util.List;

/**
 * One app of the simulated portfolio: its store id, platform, reporting time zone, attribution
 * windows and the behaviour of its users.
 *
 * @param reach share of the platform's devices its UA campaigns reach
 * @param existingUserShare share of the platform's devices that had it installed before the data
 * @param installStoryRate chance per device and reported day that a non-user's install story starts
 * @param reEngagementRate chance per existing user and reported day of a deep-linked session
 * @param purchaseRate chance that a session carries a purchase
 */
public record SimApp(
    int index,
    String appId,
    String name,
    String version,
    Platform platform,
    ZoneId timeZone,
    AppWindows windows,
    double reach,
    double existingUserShare,
    double installStoryRate,
    double reEngagementRate,
    double purchaseRate,
    List<String> eventNames,
    String sdkVersion) {

  /** The UA suffix the app's SDK adds to the system UA (it does not change the UA family). */
  public String userAgentSuffix() {
    return name.replace(" ", "") + "/" + version;
  }
}
