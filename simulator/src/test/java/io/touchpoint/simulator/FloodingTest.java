package io.touchpoint.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.touchpoint.simulator.truth.FloodingTruth;
import io.touchpoint.simulator.truth.SiteDayTruth;
import io.touchpoint.simulator.truth.TruthRecord;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Flooding sites are clearly beyond the detector's thresholds, honest sites clearly within. */
class FloodingTest {

  @Test
  void floodingSitesAreFlaggedEveryReportedDayWithRoomToSpare() {
    SimulationParams p = TestRuns.MODERATE;
    List<SiteDayTruth> flood =
        TestRuns.moderate().data().floodingTruth().stream()
            .filter(SiteDayTruth::floodingSite)
            .filter(
                s ->
                    !s.day().isBefore(p.startDate())
                        && s.day().isBefore(p.startDate().plusDays(p.days())))
            .toList();
    assertThat(flood).hasSize(3 * p.days()).allMatch(SiteDayTruth::flagged);
    for (SiteDayTruth s : flood) {
      assertThat(s.clicks()).isGreaterThan(FloodingTruth.MIN_CLICKS * 3 / 2);
      assertThat(s.conversionRate()).isLessThan(FloodingTruth.MAX_CONVERSION / 3);
      assertThat(s.shareWithinFirstHour())
          .isLessThan(FloodingTruth.MAX_SHARE_WITHIN_FIRST_HOUR / 3);
    }
  }

  @Test
  void honestSitesAreNeverFlaggedAndTheBusyOnesConvertWell() {
    for (SiteDayTruth s : TestRuns.moderate().data().floodingTruth()) {
      if (!s.floodingSite()) {
        assertThat(s.flagged()).as(s.toString()).isFalse();
      }
    }
  }

  @Test
  void floodingWinsAreRejectedOnFlaggedSiteDays() {
    List<TruthRecord> wins =
        TestRuns.moderate().data().truth().stream()
            .filter(t -> t.scenario().equals("flooding_site"))
            .toList();
    assertThat(wins).isNotEmpty().allMatch(t -> t.ctitSeconds() > 3600);
  }

  @Test
  void belowAThousandDevicesNoSiteFloodsAndTheManifestSaysSo() {
    TestRuns.once(
        SimulationParams.defaults().withSize(600, 1),
        run -> {
          assertThat(run.data().manifest().path("flooding").path("enabled").asBoolean()).isFalse();
          assertThat(run.data().manifest().path("flooding").path("reason").asText())
              .contains("no site floods");
          assertThat(run.data().floodingTruth())
              .noneMatch(SiteDayTruth::flagged)
              .noneMatch(SiteDayTruth::floodingSite);
          assertThat(run.data().truth()).noneMatch(t -> t.scenario().equals("flooding_site"));
        });
  }

  @Test
  void atTwoThousandDevicesSitesFloodClearly() {
    TestRuns.once(
        SimulationParams.defaults().withSize(2000, 1).withSeed(8),
        run -> {
          LocalDate day = SimulationParams.DEFAULT_START_DATE;
          List<SiteDayTruth> flagged =
              run.data().floodingTruth().stream()
                  .filter(s -> s.day().equals(day) && s.flagged())
                  .toList();
          assertThat(flagged).hasSize(3).allMatch(s -> s.clicks() >= 3000);
        });
  }
}
