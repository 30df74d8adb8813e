package io.touchpoint.attribution;

import static io.touchpoint.attribution.Scenario.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.touchpoint.model.AttributedEvent;
import io.touchpoint.model.Attribution;
import io.touchpoint.model.EventType;
import io.touchpoint.model.InAppEvent;
import io.touchpoint.model.Outcome;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventCreditingTest {
  private static final AppRules RULES = AppRules.defaults();

  private static InAppEvent purchaseAt(Instant time) {
    return new InAppEvent(
        id(), EventType.IN_APP_EVENT, APP, time, time, device(), "purchase", 4.99, "USD");
  }

  private static Attribution installVerdict(String source) {
    return AttributionEngine.attribute(
        Candidate.of(install(device())), List.of(click(source, hours(1))), null, RULES);
  }

  private static Attribution reEngagementAt(Instant time, String source) {
    var click =
        withClickId(
            touch(
                EventType.CLICK,
                source,
                java.time.Duration.between(time.minusSeconds(60), T),
                AD_ID,
                true),
            "dl");
    return AttributionEngine.attribute(
        Candidate.of(linkedSession(time, device(), "dl")), List.of(click), null, RULES);
  }

  @Test
  void anEventBelongsToItsInstallsSourceForLife() {
    AttributedEvent e =
        EventCrediting.credit(
            purchaseAt(T.plus(days(400))), List.of(installVerdict("alpha")), RULES);
    assertThat(e.mediaSource()).isEqualTo("alpha");
    assertThat(e.installOutcome()).isEqualTo(Outcome.ATTRIBUTED);
    assertThat(e.revenue()).isEqualTo(4.99);
    assertThat(e.reEngagementMediaSource()).isNull();
  }

  @Test
  void anEventBeforeAnyInstallHasNoSource() {
    AttributedEvent e =
        EventCrediting.credit(
            purchaseAt(T.minusSeconds(1)), List.of(installVerdict("alpha")), RULES);
    assertThat(e.installAttributionId()).isNull();
    assertThat(e.mediaSource()).isNull();
  }

  @Test
  void aRejectedInstallCreditsNobody() {
    Attribution rejected =
        AttributionEngine.attribute(
            Candidate.of(install(device())), List.of(click("inj", seconds(2))), null, RULES);
    AttributedEvent e =
        EventCrediting.credit(purchaseAt(T.plus(hours(1))), List.of(rejected), RULES);
    assertThat(e.installOutcome()).isEqualTo(Outcome.REJECTED);
    assertThat(e.mediaSource()).isNull();
  }

  @Test
  void aReEngagementSharesCreditInsideItsWindowOnly() {
    Attribution install = installVerdict("alpha");
    Attribution reEngaged = reEngagementAt(T.plus(days(40)), "rt");
    List<Attribution> device = List.of(reEngaged, install);
    AttributedEvent inside = EventCrediting.credit(purchaseAt(T.plus(days(70))), device, RULES);
    AttributedEvent outside =
        EventCrediting.credit(purchaseAt(T.plus(days(70)).plusSeconds(1)), device, RULES);
    assertThat(inside.mediaSource()).isEqualTo("alpha");
    assertThat(inside.reEngagementMediaSource()).isEqualTo("rt");
    assertThat(outside.mediaSource()).isEqualTo("alpha");
    assertThat(outside.reEngagementMediaSource()).isNull();
  }

  @Test
  void afterANotCreditedReinstallEventsKeepTheOriginalSourceByDefaultOrCountAsOrganicPerApp() {
    Attribution install = installVerdict("alpha");
    Attribution reinstall =
        AttributionEngine.attribute(
            Candidate.of(installAt(T.plus(days(30)), device(), null, null)),
            List.of(click("beta", days(30).minusHours(1))),
            T,
            RULES);
    assertThat(reinstall.kind()).isEqualTo(io.touchpoint.model.AttributionKind.REINSTALL);
    List<Attribution> device = List.of(reinstall, install);
    AppRules organic = ReAttributionWindowTest.rules("events-after-reinstall = organic");

    AttributedEvent before = EventCrediting.credit(purchaseAt(T.plus(days(29))), device, organic);
    AttributedEvent kept = EventCrediting.credit(purchaseAt(T.plus(days(31))), device, RULES);
    AttributedEvent organicAfter =
        EventCrediting.credit(purchaseAt(T.plus(days(31))), device, organic);

    assertThat(before.mediaSource())
        .as("before the reinstall: the install's source")
        .isEqualTo("alpha");
    assertThat(kept.mediaSource()).isEqualTo("alpha");
    assertThat(kept.installAttributionId()).isEqualTo(install.attributionId());
    assertThat(organicAfter.mediaSource()).isNull();
    assertThat(organicAfter.installAttributionId()).isEqualTo(reinstall.attributionId());
    assertThat(organicAfter.installOutcome()).isEqualTo(Outcome.NOT_CREDITED);
  }

  @Test
  void aReAttributionTakesTheEventsUnderEitherOption() {
    Attribution install = installVerdict("alpha");
    Attribution reAttributed =
        AttributionEngine.attribute(
            Candidate.of(installAt(T.plus(days(30)), device(), null, null)),
            List.of(
                touch(
                    EventType.CLICK,
                    "rt",
                    java.time.Duration.between(T.plus(days(30)).minus(hours(1)), T),
                    AD_ID,
                    true)),
            T,
            RULES);
    assertThat(reAttributed.kind()).isEqualTo(io.touchpoint.model.AttributionKind.RE_ATTRIBUTION);
    for (AppRules r :
        List.of(RULES, ReAttributionWindowTest.rules("events-after-reinstall = organic"))) {
      assertThat(
              EventCrediting.credit(purchaseAt(T.plus(days(31))), List.of(install, reAttributed), r)
                  .mediaSource())
          .isEqualTo("rt");
    }
  }
}
