package io.touchpoint.simulator.truth;

import io.touchpoint.model.AttributionKind;
import io.touchpoint.model.Event;
import io.touchpoint.model.Session;
import io.touchpoint.simulator.plan.CandidatePlan;
import io.touchpoint.simulator.world.SimApp;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The day-N retention the simulator planned, from the sessions it generated (every one is delivered
 * valid at least once): a planned install or re-attribution is retained on day N (1, 3, 7, 14, 30)
 * when a session of its device falls on the calendar day N days after its own, counted in the app's
 * retention zone, and no later install or re-attribution of the device came between them.
 */
public final class RetentionTruth {
  /** The day-N points the reports keep. */
  public static final List<Integer> REPORTED_DAYS = List.of(1, 3, 7, 14, 30);

  private static final Comparator<CandidatePlan> LATEST =
      Comparator.comparing(CandidatePlan::time).thenComparing(CandidatePlan::eventId);

  private RetentionTruth() {}

  /**
   * Retained days by candidate event id, for the cohorts among {@code candidates} (others absent).
   */
  public static Map<String, List<Integer>> of(
      SimApp app, List<CandidatePlan> candidates, List<Event> events) {
    List<CandidatePlan> cohorts =
        candidates.stream()
            .filter(
                c ->
                    c.kind() == AttributionKind.INSTALL
                        || c.kind() == AttributionKind.RE_ATTRIBUTION)
            .sorted(LATEST)
            .toList();
    ZoneId zone = app.windows().retentionZone(app.timeZone());
    Map<String, TreeSet<Integer>> days = new HashMap<>();
    cohorts.forEach(c -> days.put(c.eventId(), new TreeSet<>()));
    for (Event e : events) {
      if (!(e instanceof Session s)) {
        continue;
      }
      CandidatePlan owner = null;
      for (CandidatePlan c : cohorts) {
        if (!c.time().isAfter(s.eventTime())) {
          owner = c; // ascending: the last one at or before the session
        }
      }
      if (owner == null) {
        continue;
      }
      long n =
          ChronoUnit.DAYS.between(
              LocalDate.ofInstant(owner.time(), zone), LocalDate.ofInstant(s.eventTime(), zone));
      if (n > 0
          && n <= REPORTED_DAYS.get(REPORTED_DAYS.size() - 1)
          && REPORTED_DAYS.contains((int) n)) {
        days.get(owner.eventId()).add((int) n);
      }
    }
    Map<String, List<Integer>> out = new HashMap<>();
    days.forEach((id, set) -> out.put(id, new ArrayList<>(set)));
    return out;
  }
}
