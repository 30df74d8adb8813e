package io.touchpoint.model;

import java.time.Instant;

/**
 * An app session start. {@code deepLinkClickId} is set when the app was opened through a
 * (retargeting) link: such a session is a re-engagement candidate.
 */
public record Session(
    String eventId,
    EventType eventType,
    String appId,
    Instant eventTime,
    Instant receivedAt,
    Device device,
    String deepLinkClickId)
    implements Event {}
