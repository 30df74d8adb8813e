package io.touchpoint.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.touchpoint.simulator.truth.SiteDayTruth;
import io.touchpoint.simulator.truth.TruthRecord;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class TruthConsistencyTest {

  @Test
  void theModerateRunsTruthAgreesWithItsEvents() {
    assertThat(TruthInvariants.violations(TestRuns.moderate())).isEmpty();
  }

  @Test
  void theGuardNeverHadToRefuseATouchTheScenariosPlaced() {
    assertThat(TestRuns.moderate().result().count("guard.refused_planned")).isZero();
  }

  @Test
  void truthOfEveryCandidateIsWrittenOnce() {
    List<TruthRecord> truth = TestRuns.moderate().data().truth();
    assertThat(truth).extracting(TruthRecord::candidateEventId).doesNotHaveDuplicates();
  }

  @Property(tries = 6)
  void anySeedAndSizeGivesConsistentTruth(
      @ForAll @LongRange(min = 0, max = 1_000_000) long seed,
      @ForAll @IntRange(min = 200, max = 1500) int devices,
      @ForAll @IntRange(min = 1, max = 3) int days) {
    SimulationParams p = SimulationParams.defaults().withSize(devices, days).withSeed(seed);
    TestRuns.once(
        p,
        run -> {
          assertThat(TruthInvariants.violations(run)).isEmpty();
          assertThat(run.result().count("guard.refused_planned")).isZero();
          List<SiteDayTruth> siteDays = run.data().floodingTruth();
          assertThat(siteDays)
              .filteredOn(SiteDayTruth::flagged)
              .allMatch(SiteDayTruth::floodingSite);
        });
  }
}
