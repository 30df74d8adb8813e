package io.touchpoint.model;

/**
 * The device block every event carries. {@code advertisingId} (GAID/IDFA) may be absent
 * (limited ad tracking, iOS without ATT consent); {@code vendorId} (IDFV/Android ID) is the
 * app-scoped identifier the SDK always has, but ad networks never see it.
 */
public record Device(
    String advertisingId,
    String vendorId,
    String ip,
    String userAgent,
    String platform,
    String osVersion,
    String country) {

  /** The key that groups one device's events: its advertising id, else its vendor id. */
  public String deviceKey() {
    if (advertisingId != null && !advertisingId.isBlank()) {
      return "aid:" + advertisingId;
    }
    return vendorId == null ? null : "vid:" + vendorId;
  }
}
