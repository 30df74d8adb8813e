package io.touchpoint.bench.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LagTrendTest {
  static final double SAMPLE_EVERY = 2;
  static final double PERIOD = 15;

  /**
   * The lag of a layer whose lake query commits every 15 s: it rises by the rate between commits
   * and falls back to the attribution query's small lag at each one, plus {@code growth} per second
   * when the layer does not keep up.
   */
  static List<LiveRun.Sample> sawTooth(int rate, double growth, double phase, double seconds) {
    List<LiveRun.Sample> samples = new ArrayList<>();
    for (double t = 0; t <= seconds; t += SAMPLE_EVERY) {
      double sinceCommit = (t + phase) % PERIOD;
      samples.add(new LiveRun.Sample(t, Math.round(500 + rate * sinceCommit + growth * t)));
    }
    return samples;
  }

  @Test
  void aLayerThatKeepsUpIsFlatThroughEachPeriodsLowWhereverTheWindowCutsTheTeeth() {
    for (double phase = 0; phase < PERIOD; phase += 1) {
      List<LiveRun.Sample> samples = sawTooth(2000, 0, phase, 75);
      assertThat(Math.abs(LagTrend.slope(samples, 15, PERIOD)))
          .as("phase %s", phase)
          .isLessThan(2000 * 0.02);
    }
  }

  @Test
  void aLineThroughEverySampleTiltsWithThePhaseWhichIsWhyTheLowsAreUsed() {
    double worst = 0;
    for (double phase = 0; phase < PERIOD; phase += 1) {
      worst = Math.max(worst, Math.abs(LagTrend.slope(sawTooth(2000, 0, phase, 75), 15, 0)));
    }
    assertThat(worst).isGreaterThan(2000 * 0.02);
  }

  @Test
  void aLayerThatFallsBehindShowsItsGrowthThroughTheLows() {
    double slope = LagTrend.slope(sawTooth(10_000, 3_000, 4, 75), 15, PERIOD);
    assertThat(slope).isBetween(2_000.0, 4_000.0);
  }

  @Test
  void withoutAPeriodEverySampleCounts() {
    List<LiveRun.Sample> samples = sawTooth(1000, 0, 0, 30);
    assertThat(LagTrend.lows(samples, 0)).isEqualTo(samples);
    assertThat(LagTrend.lows(samples, PERIOD)).hasSize(3);
  }
}
