package io.touchpoint.model;

import java.time.Instant;
import java.util.List;

/**
 * The verdict for one install or re-engagement candidate: the output both layers write ({@code
 * attributions} topic, silver table). {@code attributionId} is derived from the candidate's event
 * id, so a replay yields the same id and consumers can de-duplicate. Source fields describe the
 * winning touch; on a rejection, the offending touch.
 */
public record Attribution(
    String attributionId,
    String candidateEventId,
    String appId,
    AttributionKind kind,
    Outcome outcome,
    Instant eventTime,
    Instant receivedAt,
    String deviceKey,
    String platform,
    String country,
    String mediaSource,
    String campaignId,
    String campaign,
    String adset,
    String siteId,
    MatchType matchType,
    TouchType touchType,
    String touchEventId,
    Instant touchTime,
    Long ctitSeconds,
    List<Contributor> contributors,
    List<FraudReason> fraudReasons,
    boolean reEngagement) {

  public Attribution {
    contributors = contributors == null ? List.of() : List.copyOf(contributors);
    fraudReasons = fraudReasons == null ? List.of() : List.copyOf(fraudReasons);
  }

  public boolean isRejected() {
    return outcome == Outcome.REJECTED;
  }
}
