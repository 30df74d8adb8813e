package io.touchpoint.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.touchpoint.model.AttributionKind;
import io.touchpoint.model.Event;
import io.touchpoint.model.EventType;
import io.touchpoint.model.InAppEvent;
import io.touchpoint.model.Outcome;
import io.touchpoint.model.TouchType;
import io.touchpoint.model.Touchpoint;
import io.touchpoint.simulator.plan.Scenario;
import io.touchpoint.simulator.truth.TruthRecord;
import io.touchpoint.simulator.world.Portfolio;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Realism of a moderate run (20,000 devices x 3 days): rates in plausible ranges, every scenario
 * present.
 */
class DistributionTest {
  private static TestRuns.Run run;
  private static List<Event> events;
  private static List<TruthRecord> truth;

  @BeforeAll
  static void generate() {
    run = TestRuns.moderate();
    events = run.events();
    truth = run.data().truth();
  }

  @Test
  void everyScenarioAppears() {
    Set<String> seen = truth.stream().map(TruthRecord::scenario).collect(Collectors.toSet());
    assertThat(seen)
        .containsExactlyInAnyOrderElementsOf(
            Arrays.stream(Scenario.values()).map(Scenario::label).toList());
  }

  @Test
  void honestTrafficHasARealisticClickThroughRate() {
    long impressions = honestTouches().stream().filter(t -> !t.isClick()).count();
    long clicks = honestTouches().stream().filter(Touchpoint::isClick).count();
    double ctr = (double) clicks / impressions;
    assertThat(ctr).isBetween(0.005, 0.05);
  }

  @Test
  void clicksConvertAtARealisticRate() {
    long honestClicks = honestTouches().stream().filter(Touchpoint::isClick).count();
    long wonByClicks =
        truth.stream()
            .filter(
                t ->
                    t.kind() == AttributionKind.INSTALL
                        && t.outcome() == Outcome.ATTRIBUTED
                        && t.touchType() == TouchType.CLICK)
            .count();
    assertThat((double) wonByClicks / honestClicks).isBetween(0.01, 0.25);
  }

  @Test
  void mostAttributedInstallsComeWithinAnHourOfTheClickWithATailOfDays() {
    List<Long> ctits =
        truth.stream()
            .filter(
                t ->
                    t.outcome() == Outcome.ATTRIBUTED
                        && t.ctitSeconds() != null
                        && !t.scenario().contains("edge"))
            .map(TruthRecord::ctitSeconds)
            .toList();
    long withinHour = ctits.stream().filter(s -> s <= 3600).count();
    assertThat((double) withinHour / ctits.size()).isGreaterThan(0.5);
    assertThat(ctits.stream().filter(s -> s > 86_400).count()).isPositive();
  }

  @Test
  void organicShareOfNewInstallsIsPlausible() {
    List<TruthRecord> newInstalls =
        truth.stream().filter(t -> t.kind() == AttributionKind.INSTALL).toList();
    long organic = newInstalls.stream().filter(t -> t.outcome() == Outcome.ORGANIC).count();
    assertThat((double) organic / newInstalls.size()).isBetween(0.15, 0.6);
  }

  @Test
  void aQuarterOfIosDevicesHaveNoAdvertisingId() {
    Map<String, Boolean> iosDevices = new HashMap<>();
    for (Event e : events) {
      if (!e.eventType().isTouch() && "ios".equals(e.device().platform())) {
        iosDevices.put(e.device().vendorId(), e.device().advertisingId() != null);
      }
    }
    long withoutIdfa = iosDevices.values().stream().filter(has -> !has).count();
    assertThat((double) withoutIdfa / iosDevices.size()).isBetween(0.18, 0.32);
  }

  @Test
  void purchasesCarryRevenueInSeveralCurrencies() {
    Set<String> currencies =
        events.stream()
            .filter(e -> e instanceof InAppEvent i && i.revenue() != null)
            .map(e -> ((InAppEvent) e).currency())
            .collect(Collectors.toSet());
    assertThat(currencies).contains("USD", "EUR", "JPY", "BRL").hasSizeGreaterThan(5);
  }

  @Test
  void deliverySharesAreNearTheConfiguredOnes() {
    SimulationResult r = run.result();
    double total = r.totalRecords();
    long valid = r.eventsByType().values().stream().mapToLong(Long::longValue).sum();
    long malformed = r.malformedByReason().values().stream().mapToLong(Long::longValue).sum();
    assertThat(r.count("delivery.duplicates") / total)
        .isCloseTo(TestRuns.MODERATE.duplicateShare(), within(0.2));
    assertThat(malformed / total).isCloseTo(TestRuns.MODERATE.malformedShare(), within(0.2));
    assertThat((double) r.count("delivery.late") / valid)
        .isCloseTo(TestRuns.MODERATE.lateShare(), within(0.2));
    assertThat(valid + r.count("delivery.duplicates") + malformed).isEqualTo((long) total);
  }

  @Test
  void everyEventTypeIsPresent() {
    Set<EventType> types = events.stream().map(Event::eventType).collect(Collectors.toSet());
    assertThat(types).containsExactlyInAnyOrder(EventType.values());
  }

  private static org.assertj.core.data.Percentage within(double relative) {
    return org.assertj.core.data.Percentage.withPercentage(relative * 100);
  }

  /** Touches of honest UA and retargeting campaigns: no sprayed or injected clicks. */
  private static List<Touchpoint> honestTouches() {
    Set<String> dishonest = new HashSet<>();
    Portfolio.floodTargets().forEach(f -> dishonest.add(f.siteId()));
    Portfolio.injectionSites().forEach(s -> dishonest.add(s.siteId()));
    return events.stream()
        .filter(e -> e instanceof Touchpoint)
        .map(e -> (Touchpoint) e)
        .filter(t -> !dishonest.contains(t.siteId()))
        .toList();
  }
}
