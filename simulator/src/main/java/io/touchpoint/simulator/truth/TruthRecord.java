package io.touchpoint.simulator.truth;

import io.touchpoint.model.AttributionKind;
import io.touchpoint.model.FraudReason;
import io.touchpoint.model.MatchType;
import io.touchpoint.model.Outcome;
import io.touchpoint.model.TouchType;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * The verdict the simulator planned for one candidate (a line of {@code truth.jsonl}). Source
 * fields name the winning touch (the offending one when rejected); they are absent for organic and
 * not-credited verdicts. Contributors are not part of the truth.
 *
 * @param candidateType {@code install} or {@code session} (a deep-linked session)
 * @param eventDay the candidate's calendar day in the app's time zone (the report bucket)
 * @param eventDayUtc the candidate's UTC day (the batch partition, the flooding signal's day)
 * @param priorInstallEventId for reinstalls, the device's install that opened the re-attribution
 *     window the candidate falls in (or falls after, for a new install past it)
 * @param lateInputs whether the candidate, its winning touch or its prior install arrives late: a
 *     speed layer may then differ from this truth until the late event arrives
 * @param retainedDays for an install or re-attribution (a retention cohort): the reported day-N
 *     points (1, 3, 7, 14, 30) on which its device had a session that belongs to it, ascending;
 *     null for other kinds
 */
public record TruthRecord(
    String candidateEventId,
    String candidateType,
    String appId,
    String deviceKey,
    String platform,
    AttributionKind kind,
    Outcome outcome,
    String mediaSource,
    String campaignId,
    String siteId,
    MatchType matchType,
    TouchType touchType,
    String touchEventId,
    Instant touchTime,
    Long ctitSeconds,
    List<FraudReason> fraudReasons,
    boolean reEngagement,
    String scenario,
    Instant eventTime,
    LocalDate eventDay,
    LocalDate eventDayUtc,
    String priorInstallEventId,
    boolean lateInputs,
    List<Integer> retainedDays) {

  public TruthRecord {
    fraudReasons = fraudReasons == null ? List.of() : List.copyOf(fraudReasons);
    retainedDays = retainedDays == null ? null : List.copyOf(retainedDays);
  }

  /** Whether the candidate starts a retention cohort (an install or re-attribution). */
  public boolean startsCohort() {
    return kind == AttributionKind.INSTALL || kind == AttributionKind.RE_ATTRIBUTION;
  }
}
