package io.touchpoint.attribution;

import io.touchpoint.model.Device;
import io.touchpoint.model.Touchpoint;
import java.util.ArrayList;
import java.util.List;

/**
 * The keys under which touches are held and candidates look them up: the three ways a touch can
 * match (docs/attribution-rules.md), used by every layer (InMemoryAttributor, the speed layer). A key
 * only narrows the search: the engine still checks app, match type and window per touch, so a
 * key collision can only add touches the engine then ignores, never lose one.
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
    List<String> keys = new ArrayList<>(2);
    Device d = t.device();
    String adId = d == null ? null : d.matchableAdvertisingId();
    if (adId != null) {
      keys.add(advertisingId(t.appId(), adId));
    }
    if (t.isClick() && t.clickId() != null) {
      keys.add(clickId(t.appId(), t.clickId()));
    }
    if (t.isClick() && d != null && adId == null && d.ip() != null) {
      keys.add(probabilistic(t.appId(), d.ip(), d.userAgent()));
    }
    return keys;
  }

  /** The keys a candidate asks for touches. */
  public static List<String> forCandidate(Candidate c, boolean probabilisticEnabled) {
    List<String> keys = new ArrayList<>(3);
    String adId = c.device().matchableAdvertisingId();
    if (adId != null) {
      keys.add(advertisingId(c.appId(), adId));
    }
    if (c.linkClickId() != null) {
      keys.add(clickId(c.appId(), c.linkClickId()));
    }
    if (probabilisticEnabled && c.device().ip() != null && UserAgentFamily.of(c.device().userAgent()) != null) {
      keys.add(probabilistic(c.appId(), c.device().ip(), c.device().userAgent()));
    }
    return keys;
  }

  /** The device operator's key: one app's view of one device ({@code Device.deviceKey()}). */
  public static String device(String appId, Device device) {
    return "D|" + appId + "|" + device.deviceKey();
  }

  private static String advertisingId(String appId, String adId) {
    return "A|" + appId + "|" + adId;
  }

  private static String clickId(String appId, String clickId) {
    return "C|" + appId + "|" + clickId;
  }

  private static String probabilistic(String appId, String ip, String userAgent) {
    return "P|" + appId + "|" + ip + "|" + UserAgentFamily.of(userAgent);
  }
}
