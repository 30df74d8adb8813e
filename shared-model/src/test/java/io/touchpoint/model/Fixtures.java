package io.touchpoint.model;

import java.time.Instant;
import java.util.List;

/** One valid, fully populated instance of every contract record, for tests. */
public final class Fixtures {
  public static final Instant RECEIVED = Instant.parse("2026-11-20T10:00:00.123Z");
  public static final Instant NOW = RECEIVED.plusSeconds(5);

  public static final Device DEVICE =
      new Device(
          "6f1c8a52-3b9e-4a57-9d2c-0e5b7f2a1c33",
          "A1B2C3D4-E5F6-4711-8899-AABBCCDDEEFF",
          "203.0.113.7",
          "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X)",
          "ios",
          "17.1",
          "US");

  public static final Touchpoint CLICK =
      new Touchpoint(
          "0b6b2f7e-6c1a-4f0e-9d51-3c2f7d1a9e01",
          EventType.CLICK,
          "com.example.game",
          RECEIVED.minusSeconds(3600),
          RECEIVED.minusSeconds(3599),
          DEVICE,
          "adnet_a",
          "cmp-42",
          "Winter Sale",
          "adset-1",
          "ad-9",
          "site-77",
          "clk-123",
          false,
          "CPI",
          1.25,
          "USD");

  public static final Touchpoint IMPRESSION =
      new Touchpoint(
          "0b6b2f7e-6c1a-4f0e-9d51-3c2f7d1a9e02",
          EventType.IMPRESSION,
          "com.example.game",
          RECEIVED.minusSeconds(7200),
          RECEIVED.minusSeconds(7199),
          DEVICE,
          "adnet_b",
          "cmp-7",
          null,
          null,
          null,
          "site-8",
          null,
          true,
          null,
          null,
          null);

  public static final Install INSTALL =
      new Install(
          "0b6b2f7e-6c1a-4f0e-9d51-3c2f7d1a9e03",
          EventType.INSTALL,
          "com.example.game",
          RECEIVED.minusSeconds(1),
          RECEIVED,
          DEVICE,
          "clk-123",
          RECEIVED.minusSeconds(120),
          "6.12.0");

  public static final Session SESSION =
      new Session(
          "0b6b2f7e-6c1a-4f0e-9d51-3c2f7d1a9e04",
          EventType.SESSION,
          "com.example.game",
          RECEIVED.minusSeconds(1),
          RECEIVED,
          DEVICE,
          "clk-456");

  public static final InAppEvent PURCHASE =
      new InAppEvent(
          "0b6b2f7e-6c1a-4f0e-9d51-3c2f7d1a9e05",
          EventType.IN_APP_EVENT,
          "com.example.game",
          RECEIVED.minusSeconds(1),
          RECEIVED,
          DEVICE,
          "purchase",
          9.99,
          "EUR");

  public static final List<Event> EVENTS = List.of(CLICK, IMPRESSION, INSTALL, SESSION, PURCHASE);

  public static final Contributor CONTRIBUTOR =
      new Contributor(
          "adnet_b",
          "cmp-7",
          "site-8",
          TouchType.IMPRESSION,
          MatchType.DEVICE_ID,
          IMPRESSION.eventId(),
          IMPRESSION.eventTime());

  public static final Attribution ATTRIBUTION =
      new Attribution(
          "5d0c1f7c-7b1e-3c55-a3f0-6f3d8b2a4e10",
          INSTALL.eventId(),
          "com.example.game",
          AttributionKind.INSTALL,
          Outcome.REJECTED,
          INSTALL.eventTime(),
          INSTALL.receivedAt(),
          DEVICE.deviceKey(),
          "ios",
          "US",
          "adnet_a",
          "cmp-42",
          "Winter Sale",
          "adset-1",
          "site-77",
          MatchType.REFERRER,
          TouchType.CLICK,
          CLICK.eventId(),
          CLICK.eventTime(),
          3599L,
          List.of(CONTRIBUTOR),
          List.of(FraudReason.CLICK_AFTER_INSTALL_BEGIN),
          false);

  public static final Attribution ORGANIC =
      new Attribution(
          "5d0c1f7c-7b1e-3c55-a3f0-6f3d8b2a4e11",
          INSTALL.eventId(),
          "com.example.game",
          AttributionKind.INSTALL,
          Outcome.ORGANIC,
          INSTALL.eventTime(),
          INSTALL.receivedAt(),
          DEVICE.deviceKey(),
          "ios",
          null,
          null,
          null,
          null,
          null,
          null,
          MatchType.NONE,
          TouchType.NONE,
          null,
          null,
          null,
          List.of(),
          List.of(),
          false);

  public static final AttributedEvent ATTRIBUTED_EVENT =
      new AttributedEvent(
          PURCHASE.eventId(),
          "com.example.game",
          "purchase",
          PURCHASE.eventTime(),
          PURCHASE.receivedAt(),
          DEVICE.deviceKey(),
          "ios",
          "US",
          9.99,
          "EUR",
          ATTRIBUTION.attributionId(),
          INSTALL.eventTime(),
          Outcome.ATTRIBUTED,
          "adnet_a",
          "cmp-42",
          "5d0c1f7c-7b1e-3c55-a3f0-6f3d8b2a4e12",
          "adnet_b",
          "cmp-7");

  public static final DeadLetter DEAD_LETTER =
      new DeadLetter(
          new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'},
          List.of("UNDECODABLE_BYTES"),
          List.of("payload: not valid UTF-8 at byte 1"),
          "app-events",
          3,
          4711L,
          NOW);

  private Fixtures() {}
}
