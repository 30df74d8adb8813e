package io.touchpoint.model;

import java.time.Instant;

/**
 * An install, reported by the SDK at the first app open ({@code eventTime}). {@code
 * referrerClickId} is the click id the store referrer carried (Android), if any; {@code
 * installBeginTime} is when the store download began (Play install referrer), if known.
 */
public record Install(
    String eventId,
    EventType eventType,
    String appId,
    Instant eventTime,
    Instant receivedAt,
    Device device,
    String referrerClickId,
    Instant installBeginTime,
    String sdkVersion)
    implements Event {}
