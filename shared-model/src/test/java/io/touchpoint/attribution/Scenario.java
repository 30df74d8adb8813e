package io.touchpoint.attribution;

import io.touchpoint.model.Device;
import io.touchpoint.model.EventType;
import io.touchpoint.model.Install;
import io.touchpoint.model.Session;
import io.touchpoint.model.Touchpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/** Builds small, readable attribution scenarios around one install time. */
final class Scenario {
  static final String APP = "com.example.game";
  static final Instant T = Instant.parse("2026-03-10T12:00:00Z");
  static final String AD_ID = "aaaaaaaa-0000-4000-8000-000000000001";
  static final String IP = "203.0.113.7";
  static final String APP_UA = "Game/3.1 (iPhone; CPU iPhone OS 17_2 like Mac OS X) Build/17C";
  static final String BROWSER_UA =
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 Safari/604.1";

  private static final AtomicInteger SEQ = new AtomicInteger();

  private Scenario() {}

  static Device device() {
    return new Device(AD_ID, "vendor-1", IP, APP_UA, "ios", "17.2", "US");
  }

  static Device deviceWithoutAdId() {
    return new Device(null, "vendor-2", IP, APP_UA, "ios", "17.2", "US");
  }

  static Install install(Device device) {
    return installAt(T, device, null, null);
  }

  static Install installAt(
      Instant time, Device device, String referrerClickId, Instant installBegin) {
    return new Install(
        id(),
        EventType.INSTALL,
        APP,
        time,
        time.plusSeconds(5),
        device,
        referrerClickId,
        installBegin,
        "6.14.0");
  }

  static Session linkedSession(Instant time, Device device, String clickId) {
    return new Session(id(), EventType.SESSION, APP, time, time.plusSeconds(1), device, clickId);
  }

  static Touchpoint click(String source, Duration before) {
    return touch(EventType.CLICK, source, before, AD_ID, false);
  }

  static Touchpoint impression(String source, Duration before) {
    return touch(EventType.IMPRESSION, source, before, AD_ID, false);
  }

  static Touchpoint retargetingClick(String source, Duration before) {
    return touch(EventType.CLICK, source, before, AD_ID, true);
  }

  /** A click that carries no advertising id: only the referrer or IP + UA can match it. */
  static Touchpoint anonymousClick(String source, Duration before) {
    return touch(EventType.CLICK, source, before, null, false);
  }

  static Touchpoint touch(
      EventType type, String source, Duration before, String adId, boolean retargeting) {
    Instant time = T.minus(before);
    String id = id();
    Device d = new Device(adId, null, IP, BROWSER_UA, "ios", "17.2", "US");
    return new Touchpoint(
        id,
        type,
        APP,
        time,
        time.plusSeconds(1),
        d,
        source,
        source + "-cmp",
        source + " campaign",
        "adset",
        "ad",
        source + "-site",
        type == EventType.CLICK ? "clk-" + id : null,
        retargeting,
        null,
        null,
        null);
  }

  static Touchpoint withClickId(Touchpoint t, String clickId) {
    return new Touchpoint(
        t.eventId(),
        t.eventType(),
        t.appId(),
        t.eventTime(),
        t.receivedAt(),
        t.device(),
        t.mediaSource(),
        t.campaignId(),
        t.campaign(),
        t.adset(),
        t.ad(),
        t.siteId(),
        clickId,
        t.retargeting(),
        t.costModel(),
        t.costValue(),
        t.costCurrency());
  }

  static Touchpoint withDevice(Touchpoint t, Device d) {
    return new Touchpoint(
        t.eventId(),
        t.eventType(),
        t.appId(),
        t.eventTime(),
        t.receivedAt(),
        d,
        t.mediaSource(),
        t.campaignId(),
        t.campaign(),
        t.adset(),
        t.ad(),
        t.siteId(),
        t.clickId(),
        t.retargeting(),
        t.costModel(),
        t.costValue(),
        t.costCurrency());
  }

  static String id() {
    return new UUID(0x1000L, SEQ.incrementAndGet()).toString();
  }

  static Duration days(long n) {
    return Duration.ofDays(n);
  }

  static Duration hours(long n) {
    return Duration.ofHours(n);
  }

  static Duration minutes(long n) {
    return Duration.ofMinutes(n);
  }

  static Duration seconds(long n) {
    return Duration.ofSeconds(n);
  }
}
