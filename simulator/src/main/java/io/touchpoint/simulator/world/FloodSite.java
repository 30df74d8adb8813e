package io.touchpoint.simulator.world;

/**
 * A publisher site that sprays clicks on random devices of one app's platform: thousands a day, far
 * beyond the flooding detector's minimum, converting almost none of them.
 *
 * @param clicksPerDay the expected number of sprayed clicks per UTC day
 */
public record FloodSite(Campaign campaign, String siteId, double clicksPerDay) {
  public SimApp app() {
    return campaign.app();
  }
}
