package io.touchpoint.attribution;

import static io.touchpoint.attribution.Scenario.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.touchpoint.model.Attribution;
import io.touchpoint.model.AttributionKind;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Day-N retention: which calendar day an activity falls on, and which install it belongs to. */
class RetentionTest {
  static AppRules zone(String zone) {
    return ReAttributionWindowTest.rules("time-zone = \"" + zone + "\"");
  }

  static AppRules utcCalendar(String zone) {
    return ReAttributionWindowTest.rules("time-zone = \"" + zone + "\", retention.calendar = utc");
  }

  static Instant at(String instant) {
    return Instant.parse(instant);
  }

  @Nested
  class DayBoundaries {
    @Test
    void theLastSecondOfTheInstallDayIsDayZeroAndMidnightIsDayOne() {
      AppRules utc = zone("UTC");
      Instant install = at("2026-06-10T08:00:00Z");
      assertThat(Retention.dayN(install, at("2026-06-10T23:59:59Z"), utc)).isZero();
      assertThat(Retention.dayN(install, at("2026-06-11T00:00:00Z"), utc)).isEqualTo(1);
      assertThat(Retention.dayN(install, at("2026-06-10T07:59:59Z"), utc)).isZero();
      assertThat(Retention.dayN(install, at("2026-06-09T23:59:59Z"), utc)).isEqualTo(-1);
    }

    @Test
    void calendarDaysNotTwentyFourHourSpans() {
      AppRules utc = zone("UTC");
      Instant lateInstall = at("2026-06-10T23:50:00Z");
      assertThat(Retention.dayN(lateInstall, at("2026-06-11T00:10:00Z"), utc))
          .as("20 minutes later")
          .isEqualTo(1);
      assertThat(Retention.dayN(at("2026-06-10T00:10:00Z"), at("2026-06-10T23:50:00Z"), utc))
          .isZero();
    }
  }

  @Nested
  class TimeZones {
    @Test
    void eastOfUtcTheLocalDayStartsBeforeUtcMidnight() {
      AppRules tokyo = zone("Asia/Tokyo"); // UTC+9
      Instant install = at("2026-06-10T14:30:00Z"); // 23:30 on June 10 in Tokyo
      Instant session =
          at("2026-06-10T15:30:00Z"); // 00:30 on June 11 in Tokyo, still June 10 in UTC
      assertThat(Retention.dayN(install, session, tokyo)).isEqualTo(1);
      assertThat(Retention.dayN(install, session, utcCalendar("Asia/Tokyo")))
          .as("the UTC option")
          .isZero();
      assertThat(Retention.calendarDay(session, tokyo)).isEqualTo(LocalDate.parse("2026-06-11"));
    }

    @Test
    void farEastAcrossTheDateLine() {
      AppRules kiritimati = zone("Pacific/Kiritimati"); // UTC+14
      Instant install = at("2026-06-10T09:59:00Z"); // 23:59 on June 10 local
      assertThat(Retention.dayN(install, at("2026-06-10T10:00:00Z"), kiritimati)).isEqualTo(1);
    }

    @Test
    void westOfUtcTheLocalDayEndsAfterUtcMidnight() {
      AppRules la = zone("America/Los_Angeles"); // UTC-7 in June
      Instant install = at("2026-06-11T06:00:00Z"); // 23:00 on June 10 local, June 11 in UTC
      Instant session = at("2026-06-11T07:30:00Z"); // 00:30 on June 11 local
      assertThat(Retention.dayN(install, session, la)).isEqualTo(1);
      assertThat(Retention.dayN(install, session, utcCalendar("America/Los_Angeles"))).isZero();
      AppRules samoa = zone("Pacific/Pago_Pago"); // UTC-11
      assertThat(Retention.dayN(at("2026-06-10T12:00:00Z"), at("2026-06-11T10:59:00Z"), samoa))
          .as("23:59 local")
          .isZero();
      assertThat(Retention.dayN(at("2026-06-10T12:00:00Z"), at("2026-06-11T11:00:00Z"), samoa))
          .isEqualTo(1);
    }
  }

  @Nested
  class DaylightSavingChanges {
    @Test
    void aTwentyThreeHourDayIsStillOneDay() {
      AppRules ny = zone("America/New_York"); // spring forward on 2026-03-08 02:00 local
      Instant install = at("2026-03-08T04:30:00Z"); // 23:30 on March 7 (EST)
      assertThat(Retention.dayN(install, at("2026-03-08T05:00:00Z"), ny))
          .as("00:00 March 8 EST")
          .isEqualTo(1);
      assertThat(Retention.dayN(install, at("2026-03-09T03:59:00Z"), ny))
          .as("23:59 March 8 EDT")
          .isEqualTo(1);
      assertThat(Retention.dayN(install, at("2026-03-09T04:00:00Z"), ny))
          .as("00:00 March 9 EDT")
          .isEqualTo(2);
    }

