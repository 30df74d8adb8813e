package io.touchpoint.attribution;

import io.touchpoint.model.Device;
import io.touchpoint.model.Touchpoint;
import java.util.ArrayList;
import java.util.List;

/**
 * The keys under which touches are held and candidates look them up: the three ways a touch can
 * match (docs/attribution-rules.md), used by every layer (InMemoryAttributor, the speed layer, the
 * batch's Spark functions through the plain-field overloads). A key only narrows the search: the
 * engine still checks app, match type and window per touch, so a key collision can only add touches
 * the engine then ignores, never lose one.
 *
 * <ul>
 *   <li>{@code A|app|advertising_id}: every touch with a matchable advertising id (DEVICE_ID);
 *   <li>{@code C|app|click_id}: clicks by click id, for the store referrer / deep link (REFERRER);
 *   <li>{@code P|app|ip|ua-family}: clicks without an advertising id (PROBABILISTIC).
 * </ul>
 */
public final class MatchKeys {
  private MatchKeys() {}

  /** The keys a touch is held under (empty: it can never match, e.g. an impression without id). */
  public static List<String> forTouch(Touchpoint t) {
    Device d = t.device();
    return forTouch(
        t.appId(),
        t.isClick(),
        d == null ? null : d.advertisingId(),
        t.clickId(),
        d == null ? null : d.ip(),
        d == null ? null : d.userAgent());
  }

  /**
   * The same from plain fields, for engines that hold touches as columns (the batch's Spark
   * functions): {@code advertisingId} as sent (this method decides whether it is matchable).
   */
  public static List<String> forTouch(
      String appId,
      boolean click,
      String advertisingId,
      String clickId,
      String ip,
      String userAgent) {
    List<String> keys = new ArrayList<>(2);
    String adId = Device.matchable(advertisingId);
    if (adId != null) {
      keys.add(advertisingId(appId, adId));
    }
    if (click && clickId != null) {
      keys.add(clickId(appId, clickId));
    }
    if (click && adId == null && ip != null) {
      keys.add(probabilistic(appId, ip, userAgent));
    }
    return keys;
  }

  /** The keys a candidate asks for touches. */
  public static List<String> forCandidate(Candidate c, boolean probabilisticEnabled) {
    Device d = c.device();
    return forCandidate(
        c.appId(), d.advertisingId(), c.linkClickId(), d.ip(), d.userAgent(), probabilisticEnabled);
  }

  /**
   * The same from plain fields ({@code linkClickId}: the store referrer's or deep link's click id).
   */
  public static List<String> forCandidate(
      String appId,
      String advertisingId,
      String linkClickId,
      String ip,
      String userAgent,
      boolean probabilisticEnabled) {
    List<String> keys = new ArrayList<>(3);
    String adId = Device.matchable(advertisingId);
    if (adId != null) {
      keys.add(advertisingId(appId, adId));
    }
    if (linkClickId != null) {
      keys.add(clickId(appId, linkClickId));
    }
    if (probabilisticEnabled && ip != null && UserAgentFamily.of(userAgent) != null) {
      keys.add(probabilistic(appId, ip, userAgent));
    }
    return keys;
  }

  /** The device operator's key: one app's view of one device ({@code Device.deviceKey()}). */
  public static String device(String appId, Device device) {
    return device(appId, device.deviceKey());
  }

  /** The device operator's key from the device key itself ({@code Device.deviceKey()}). */
  public static String device(String appId, String deviceKey) {
    return "D|" + appId + "|" + deviceKey;
  }

  /** The key of every touch carrying this matchable advertising id. */
  public static String advertisingId(String appId, String adId) {
    return "A|" + appId + "|" + adId;
  }

  static String clickId(String appId, String clickId) {
    return "C|" + appId + "|" + clickId;
  }

  static String probabilistic(String appId, String ip, String userAgent) {
    return "P|" + appId + "|" + ip + "|" + UserAgentFamily.of(userAgent);
  }
}
