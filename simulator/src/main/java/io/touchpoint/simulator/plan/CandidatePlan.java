package io.touchpoint.simulator.plan;

import io.touchpoint.model.AttributionKind;
import io.touchpoint.model.FraudReason;
import io.touchpoint.model.MatchType;
import io.touchpoint.model.Outcome;
import io.touchpoint.model.Touchpoint;
import io.touchpoint.simulator.world.SimApp;
import java.time.Instant;
import java.util.List;

/**
 * One planned candidate (an install, or a session opened by a deep link) with the verdict its
 * scenario fixes. {@code winner} is the touch the verdict names (the offending one when rejected),
 * null for organic and not-credited verdicts.
 *
 * @param countsRetargeting whether the rules look at retargeting touches (reinstalls inside the
 *     window, re-engagements) or at user-acquisition touches (new installs)
 * @param linkClickId the install's referrer click id or the session's deep link click id
 * @param priorInstall the device's previous install of the app, for reinstalls
 */
public record CandidatePlan(
    Scenario scenario,
    SimApp app,
    String eventId,
    boolean session,
    Instant time,
    String advertisingId,
    String ip,
    boolean countsRetargeting,
    String linkClickId,
    Instant installBeginTime,
    AttributionKind kind,
    Outcome outcome,
    Touchpoint winner,
    MatchType matchType,
    List<FraudReason> fraudReasons,
    CandidatePlan priorInstall) {

  public CandidatePlan {
    fraudReasons = List.copyOf(fraudReasons);
    if ((winner == null) != (matchType == MatchType.NONE)) {
      throw new IllegalArgumentException("a winner needs a match type and vice versa");
    }
  }
}
