package io.touchpoint.simulator.truth;

import io.touchpoint.model.AttributionKind;
import io.touchpoint.model.Device;
import io.touchpoint.model.TouchType;
import io.touchpoint.model.Touchpoint;
import io.touchpoint.simulator.plan.CandidatePlan;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

/** Turns a planned candidate into its truth line. */
public final class TruthFactory {
  private TruthFactory() {}

  /**
   * @param appDevice the device block the app reports (its key is the device key)
   * @param lateEventIds events of the device delivered late
   * @param retainedDays the cohort's retained days ({@link RetentionTruth}), null for other kinds
   */
  public static TruthRecord of(
      CandidatePlan c, Device appDevice, Set<String> lateEventIds, List<Integer> retainedDays) {
    Touchpoint w = c.winner();
    boolean reEngagement =
        c.kind() == AttributionKind.RE_ENGAGEMENT || c.kind() == AttributionKind.RE_ATTRIBUTION;
    Long ctit =
        w != null && w.isClick() && !c.session()
            ? Duration.between(w.eventTime(), c.time()).toSeconds()
            : null;
    boolean late =
        lateEventIds.contains(c.eventId())
            || (w != null && lateEventIds.contains(w.eventId()))
            || (c.priorInstall() != null && lateEventIds.contains(c.priorInstall().eventId()));
    return new TruthRecord(
        c.eventId(),
        c.session() ? "session" : "install",
        c.app().appId(),
        appDevice.deviceKey(),
        appDevice.platform(),
        c.kind(),
        c.outcome(),
        w == null ? null : w.mediaSource(),
        w == null ? null : w.campaignId(),
        w == null ? null : w.siteId(),
        c.matchType(),
        w == null ? TouchType.NONE : (w.isClick() ? TouchType.CLICK : TouchType.IMPRESSION),
        w == null ? null : w.eventId(),
        w == null ? null : w.eventTime(),
        ctit,
        c.fraudReasons(),
        reEngagement,
        c.scenario().label(),
        c.time(),
        LocalDate.ofInstant(c.time(), c.app().timeZone()),
        LocalDate.ofInstant(c.time(), ZoneOffset.UTC),
        c.priorInstall() == null ? null : c.priorInstall().eventId(),
        late,
        retainedDays);
  }
}
