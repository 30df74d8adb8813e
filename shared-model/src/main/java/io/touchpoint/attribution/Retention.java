package io.touchpoint.attribution;

import io.touchpoint.model.Attribution;
import io.touchpoint.model.AttributionKind;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Day-N retention, written once. An install (a verdict of kind INSTALL or RE_ATTRIBUTION: the ones
 * that start a cohort) is retained on day N when the device has a session on the calendar day N
 * days after the install's calendar day and that session belongs to the install: the install is the
 * device's latest cohort-starting verdict at or before the session (as {@link EventCrediting}
 * assigns in-app events). Calendar days are counted in the app's time zone ({@link
 * RetentionCalendar#APP_TIME_ZONE}, the default) or in UTC, so a session at 23:30 local time and
 * one at 00:30 the next local day are on different days, and a day of 23 or 25 hours (a DST change)
 * is still one day.
 */
public final class Retention {
  /** The day-N points reports keep. */
  public static final List<Integer> REPORTED_DAYS = List.of(1, 3, 7, 14, 30);

  private static final Comparator<Attribution> LATEST =
      Comparator.comparing(Attribution::eventTime).thenComparing(Attribution::candidateEventId);

  private Retention() {}

  /** The zone whose calendar days retention counts in. */
  public static ZoneId zone(AppRules rules) {
    return rules.retentionCalendar() == RetentionCalendar.UTC ? ZoneOffset.UTC : rules.timeZone();
  }

  /** The calendar day an instant falls on for retention. */
  public static LocalDate calendarDay(Instant t, AppRules rules) {
    return LocalDate.ofInstant(t, zone(rules));
  }

  /**
   * Which day after the install an activity falls on: 0 on the install's calendar day, 1 on the
   * next, and so on; negative before the install's day.
   */
  public static long dayN(Instant install, Instant activity, AppRules rules) {
    return ChronoUnit.DAYS.between(calendarDay(install, rules), calendarDay(activity, rules));
  }

  /** Whether {@code n} is one of the {@link #REPORTED_DAYS}. */
  public static boolean isReported(long n) {
    return n >= 1 && n <= Integer.MAX_VALUE && REPORTED_DAYS.contains((int) n);
  }

  /** Whether a verdict starts a retention cohort (and owns the activity that follows). */
  public static boolean startsCohort(Attribution a) {
    return a.kind() == AttributionKind.INSTALL || a.kind() == AttributionKind.RE_ATTRIBUTION;
  }

  /**
   * The install an activity at {@code t} belongs to: the device's latest cohort-starting verdict at
   * or before {@code t} (ties by candidate event id), if any.
   *
   * @param deviceVerdicts the verdicts of the activity's device and app, any order
   */
  public static Optional<Attribution> cohortOf(Instant t, Iterable<Attribution> deviceVerdicts) {
    Attribution best = null;
    for (Attribution a : deviceVerdicts) {
      if (startsCohort(a)
          && !a.eventTime().isAfter(t)
          && (best == null || LATEST.compare(a, best) > 0)) {
        best = a;
      }
    }
    return Optional.ofNullable(best);
  }

  /**
   * The reported day-N point a session at {@code t} counts for, with the install it belongs to:
   * empty when it belongs to no install or falls on an unreported day.
   */
  public static OptionalInt reportedDayOf(Attribution cohort, Instant t, AppRules rules) {
    long n = dayN(cohort.eventTime(), t, rules);
    return isReported(n) ? OptionalInt.of((int) n) : OptionalInt.empty();
  }
}
