package io.touchpoint.simulator.device;

import io.touchpoint.model.Device;
import io.touchpoint.simulator.world.Country;
import io.touchpoint.simulator.world.Platform;
import io.touchpoint.simulator.world.SimApp;

/**
 * One phone of the population. Its IP is unique in the population and stable over the run, and its
 * user-agent family (model + OS major) is the same in the browser that clicks an ad and in the
 * app's SDK: so a probabilistic match can only ever find this device's own clicks.
 *
 * @param advertisingId GAID/IDFA, null when the user limited ad tracking
 */
public record SimDevice(
    int index,
    Platform platform,
    String advertisingId,
    String model,
    String osVersion,
    int osMajor,
    String androidBuild,
    String chromeVersion,
    Country country,
    String ip) {

  public boolean hasAdvertisingId() {
    return advertisingId != null;
  }

  /** The device block an ad network reports: no vendor id (networks never see it). */
  public Device asSeenByNetworks() {
    return new Device(
        advertisingId,
        null,
        ip,
        UserAgents.browser(this),
        platform.wireName(),
        osVersion,
        country.code());
  }

  /** The same device block as a network that cannot read the advertising id (mobile web). */
  public Device asSeenByWeb() {
    return new Device(
        null, null, ip, UserAgents.browser(this), platform.wireName(), osVersion, country.code());
  }

  /** The device block the app's SDK reports. */
  public Device asSeenByApp(SimApp app, String vendorId) {
    return new Device(
        advertisingId,
        vendorId,
        ip,
        UserAgents.app(this, app),
        platform.wireName(),
        osVersion,
        country.code());
  }

  /** The Kafka key of the contract: advertising id, else vendor id, else IP. */
  public static String partitionKey(Device d) {
    if (d.advertisingId() != null) {
      return d.advertisingId();
    }
    return d.vendorId() != null ? d.vendorId() : d.ip();
  }
}