    @Test
    void aTwentyFiveHourDayIsStillOneDay() {
      AppRules berlin = zone("Europe/Berlin"); // fall back on 2026-10-25 03:00 local
      Instant install = at("2026-10-24T21:30:00Z"); // 23:30 on October 24 (CEST)
      assertThat(Retention.dayN(install, at("2026-10-24T22:00:00Z"), berlin))
          .as("00:00 October 25")
          .isEqualTo(1);
      assertThat(Retention.dayN(install, at("2026-10-25T22:59:00Z"), berlin))
          .as("23:59 October 25 CET")
          .isEqualTo(1);
      assertThat(Retention.dayN(install, at("2026-10-25T23:00:00Z"), berlin))
          .as("00:00 October 26")
          .isEqualTo(2);
      assertThat(Retention.dayN(install, at("2026-10-31T23:00:00Z"), berlin))
          .as("00:00 November 1")
          .isEqualTo(8);
    }
  }

  @Nested
  class Cohorts {
    private Attribution verdict(Instant time, AttributionKind kind) {
      Attribution a =
          AttributionEngine.attribute(
              Candidate.of(installAt(time, device(), null, null)),
              List.of(),
              null,
              AppRules.defaults());
      return new Attribution(
          a.attributionId(),
          a.candidateEventId(),
          a.appId(),
          kind,
          a.outcome(),
          a.eventTime(),
          a.receivedAt(),
          a.deviceKey(),
          a.platform(),
          a.country(),
          null,
          null,
          null,
          null,
          null,
          a.matchType(),
          a.touchType(),
          null,
          null,
          null,
          List.of(),
          List.of(),
          false);
    }

    @Test
    void anActivityBelongsToTheLatestInstallOrReAttributionBeforeIt() {
      Attribution first = verdict(T, AttributionKind.INSTALL);
      Attribution reinstall = verdict(T.plus(days(10)), AttributionKind.REINSTALL);
      Attribution reAttribution = verdict(T.plus(days(20)), AttributionKind.RE_ATTRIBUTION);
      List<Attribution> device = List.of(reAttribution, reinstall, first);
      assertThat(Retention.cohortOf(T.plus(days(15)), device)).contains(first);
      assertThat(Retention.cohortOf(T.plus(days(20)), device))
          .as("at the same instant")
          .contains(reAttribution);
      assertThat(Retention.cohortOf(T.minusSeconds(1), device)).isEmpty();
      assertThat(Retention.reportedDayOf(first, T.plus(days(14)), AppRules.defaults()))
          .hasValue(14);
      assertThat(Retention.reportedDayOf(first, T.plus(days(2)), AppRules.defaults())).isEmpty();
      assertThat(Retention.reportedDayOf(first, T, AppRules.defaults()))
          .as("day 0 is the cohort itself")
          .isEmpty();
    }
  }

  @Property(tries = 300)
  void inUtcDayNIsTheCountOfMidnightsCrossed(
      @ForAll @LongRange(min = 0, max = 86_399) long installSecond,
      @ForAll @LongRange(min = 0, max = 40L * 86_400) long later) {
    Instant install = at("2026-01-01T00:00:00Z").plusSeconds(installSecond);
    Instant activity = install.plusSeconds(later);
    long midnights = Duration.between(at("2026-01-01T00:00:00Z"), activity).toDays();
    assertThat(Retention.dayN(install, activity, AppRules.defaults())).isEqualTo(midnights);
  }

  @Property(tries = 300)
  void anActivityNDaysOfLocalWallClockLaterIsOnDayN(
      @ForAll @IntRange(min = 0, max = 5) int zoneIndex,
      @ForAll @LongRange(min = 0, max = 365L * 86_400) long installOffset,
      @ForAll @IntRange(min = 0, max = 40) int n) {
    String zone =
        List.of(
                "UTC",
                "Asia/Tokyo",
                "Pacific/Kiritimati",
                "America/New_York",
                "Europe/Berlin",
                "Pacific/Pago_Pago")
            .get(zoneIndex);
    AppRules rules = zone(zone);
    Instant install = at("2026-01-01T00:00:00Z").plusSeconds(installOffset);
    // the same local date n days on, at noon local time (never inside a DST gap)
    LocalDate localDay = install.atZone(ZoneId.of(zone)).toLocalDate().plusDays(n);
    Instant activity = localDay.atTime(12, 0).atZone(ZoneId.of(zone)).toInstant();
    assertThat(Retention.dayN(install, activity, rules)).isEqualTo(n);
    assertThat(Retention.dayN(install, activity, utcCalendar(zone)))
        .isEqualTo(
            java.time.temporal.ChronoUnit.DAYS.between(
                LocalDate.ofInstant(install, ZoneOffset.UTC),
                LocalDate.ofInstant(activity, ZoneOffset.UTC)));
  }
}
