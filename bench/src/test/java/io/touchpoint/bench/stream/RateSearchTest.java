package io.touchpoint.bench.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

class RateSearchTest {
  /** Runs the search against a job that sustains exactly the rates {@code holds} accepts. */
  static List<Integer> tried(RateSearch search, IntPredicate holds) {
    List<Integer> tried = new ArrayList<>();
    Integer rate;
    while ((rate = search.next()) != null) {
      tried.add(rate);
      search.record(rate, holds.test(rate));
    }
    return tried;
  }

  @Test
  void doublesWhileSustainedThenBisects() {
    RateSearch s = new RateSearch(List.of(), 4, 1000);
    assertThat(tried(s, r -> r <= 2500)).containsExactly(800, 1600, 3200, 2400);
    assertThat(s.best()).isEqualTo(2400);
  }

  @Test
  void halvesWhileNothingHolds() {
    RateSearch s = new RateSearch(List.of(), 3, 10_000);
    assertThat(tried(s, r -> r <= 2500)).containsExactly(8000, 4000, 2000);
    assertThat(s.best()).isEqualTo(2000);
  }

  @Test
  void givenRatesAreTriedInOrderAndNoneHeldMeansZero() {
    RateSearch s = new RateSearch(List.of(5000, 3000), 9, 100);
    assertThat(tried(s, r -> false)).containsExactly(5000, 3000);
    assertThat(s.best()).isZero();
  }

  @Test
  void stopsOnceBracketedAsCloselyAsTheRounding() {
    RateSearch s = new RateSearch(List.of(), 10, 1000);
    List<Integer> t = tried(s, r -> r <= 1000);
    assertThat(t).startsWith(800, 1600).hasSizeLessThan(10);
    assertThat(s.best()).isEqualTo(1000);
  }
}
