package io.touchpoint.model;

import java.time.Instant;

/** An in-app event such as a purchase; {@code revenue} in {@code currency} (ISO 4217) if any. */
public record InAppEvent(
    String eventId,
    EventType eventType,
    String appId,
    Instant eventTime,
    Instant receivedAt,
    Device device,
    String eventName,
    Double revenue,
    String currency)
    implements Event {}
