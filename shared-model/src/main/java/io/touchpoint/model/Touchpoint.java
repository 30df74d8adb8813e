package io.touchpoint.model;

import java.time.Instant;

/**
 * An impression or a click from an ad network. One record serves both because they carry the same
 * fields; {@link #eventType()} says which. {@code retargeting} marks touches of a retargeting
 * campaign (aimed at existing users), which only re-attribute and re-engage.
 */
public record Touchpoint(
    String eventId,
    EventType eventType,
    String appId,
    Instant eventTime,
    Instant receivedAt,
    Device device,
    String mediaSource,
    String campaignId,
    String campaign,
    String adset,
    String ad,
    String siteId,
    String clickId,
    boolean retargeting,
    String costModel,
    Double costValue,
    String costCurrency)
    implements Event {

  public boolean isClick() {
    return eventType == EventType.CLICK;
  }
}
