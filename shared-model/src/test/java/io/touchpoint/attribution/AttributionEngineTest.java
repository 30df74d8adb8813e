package io.touchpoint.attribution;

import static io.touchpoint.attribution.Scenario.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.touchpoint.model.Attribution;
import io.touchpoint.model.AttributionKind;
import io.touchpoint.model.Device;
import io.touchpoint.model.EventType;
import io.touchpoint.model.FraudReason;
import io.touchpoint.model.Install;
import io.touchpoint.model.MatchType;
import io.touchpoint.model.Outcome;
import io.touchpoint.model.TouchType;
import io.touchpoint.model.Touchpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class AttributionEngineTest {
  private static final AppRules DEFAULTS = AppRules.defaults();

  static Attribution attribute(Install install, List<Touchpoint> touches) {
    return attribute(install, touches, null, DEFAULTS);
  }

  static Attribution attribute(
      Install install, List<Touchpoint> touches, Instant priorInstall, AppRules rules) {
    return AttributionEngine.attribute(Candidate.of(install), touches, priorInstall, rules);
  }

  static AppRules rules(String hocon) {
    return RulesConfig.fromConfig(
            ConfigFactory.parseString(hocon)
                .withFallback(ConfigFactory.parseResources("attribution.conf")),
            "test")
        .rulesFor(APP);
  }

  @Nested
  class MatchPriority {
    @Test
    void referrerClickBeatsANewerDeviceIdClick() {
      Touchpoint referred = withClickId(click("alpha", hours(5)), "ref-1");
      Touchpoint newer = click("beta", hours(1));
      Attribution a = attribute(installAt(T, device(), "ref-1", null), List.of(newer, referred));
      assertThat(a.mediaSource()).isEqualTo("alpha");
      assertThat(a.matchType()).isEqualTo(MatchType.REFERRER);
    }

    @Test
    void deviceIdClickBeatsANewerProbabilisticClick() {
      Touchpoint byId = click("alpha", hours(6));
      Touchpoint probabilistic = anonymousClick("beta", hours(1));
      Attribution a = attribute(install(device()), List.of(probabilistic, byId));
      assertThat(a.mediaSource()).isEqualTo("alpha");
      assertThat(a.matchType()).isEqualTo(MatchType.DEVICE_ID);
    }

    @Test
    void deterministicImpressionBeatsProbabilisticClick() {
      Attribution a =
          attribute(
              install(device()),
              List.of(anonymousClick("beta", hours(1)), impression("alpha", hours(2))));
      assertThat(a.mediaSource()).isEqualTo("alpha");
      assertThat(a.touchType()).isEqualTo(TouchType.IMPRESSION);
      assertThat(a.matchType()).isEqualTo(MatchType.DEVICE_ID);
    }

    @Test
    void referrerNeedsAClickNotAnImpression() {
      Touchpoint view =
          withDevice(
              withClickId(impression("alpha", hours(1)), "ref-1"),
              new Device(null, null, "198.51.100.1", BROWSER_UA, "ios", "17.2", "US"));
      Attribution a = attribute(installAt(T, device(), "ref-1", null), List.of(view));
      assertThat(a.outcome()).isEqualTo(Outcome.ORGANIC);
    }

    @Test
    void touchesOfAnotherAppNeverMatch() {
      Touchpoint other = click("alpha", hours(1));
      Touchpoint otherApp =
          new Touchpoint(
              other.eventId(),
              other.eventType(),
              "com.other.app",
              other.eventTime(),
              other.receivedAt(),
              other.device(),
              "alpha",
              "c",
              "c",
              "a",
              "a",
              "s",
              "k",
              false,
              null,
              null,
              null);
      assertThat(attribute(install(device()), List.of(otherApp)).outcome())
          .isEqualTo(Outcome.ORGANIC);
    }
  }

  @Nested
  class LastTouch {
    @Test
    void anOlderClickBeatsANewerImpression() {
      Attribution a =
          attribute(
              install(device()), List.of(impression("view", minutes(5)), click("tap", days(3))));
      assertThat(a.mediaSource()).isEqualTo("tap");
      assertThat(a.touchType()).isEqualTo(TouchType.CLICK);
    }

    @Test
    void theLatestClickWins() {
      Touchpoint old = click("alpha", days(2));
      Touchpoint latest = click("beta", hours(2));
      Attribution a = attribute(install(device()), List.of(latest, old));
      assertThat(a.mediaSource()).isEqualTo("beta");
      assertThat(a.touchEventId()).isEqualTo(latest.eventId());
      assertThat(a.ctitSeconds()).isEqualTo(hours(2).toSeconds());
    }

    @Test
    void clicksAtTheSameInstantAreBrokenByTheGreatestEventId() {
      Touchpoint a1 = click("alpha", hours(1));
      Touchpoint b1 = click("beta", hours(1));
      String expected = a1.eventId().compareTo(b1.eventId()) > 0 ? "alpha" : "beta";
      assertThat(attribute(install(device()), List.of(a1, b1)).mediaSource()).isEqualTo(expected);
      assertThat(attribute(install(device()), List.of(b1, a1)).mediaSource()).isEqualTo(expected);
    }

    @Test
    void aTouchAfterTheInstallNeverCounts() {
      Touchpoint after = click("late", Duration.ofMinutes(-5));
      Touchpoint before = click("early", hours(3));
      assertThat(attribute(install(device()), List.of(after, before)).mediaSource())
          .isEqualTo("early");
      assertThat(attribute(install(device()), List.of(after)).outcome()).isEqualTo(Outcome.ORGANIC);
    }

    @Test
    void aTouchAtTheInstantOfTheInstallDoesNotCount() {
      assertThat(attribute(install(device()), List.of(click("same", Duration.ZERO))).outcome())
          .isEqualTo(Outcome.ORGANIC);
    }

    @Test
    void noQualifyingTouchIsOrganic() {
      Attribution a = attribute(install(device()), List.of());
      assertThat(a.outcome()).isEqualTo(Outcome.ORGANIC);
      assertThat(a.kind()).isEqualTo(AttributionKind.INSTALL);
      assertThat(a.matchType()).isEqualTo(MatchType.NONE);
      assertThat(a.touchType()).isEqualTo(TouchType.NONE);
      assertThat(a.mediaSource()).isNull();
    }
  }

  @Nested
  class Windows {
    @Test
    void clickLookbackIsSevenDaysInclusive() {
      assertThat(attribute(install(device()), List.of(click("edge", days(7)))).outcome())
          .isEqualTo(Outcome.ATTRIBUTED);
      assertThat(
              attribute(install(device()), List.of(click("past", days(7).plusMillis(1)))).outcome())
          .isEqualTo(Outcome.ORGANIC);
    }

    @Test
    void viewThroughIsTwentyFourHoursInclusive() {
      assertThat(attribute(install(device()), List.of(impression("edge", hours(24)))).outcome())
          .isEqualTo(Outcome.ATTRIBUTED);
      assertThat(
              attribute(install(device()), List.of(impression("past", hours(24).plusSeconds(1))))
                  .outcome())
          .isEqualTo(Outcome.ORGANIC);
    }

    @Test
    void theAppCanShortenItsClickLookback() {
      AppRules oneDay = rules("touchpoint.attribution.apps.\"" + APP + "\".click-lookback = 1d");
      assertThat(attribute(install(device()), List.of(click("a", days(2))), null, oneDay).outcome())
          .isEqualTo(Outcome.ORGANIC);
      assertThat(attribute(install(device()), List.of(click("a", days(1))), null, oneDay).outcome())
          .isEqualTo(Outcome.ATTRIBUTED);
    }

    /** The defaults, and a media source "strict" with windows of its own. */
    private static AppRules strictSourceRules() {
      return rules(
          "touchpoint.attribution.apps.\""
              + APP
              + "\".media-sources.strict "
              + "{ click-lookback = 2h, view-through-lookback = 1h }");
    }

    @Test
    void aMediaSourceCanHaveItsOwnWindows() {
      AppRules r = strictSourceRules();
      Touchpoint strictClick = click("strict", hours(3));
      Touchpoint otherClick = click("other", days(3));
      Attribution a = attribute(install(device()), List.of(strictClick, otherClick), null, r);
      assertThat(a.mediaSource()).isEqualTo("other");
      assertThat(
              attribute(install(device()), List.of(impression("strict", minutes(90))), null, r)
                  .outcome())
          .isEqualTo(Outcome.ORGANIC);
    }

    /**
     * The batch skips, unread, a touch older than {@link AppRules#lookbackFor} of its kind and
     * source: no match of any kind may count it.
     */
    @Test
    void noTouchCountsWhenOlderThanItsKindsLookback() {
      AppRules r = strictSourceRules();
      for (String source : List.of("strict", "other")) {
        Duration clicks = r.lookbackFor(true, source);
        Duration views = r.lookbackFor(false, source);
        assertThat(clicks).isEqualTo(r.clickLookbackFor(source));
        assertThat(views).isEqualTo(r.viewThroughLookbackFor(source));
        Duration past = Duration.ofMillis(1);
        List<Attribution> inside =
            List.of(
                attribute(install(device()), List.of(click(source, clicks)), null, r),
                attribute(install(device()), List.of(impression(source, views)), null, r),
                attribute(
                    installAt(T, device(), "ref-9", null),
                    List.of(withClickId(click(source, clicks), "ref-9")),
                    null,
                    r));
        assertThat(inside).extracting(Attribution::outcome).containsOnly(Outcome.ATTRIBUTED);
        List<Attribution> older =
            List.of(
                attribute(install(device()), List.of(click(source, clicks.plus(past))), null, r),
                attribute(
                    install(device()), List.of(impression(source, views.plus(past))), null, r),
                attribute(
                    installAt(T, device(), "ref-9", null),
                    List.of(withClickId(click(source, clicks.plus(past)), "ref-9")),
                    null,
                    r),
                attribute(
                    install(deviceWithoutAdId()),
                    List.of(anonymousClick(source, clicks.plus(past))),
                    null,
                    r));
        assertThat(older).extracting(Attribution::outcome).containsOnly(Outcome.ORGANIC);
      }
    }

    @Test
    void probabilisticMatchesOnlyInsideItsWindow() {
      assertThat(
              attribute(install(deviceWithoutAdId()), List.of(anonymousClick("p", hours(24))))
                  .matchType())
          .isEqualTo(MatchType.PROBABILISTIC);
      assertThat(
              attribute(
                      install(deviceWithoutAdId()),
                      List.of(anonymousClick("p", hours(24).plusSeconds(1))))
                  .outcome())
          .isEqualTo(Outcome.ORGANIC);
    }

    @Test
    void probabilisticWindowNeverExceedsTheClickLookback() {
      AppRules r = rules("touchpoint.attribution.apps.\"" + APP + "\".click-lookback = 2h");
      assertThat(
              attribute(
                      install(deviceWithoutAdId()), List.of(anonymousClick("p", hours(3))), null, r)
                  .outcome())
          .isEqualTo(Outcome.ORGANIC);
    }
  }

  @Nested
  class Probabilistic {
    @Test
    void needsTheSameIpAndUserAgentFamily() {
      Touchpoint otherIp =
          withDevice(
              anonymousClick("p", hours(1)),
              new Device(null, null, "198.51.100.99", BROWSER_UA, "ios", "17.2", "US"));
      Touchpoint otherModel =
          withDevice(
              anonymousClick("p", hours(1)),
              new Device(
                  null,
                  null,
                  IP,
                  "Mozilla/5.0 (Linux; Android 14; SM-G991B) AppleWebKit/537.36 Chrome/120 Mobile",
                  "android",
                  "14",
                  "US"));
      assertThat(attribute(install(deviceWithoutAdId()), List.of(otherIp)).outcome())
          .isEqualTo(Outcome.ORGANIC);
      assertThat(attribute(install(deviceWithoutAdId()), List.of(otherModel)).outcome())
          .isEqualTo(Outcome.ORGANIC);
    }

    @Test
    void canBeSwitchedOffPerApp() {
      AppRules off =
          rules("touchpoint.attribution.apps.\"" + APP + "\".probabilistic.enabled = false");
      assertThat(
              attribute(
                      install(deviceWithoutAdId()),
                      List.of(anonymousClick("p", hours(1))),
                      null,
                      off)
                  .outcome())
          .isEqualTo(Outcome.ORGANIC);
    }

    @Test
    void impressionsNeverMatchProbabilistically() {
      Touchpoint view = touch(EventType.IMPRESSION, "p", hours(1), null, false);
      assertThat(attribute(install(deviceWithoutAdId()), List.of(view)).outcome())
          .isEqualTo(Outcome.ORGANIC);
    }

    @Test
    void theAllZeroAdvertisingIdIdentifiesNobody() {
      Device limited =
          new Device(Device.ZERO_ADVERTISING_ID, "vendor-3", IP, APP_UA, "ios", "17.2", "US");
      Touchpoint zeroClick =
          touch(EventType.CLICK, "z", hours(1), Device.ZERO_ADVERTISING_ID, false);
      Attribution a = attribute(install(limited), List.of(zeroClick));
      assertThat(a.matchType())
          .as("matched by IP + UA, not by the shared zero id")
          .isEqualTo(MatchType.PROBABILISTIC);
      assertThat(a.deviceKey()).isEqualTo("vid:vendor-3");
    }

    @Test
    void aClickWithAnAdvertisingIdOfAnotherDeviceIsNotProbabilistic() {
      Touchpoint foreign =
          touch(EventType.CLICK, "p", hours(1), "bbbbbbbb-0000-4000-8000-000000000002", false);
      assertThat(attribute(install(device()), List.of(foreign)).outcome())
          .isEqualTo(Outcome.ORGANIC);
    }
  }

  @Nested
  class Contributors {
    @Test
    void upToThreeOtherSourcesBestFirstOnePerSource() {
      List<Touchpoint> touches =
          List.of(
              click("winner", hours(1)),
              click("winner", hours(2)),
              click("b", hours(3)),
              click("b", hours(9)),
              impression("c", hours(2)),
              click("d", days(2)),
              click("e", days(3)));
      Attribution a = attribute(install(device()), touches);
      assertThat(a.mediaSource()).isEqualTo("winner");
      assertThat(a.contributors()).extracting(c -> c.mediaSource()).containsExactly("b", "d", "e");
      assertThat(a.contributors().get(0).touchTime()).isEqualTo(T.minus(hours(3)));
    }

    @Test
    void maxContributorsZeroKeepsNone() {
      AppRules none = rules("touchpoint.attribution.defaults.max-contributors = 0");
      Attribution a =
          attribute(
              install(device()), List.of(click("a", hours(1)), click("b", hours(2))), null, none);
      assertThat(a.contributors()).isEmpty();
    }

    @Test
    void touchesOutsideTheirWindowAreNotContributors() {
      Attribution a =
          attribute(install(device()), List.of(click("a", hours(1)), impression("b", hours(30))));
      assertThat(a.contributors()).isEmpty();
    }
  }

  @Nested
  class Fraud {
    @Test
    void aClickYoungerThanTheCtitThresholdIsInjected() {
      Attribution a =
          attribute(
              install(device()), List.of(click("injector", seconds(9)), click("honest", hours(2))));
      assertThat(a.outcome()).isEqualTo(Outcome.REJECTED);
      assertThat(a.fraudReasons()).containsExactly(FraudReason.CTIT_BELOW_THRESHOLD);
      assertThat(a.mediaSource())
          .as("the offending source is kept for fraud reports")
          .isEqualTo("injector");
      assertThat(a.ctitSeconds()).isEqualTo(9);
    }

    @Test
    void aClickExactlyAtTheThresholdPasses() {
      assertThat(attribute(install(device()), List.of(click("a", seconds(10)))).outcome())
          .isEqualTo(Outcome.ATTRIBUTED);
    }

    @Test
    void theThresholdIsConfigurable() {
      AppRules r = rules("touchpoint.attribution.apps.\"" + APP + "\".fraud.ctit-min = 30s");
      assertThat(attribute(install(device()), List.of(click("a", seconds(20))), null, r).outcome())
          .isEqualTo(Outcome.REJECTED);
    }

    @Test
    void aClickBetweenInstallBeginAndFirstOpenIsInjected() {
      Install install = installAt(T, device(), null, T.minus(minutes(3)));
      Attribution a = attribute(install, List.of(click("injector", minutes(1))));
      assertThat(a.outcome()).isEqualTo(Outcome.REJECTED);
      assertThat(a.fraudReasons()).containsExactly(FraudReason.CLICK_AFTER_INSTALL_BEGIN);
    }

    @Test
    void aClickBeforeInstallBeginIsHonest() {
      Install install = installAt(T, device(), null, T.minus(minutes(3)));
      assertThat(attribute(install, List.of(click("a", minutes(4)))).outcome())
          .isEqualTo(Outcome.ATTRIBUTED);
    }

    @Test
    void bothReasonsAreListedWhenBothHold() {
      Install install = installAt(T, device(), null, T.minus(minutes(3)));
      assertThat(attribute(install, List.of(click("x", seconds(2)))).fraudReasons())
          .containsExactly(FraudReason.CTIT_BELOW_THRESHOLD, FraudReason.CLICK_AFTER_INSTALL_BEGIN);
    }

    @Test
    void theInstallBeginCheckCanBeSwitchedOff() {
      AppRules r =
          rules("touchpoint.attribution.apps.\"" + APP + "\".fraud.install-begin-check = false");
      Install install = installAt(T, device(), null, T.minus(minutes(3)));
      assertThat(attribute(install, List.of(click("a", minutes(1))), null, r).outcome())
          .isEqualTo(Outcome.ATTRIBUTED);
    }

    @Test
    void impressionsAreNeverCtitRejected() {
      Attribution a = attribute(install(device()), List.of(impression("v", seconds(2))));
      assertThat(a.outcome()).isEqualTo(Outcome.ATTRIBUTED);
      assertThat(a.ctitSeconds()).isNull();
    }
  }

  @Nested
  class ReinstallsAndReEngagement {
    @Test
    void aReinstallInsideNinetyDaysWithoutRetargetingIsNotCredited() {
      Attribution a =
          attribute(install(device()), List.of(click("ua", hours(1))), T.minus(days(30)), DEFAULTS);
      assertThat(a.kind()).isEqualTo(AttributionKind.REINSTALL);
      assertThat(a.outcome()).isEqualTo(Outcome.NOT_CREDITED);
      assertThat(a.mediaSource()).isNull();
    }

    @Test
    void aRetargetingClickReAttributesAReinstallInsideTheWindow() {
      Attribution a =
          attribute(
              install(device()),
              List.of(click("ua", hours(1)), retargetingClick("rt", hours(2))),
              T.minus(days(90)),
              DEFAULTS);
      assertThat(a.kind()).isEqualTo(AttributionKind.RE_ATTRIBUTION);
      assertThat(a.outcome()).isEqualTo(Outcome.ATTRIBUTED);
      assertThat(a.mediaSource()).isEqualTo("rt");
      assertThat(a.reEngagement()).isTrue();
    }

    @Test
    void aReinstallAfterTheWindowIsANewInstall() {
      Attribution a =
          attribute(
              install(device()),
              List.of(click("ua", hours(1)), retargetingClick("rt", minutes(30))),
              T.minus(days(90)).minusSeconds(1),
              DEFAULTS);
      assertThat(a.kind()).isEqualTo(AttributionKind.INSTALL);
      assertThat(a.mediaSource()).as("new installs count only acquisition touches").isEqualTo("ua");
      assertThat(a.reEngagement()).isFalse();
    }

    @Test
    void aReinstallCanBeRejectedAsInjected() {
      Attribution a =
          attribute(
              install(device()),
              List.of(retargetingClick("rt", seconds(3))),
              T.minus(days(5)),
              DEFAULTS);
      assertThat(a.kind()).isEqualTo(AttributionKind.RE_ATTRIBUTION);
      assertThat(a.outcome()).isEqualTo(Outcome.REJECTED);
    }

    @Test
    void aLinkedSessionIsCreditedToTheRetargetingClickItCameFrom() {
      Touchpoint rt = withClickId(retargetingClick("rt", minutes(2)), "deep-1");
      Attribution a =
          AttributionEngine.attribute(
              Candidate.of(linkedSession(T, device(), "deep-1")),
              List.of(rt, click("ua", minutes(1))),
              null,
              DEFAULTS);
      assertThat(a.kind()).isEqualTo(AttributionKind.RE_ENGAGEMENT);
      assertThat(a.outcome()).isEqualTo(Outcome.ATTRIBUTED);
      assertThat(a.matchType()).isEqualTo(MatchType.REFERRER);
      assertThat(a.reEngagement()).isTrue();
      assertThat(a.ctitSeconds()).isNull();
    }

    @Test
    void aReEngagementIsNeverRejectedForCtit() {
      Touchpoint rt = withClickId(retargetingClick("rt", seconds(2)), "deep-1");
      Attribution a =
          AttributionEngine.attribute(
              Candidate.of(linkedSession(T, device(), "deep-1")), List.of(rt), null, DEFAULTS);
      assertThat(a.outcome()).isEqualTo(Outcome.ATTRIBUTED);
    }

    @Test
    void aLinkedSessionWithoutAQualifyingRetargetingTouchIsNotCredited() {
      Touchpoint stale = withClickId(retargetingClick("rt", days(8)), "deep-1");
      Attribution a =
          AttributionEngine.attribute(
              Candidate.of(linkedSession(T, device(), "deep-1")), List.of(stale), null, DEFAULTS);
      assertThat(a.kind()).isEqualTo(AttributionKind.RE_ENGAGEMENT);
      assertThat(a.outcome()).isEqualTo(Outcome.NOT_CREDITED);
    }
  }

  @Test
  void theAttributionIdIsDerivedFromTheCandidate() {
    Install install = install(device());
    Attribution first = attribute(install, List.of(click("a", hours(1))));
    Attribution replay = attribute(install, List.of(click("b", hours(2))));
    assertThat(first.attributionId())
        .isEqualTo(replay.attributionId())
        .isEqualTo(AttributionIds.attributionId(install.eventId()));
    assertThat(AttributionIds.attributionId("other")).isNotEqualTo(first.attributionId());
  }
}
