package io.touchpoint.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.touchpoint.model.Attribution;
import io.touchpoint.model.FraudReason;
import io.touchpoint.model.Outcome;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClickFloodingDetectorTest {
  private static final FloodingRules RULES = RulesConfig.defaults().flooding();
  private static final LocalDate DAY = LocalDate.of(2026, 3, 10);

  private static SiteDayStats site(long clicks, long installs, long withinHour) {
    return new SiteDayStats("app", "site", DAY, clicks, installs, withinHour);
  }

  @Test
  void manyClicksFewInstallsAndAFlatCtitIsFlooding() {
    assertThat(ClickFloodingDetector.isFlooding(site(10_000, 12, 2), RULES)).isTrue();
  }

  @Test
  void eachConditionAloneClearsTheSite() {
    assertThat(ClickFloodingDetector.isFlooding(site(1_999, 1, 0), RULES))
        .as("too few clicks to judge")
        .isFalse();
    assertThat(ClickFloodingDetector.isFlooding(site(10_000, 300, 50), RULES))
        .as("converts well")
        .isFalse();
    assertThat(ClickFloodingDetector.isFlooding(site(10_000, 12, 9), RULES))
        .as("installs bunched early")
        .isFalse();
  }

  @Test
  void thresholdsAreInclusive() {
    assertThat(ClickFloodingDetector.isFlooding(site(2_000, 4, 1), RULES))
        .as("0.002 and 0.25")
        .isTrue();
    assertThat(ClickFloodingDetector.isFlooding(site(2_000, 5, 0), RULES))
        .as("0.0025 converts too well")
        .isFalse();
    assertThat(ClickFloodingDetector.isFlooding(site(10_000, 20, 7), RULES))
        .as("share 0.35")
        .isTrue();
  }

  @Test
  void rejectingAddsTheReasonOnceAndKeepsTheSource() {
    Attribution ok =
        AttributionEngine.attribute(
            Candidate.of(Scenario.install(Scenario.device())),
            List.of(Scenario.click("flood", Scenario.days(2))),
            null,
            AppRules.defaults());
    Attribution rejected = ClickFloodingDetector.reject(ok);
    assertThat(rejected.outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(rejected.fraudReasons()).containsExactly(FraudReason.CLICK_FLOODING_SITE);
    assertThat(rejected.mediaSource()).isEqualTo("flood");
    assertThat(ClickFloodingDetector.reject(rejected)).isEqualTo(rejected);
    assertThat(ClickFloodingDetector.countsForSite(ok)).isTrue();
    assertThat(ClickFloodingDetector.withinFirstHour(ok)).isFalse();
  }
}
