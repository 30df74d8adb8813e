package io.touchpoint.model;

import java.time.Instant;

/** Another media source that touched the device inside its window but did not win. */
public record Contributor(
    String mediaSource,
    String campaignId,
    String siteId,
    TouchType touchType,
    MatchType matchType,
    String touchEventId,
    Instant touchTime) {}
