package io.touchpoint.attribution;

import static io.touchpoint.attribution.Scenario.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.touchpoint.model.Attribution;
import io.touchpoint.model.AttributionKind;
import io.touchpoint.model.Device;
import io.touchpoint.model.EventType;
import io.touchpoint.model.FraudReason;
import io.touchpoint.model.InAppEvent;
import io.touchpoint.model.Install;
import io.touchpoint.model.Outcome;
import io.touchpoint.model.Touchpoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryAttributorTest {
  @Test
  void aSecondInstallOfTheSameDeviceIsAReinstall() {
    InMemoryAttributor run = new InMemoryAttributor(RulesConfig.defaults());
    Install first = installAt(T.minus(days(10)), device(), null, null);
    Install second = install(device());
    run.addAll(List.of(second, first, click("ua", days(10).plusHours(1))));
    List<Attribution> verdicts = run.run().attributions();
    assertThat(verdicts)
        .extracting(Attribution::candidateEventId, Attribution::kind)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(first.eventId(), AttributionKind.INSTALL),
            org.assertj.core.groups.Tuple.tuple(second.eventId(), AttributionKind.REINSTALL));
  }

  @Test
  void aSiteThatFloodsClicksLosesItsInstallsAndHonestSitesKeepTheirs() {
    InMemoryAttributor run = new InMemoryAttributor(RulesConfig.defaults());
    List<Object> won = new ArrayList<>();
    for (int i = 0; i < 2_500; i++) { // the flood: clicks on devices that never install
      Device d =
          new Device(
              String.format("f0000000-0000-4000-8000-%012d", i),
              null,
              "10.0.0.1",
              BROWSER_UA,
              "ios",
              "17",
              "US");
      run.add(withDevice(touch(EventType.CLICK, "flood", hours(2), null, false), d));
    }
    for (int i = 0; i < 3; i++) { // three organic installs the flood "wins" with old clicks
      Device d =
          new Device(
              String.format("a0000000-0000-4000-8000-%012d", i),
              "v" + i,
              "10.0.1." + i,
              APP_UA,
              "ios",
              "17",
              "US");
      Touchpoint floodClick = withDevice(touch(EventType.CLICK, "flood", days(4), null, false), d);
      floodClick =
          withDevice(
              floodClick,
              new Device(d.advertisingId(), null, d.ip(), BROWSER_UA, "ios", "17", "US"));
      Touchpoint honest =
          withDevice(
              touch(EventType.CLICK, "honest", minutes(20), null, false),
              new Device(
                  String.format("b0000000-0000-4000-8000-%012d", i),
                  null,
                  "10.0.2." + i,
                  BROWSER_UA,
                  "ios",
                  "17",
                  "US"));
      Install organicLooking = installAt(T, d, null, null);
      Install honestInstall =
          installAt(
              T,
              new Device(
                  honest.device().advertisingId(),
                  "w" + i,
                  "10.0.2." + i,
                  APP_UA,
                  "ios",
                  "17",
                  "US"),
              null,
              null);
      run.addAll(List.of(floodClick, honest, organicLooking, honestInstall));
      won.add(organicLooking.eventId());
    }
    InMemoryAttributor.Result result = run.run();
    assertThat(result.floodingSites())
        .extracting(InMemoryAttributor.SiteDay::siteId)
        .containsExactly("flood-site");
    for (Attribution a : result.attributions()) {
      if (won.contains(a.candidateEventId())) {
        assertThat(a.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(a.fraudReasons()).containsExactly(FraudReason.CLICK_FLOODING_SITE);
      } else {
        assertThat(a.outcome()).isEqualTo(Outcome.ATTRIBUTED);
        assertThat(a.mediaSource()).isEqualTo("honest");
      }
    }
  }

  @Test
  void inAppEventsAreCreditedThroughTheDevicesVerdicts() {
    InMemoryAttributor run = new InMemoryAttributor(RulesConfig.defaults());
    InAppEvent purchase =
        new InAppEvent(
            id(),
            EventType.IN_APP_EVENT,
            APP,
            T.plus(hours(3)),
            T.plus(hours(3)),
            device(),
            "purchase",
            1.5,
            "EUR");
    run.addAll(List.of(install(device()), click("alpha", hours(1)), purchase));
    assertThat(run.run().attributedEvents())
        .singleElement()
        .satisfies(e -> assertThat(e.mediaSource()).isEqualTo("alpha"));
  }

  @Test
  void aSecondCopyOfAnEventIdIsIgnored() {
    InMemoryAttributor run = new InMemoryAttributor(RulesConfig.defaults());
    Install install = install(device());
    Touchpoint click = click("alpha", hours(1));
    InAppEvent purchase =
        new InAppEvent(
            id(),
            EventType.IN_APP_EVENT,
            APP,
            T.plus(hours(3)),
            T.plus(hours(3)),
            device(),
            "purchase",
            1.5,
            "EUR");
    assertThat(run.add(install)).isTrue();
    run.addAll(List.of(click, purchase, install, click, purchase));
    InMemoryAttributor.Result result = run.run();
    assertThat(run.duplicatesIgnored()).isEqualTo(3);
    assertThat(result.attributions())
        .singleElement()
        .satisfies(a -> assertThat(a.mediaSource()).isEqualTo("alpha"));
    assertThat(result.attributedEvents()).hasSize(1);
  }

  @Test
  void aDuplicateInstallCountsOnceInTheFloodingTotals() {
    InMemoryAttributor run = new InMemoryAttributor(RulesConfig.defaults());
    Install install = install(device());
    run.addAll(List.of(click("alpha", hours(1)), install, install));
    assertThat(run.run().attributions()).hasSize(1);
  }

  @Test
  void aDeviceReinstallingEveryTwoMonthsIsANewInstallWhenTheFirstWindowRunsOut() {
    InMemoryAttributor run = new InMemoryAttributor(RulesConfig.defaults());
    Install first = installAt(T.minus(days(120)), device(), null, null);
    Install second = installAt(T.minus(days(60)), device(), null, null);
    Install third = install(device());
    run.addAll(List.of(third, second, first, click("ua", hours(1))));
    assertThat(run.run().attributions())
        .extracting(Attribution::candidateEventId, Attribution::kind, Attribution::mediaSource)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(first.eventId(), AttributionKind.INSTALL, null),
            org.assertj.core.groups.Tuple.tuple(second.eventId(), AttributionKind.REINSTALL, null),
            org.assertj.core.groups.Tuple.tuple(third.eventId(), AttributionKind.INSTALL, "ua"));
  }

  @Test
  void retentionCountsEachInstallsSessionsOnTheReportedDays() {
    InMemoryAttributor run = new InMemoryAttributor(RulesConfig.defaults());
    Install install = install(device());
    run.add(install);
    for (long day : new long[] {0, 1, 2, 7, 7, 31}) {
      Instant t = T.plus(days(day)).plus(hours(1));
      run.add(new io.touchpoint.model.Session(id(), EventType.SESSION, APP, t, t, device(), null));
    }
    InMemoryAttributor.Result result = run.run();
    assertThat(result.retainedDays()).containsOnlyKeys(install.eventId());
    assertThat(result.retainedDays().get(install.eventId())).containsExactly(1, 7);
  }
}
