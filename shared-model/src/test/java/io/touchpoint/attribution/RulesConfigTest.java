package io.touchpoint.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RulesConfigTest {
  private static RulesConfig parse(String hocon) {
    return RulesConfig.fromConfig(
        ConfigFactory.parseString(hocon)
            .withFallback(ConfigFactory.parseResources("attribution.conf")),
        "test.conf");
  }

  @Test
  void defaultsFollowTheVendorsPublishedDefaults() {
    AppRules r = AppRules.defaults();
    assertThat(r.clickLookback()).isEqualTo(Duration.ofDays(7));
    assertThat(r.viewThroughLookback()).isEqualTo(Duration.ofHours(24));
    assertThat(r.probabilisticLookback()).isEqualTo(Duration.ofHours(24));
    assertThat(r.reAttributionWindow()).isEqualTo(Duration.ofDays(90));
    assertThat(r.maxContributors()).isEqualTo(3);
    assertThat(r.ctitMinimum()).isEqualTo(Duration.ofSeconds(10));
    assertThat(r.timeZone()).isEqualTo(ZoneId.of("UTC"));
  }

  @Test
  void anAppOverridesOnlyWhatItSets() {
    RulesConfig c =
        parse(
            "touchpoint.attribution.apps.\"com.a\" { click-lookback = 3d, time-zone = \"Asia/Tokyo\" }");
    AppRules a = c.rulesFor("com.a");
    assertThat(a.clickLookback()).isEqualTo(Duration.ofDays(3));
    assertThat(a.timeZone()).isEqualTo(ZoneId.of("Asia/Tokyo"));
    assertThat(a.viewThroughLookback()).isEqualTo(Duration.ofHours(24));
    assertThat(c.rulesFor("com.unknown").clickLookback()).isEqualTo(Duration.ofDays(7));
  }

  @Test
  void aMediaSourceOverrideInheritsTheAppsOtherWindow() {
    AppRules a =
        parse(
                "touchpoint.attribution.apps.\"com.a\" { view-through-lookback = 12h, "
                    + "media-sources.\"net.x\".click-lookback = 1d }")
            .rulesFor("com.a");
    assertThat(a.clickLookbackFor("net.x")).isEqualTo(Duration.ofDays(1));
    assertThat(a.viewThroughLookbackFor("net.x")).isEqualTo(Duration.ofHours(12));
    assertThat(a.clickLookbackFor("net.y")).isEqualTo(Duration.ofDays(7));
  }

  @Test
  void theLongestLookbackCoversEveryAppAndSource() {
    RulesConfig c =
        parse("touchpoint.attribution.apps.\"com.a\".media-sources.wide.click-lookback = 28d");
    assertThat(c.longestLookback()).isEqualTo(Duration.ofDays(28));
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    assertThatThrownBy(
            () ->
                parse(
                    """
        touchpoint.attribution.defaults.click-lookback = 45d
        touchpoint.attribution.apps."com.a" {
          view-through-lookback = 2d
          max-contributors = 7
          time-zone = "Mars/Olympus"
          fraud.ctit-min = banana
          media-sources.x { click-lookback = 10m, cost = 1 }
        }
        touchpoint.attribution.flooding.max-conversion-rate = 2
        """))
        .isInstanceOf(RulesConfigException.class)
        .satisfies(e -> assertThat(((RulesConfigException) e).problems()).hasSize(8))
        .hasMessageContaining("defaults.click-lookback = 45d is outside 1h..30d")
        .hasMessageContaining("apps.\"com.a\".view-through-lookback = 2d is outside 1h..24h")
        .hasMessageContaining("max-contributors = 7 is outside 0..3")
        .hasMessageContaining("time-zone")
        .hasMessageContaining("fraud.ctit-min")
        .hasMessageContaining("media-sources.\"x\".click-lookback = 600s is outside 1h..30d")
        .hasMessageContaining("media-sources.\"x\".cost is not a per-media-source setting")
        .hasMessageContaining("flooding.max-conversion-rate = 2.0 is outside 0..1")
        .hasMessageContaining("test.conf");
  }

  @Test
  void aFileOverlaysTheDefaults(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("rules.conf");
    Files.writeString(file, "touchpoint.attribution.apps.\"com.b\".re-attribution-window = 60d\n");
    assertThat(RulesConfig.load(file).rulesFor("com.b").reAttributionWindow())
        .isEqualTo(Duration.ofDays(60));
  }

  @Test
  void aMissingFileIsAClearError(@TempDir Path dir) {
    assertThatThrownBy(() -> RulesConfig.load(dir.resolve("nope.conf")))
        .isInstanceOf(RulesConfigException.class)
        .hasMessageContaining("nope.conf")
        .hasMessageContaining("file not found");
  }

  @Test
  void aSyntaxErrorNamesTheFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("broken.conf");
    Files.writeString(file, "touchpoint.attribution { apps = [\n");
    assertThatThrownBy(() -> RulesConfig.load(file))
        .isInstanceOf(RulesConfigException.class)
        .hasMessageContaining("broken.conf");
  }

  @Test
  void theReAttributionAndRetentionOptionsDefaultToThePublishedRules() {
    AppRules r = AppRules.defaults();
    assertThat(r.reAttributionAnchor()).isEqualTo(ReAttributionAnchor.FIRST_INSTALL);
    assertThat(r.eventsAfterReinstall()).isEqualTo(EventsAfterReinstall.ORIGINAL_SOURCE);
    assertThat(r.retentionCalendar()).isEqualTo(RetentionCalendar.APP_TIME_ZONE);
    assertThat(r.earlierReAttributionWindows()).isEmpty();
    AppRules other =
        parse(
                """
        touchpoint.attribution.apps.b {
          re-attribution-window = 24 * 30d
          re-attribution-window-from = latest-install
          events-after-reinstall = organic
          retention.calendar = utc
          re-attribution-window-before = [{ until = "2026-09-02T00:00:00Z", window = 30d }]
        }
        """
                    .replace("24 * 30d", "730d"))
            .rulesFor("b");
    assertThat(other.reAttributionWindow()).isEqualTo(Duration.ofDays(730));
    assertThat(other.reAttributionAnchor()).isEqualTo(ReAttributionAnchor.LATEST_INSTALL);
    assertThat(other.eventsAfterReinstall()).isEqualTo(EventsAfterReinstall.ORGANIC);
    assertThat(other.retentionCalendar()).isEqualTo(RetentionCalendar.UTC);
    assertThat(other.earlierReAttributionWindows())
        .containsExactly(
            new WindowSetting(
                java.time.Instant.parse("2026-09-02T00:00:00Z"), Duration.ofDays(30)));
  }

  @Test
  void theReAttributionOptionsAreCheckedWithEveryOtherProblem() {
    assertThatThrownBy(
            () ->
                parse(
                    """
        touchpoint.attribution.apps.c {
          re-attribution-window = 7d
          re-attribution-window-from = last-touch
          events-after-reinstall = nobody
          retention.calendar = mars
          re-attribution-window-before = [{ until = "yesterday", window = 30d }, { until = "2026-01-01T00:00:00Z", window = 900d }]
        }
        """))
        .isInstanceOf(RulesConfigException.class)
        .satisfies(e -> assertThat(((RulesConfigException) e).problems()).hasSize(6))
        .hasMessageContaining("re-attribution-window = 7d is outside 30d..730d")
        .hasMessageContaining(
            "re-attribution-window-from = \"last-touch\" is not one of [first-install, latest-install]")
        .hasMessageContaining(
            "events-after-reinstall = \"nobody\" is not one of [original-source, organic]")
        .hasMessageContaining("retention.calendar = \"mars\" is not one of [app-time-zone, utc]")
        .hasMessageContaining("[0] is invalid")
        .hasMessageContaining("[1].window = 900d is outside 30d..730d");
  }
}
