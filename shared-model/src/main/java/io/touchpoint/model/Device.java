package io.touchpoint.model;

/**
 * The device block every event carries. {@code advertisingId} (GAID/IDFA) may be absent (limited ad
 * tracking, iOS without ATT consent); {@code vendorId} (IDFV/Android ID) is the app-scoped
 * identifier the SDK always has, but ad networks never see it.
 */
public record Device(
    String advertisingId,
    String vendorId,
    String ip,
    String userAgent,
    String platform,
    String osVersion,
    String country) {

  /** The all-zero id that devices under limited ad tracking send instead of a real one. */
  public static final String ZERO_ADVERTISING_ID = "00000000-0000-0000-0000-000000000000";

  /** The advertising id if it identifies the device: absent, blank and all-zero ids do not. */
  public String matchableAdvertisingId() {
    return matchable(advertisingId);
  }

  /**
   * {@link #matchableAdvertisingId()} of a bare advertising id (for engines holding plain fields).
   */
  public static String matchable(String advertisingId) {
    if (advertisingId == null
        || advertisingId.isBlank()
        || ZERO_ADVERTISING_ID.equals(advertisingId)) {
      return null;
    }
    return advertisingId;
  }

  /** The key that groups one device's events: its advertising id, else its vendor id. */
  public String deviceKey() {
    return deviceKey(advertisingId, vendorId);
  }

  /** {@link #deviceKey()} of bare ids (for engines holding plain fields). */
  public static String deviceKey(String advertisingId, String vendorId) {
    String aid = matchable(advertisingId);
    if (aid != null) {
      return "aid:" + aid;
    }
    return vendorId == null ? null : "vid:" + vendorId;
  }
}
