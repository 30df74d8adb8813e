package io.touchpoint.model;

import java.time.Instant;

/**
 * An in-app event with the source its install is credited to (for the app's lifetime) and, while a
 * re-engagement window is open, the re-engaging source too. {@code installOutcome} is null when no
 * install of the device is known yet.
 */
public record AttributedEvent(
    String eventId,
    String appId,
    String eventName,
    Instant eventTime,
    Instant receivedAt,
    String deviceKey,
    String platform,
    String country,
    Double revenue,
    String currency,
    String installAttributionId,
    Instant installTime,
    Outcome installOutcome,
    String mediaSource,
    String campaignId,
    String reEngagementAttributionId,
    String reEngagementMediaSource,
    String reEngagementCampaignId) {}
