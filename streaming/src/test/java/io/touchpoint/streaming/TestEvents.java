package io.touchpoint.streaming;

import io.touchpoint.model.Device;
import io.touchpoint.model.EventType;
import io.touchpoint.model.InAppEvent;
import io.touchpoint.model.Install;
import io.touchpoint.model.Session;
import io.touchpoint.model.Touchpoint;
import java.time.Instant;
import java.util.UUID;

/** Small valid contract events for unit tests. */
public final class TestEvents {
  public static final String APP = "com.example.game";
  public static final Instant T = Instant.parse("2026-11-20T10:00:00Z");
  public static final Device PHONE =
      new Device(
          "6f1c8a52-3b9e-4a57-9d2c-0e5b7f2a1c33",
          "A1B2C3D4-E5F6-4711-8899-AABBCCDDEEFF",
          "203.0.113.7",
          "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X)",
          "ios",
          "17.1",
          "US");
  public static final Device LAT_PHONE =
      new Device(
          null,
          "B1B2C3D4-E5F6-4711-8899-AABBCCDDEEFF",
          "203.0.113.8",
          "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X)",
          "ios",
          "17.1",
          "US");

  private TestEvents() {}

  public static String id() {
    return UUID.randomUUID().toString();
  }

  public static Touchpoint click(Device d, String clickId, Instant at) {
    return new Touchpoint(
        id(),
        EventType.CLICK,
        APP,
        at,
        at.plusSeconds(1),
        d,
        "adnet",
        "cmp-1",
        null,
        null,
        null,
        "site-1",
        clickId,
        false,
        null,
        null,
        null);
  }

  public static Touchpoint impression(Device d, Instant at) {
    return new Touchpoint(
        id(),
        EventType.IMPRESSION,
        APP,
        at,
        at.plusSeconds(1),
        d,
        "adnet",
        "cmp-1",
        null,
        null,
        null,
        "site-1",
        null,
        false,
        null,
        null,
        null);
  }

  public static Install install(Device d, String referrer, Instant at) {
    return new Install(
        id(), EventType.INSTALL, APP, at, at.plusSeconds(2), d, referrer, null, "1.0");
  }

  public static Session session(Device d, String deepLink, Instant at) {
    return new Session(id(), EventType.SESSION, APP, at, at.plusSeconds(2), d, deepLink);
  }

  public static InAppEvent purchase(Device d, Instant at) {
    return new InAppEvent(
        id(), EventType.IN_APP_EVENT, APP, at, at.plusSeconds(2), d, "purchase", 4.99, "USD");
  }
}
