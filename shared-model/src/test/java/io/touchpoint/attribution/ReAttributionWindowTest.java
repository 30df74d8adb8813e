package io.touchpoint.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The re-attribution window's anchor and extent, as AppsFlyer publishes them. */
class ReAttributionWindowTest {
  private static final Instant SEP_1 = Instant.parse("2026-09-01T10:00:00Z");
  private static final AppRules DEFAULTS = AppRules.defaults();
  private static final AppRules LATEST = rules("re-attribution-window-from = latest-install");

  static AppRules rules(String appBlock) {
    return RulesConfig.fromConfig(
            ConfigFactory.parseString("touchpoint.attribution.apps.a { " + appBlock + " }")
                .withFallback(ConfigFactory.parseResources("attribution.conf")),
            "test")
        .rulesFor("a");
  }

  static Instant day(long n) {
    return SEP_1.plus(Duration.ofDays(n));
  }

  /** Whether an install at {@code t} after {@code earlier} is a new install (opens a window). */
  static boolean isNewInstall(List<Instant> earlier, Instant t, AppRules rules) {
    return !ReAttributionWindow.isInside(
        ReAttributionWindow.anchorFor(earlier, t, rules), t, rules);
  }

  @Nested
  class AnchoredAtTheInstallThatOpenedIt {
    @Test
    void aDeviceThatReinstallsEveryTwoMonthsIsANewInstallOnceTheFirstWindowHasRunOut() {
      List<Instant> earlier = List.of(day(0), day(60));
      assertThat(ReAttributionWindow.anchorFor(earlier, day(120), DEFAULTS)).isEqualTo(day(0));
      assertThat(isNewInstall(earlier, day(120), DEFAULTS))
          .as("120 days after the first install")
          .isTrue();
      assertThat(isNewInstall(earlier, day(120), LATEST))
          .as("the latest-install option: 60 days after the last")
          .isFalse();
    }

    @Test
    void theInstallAfterAnExpiredWindowOpensTheNextOne() {
      List<Instant> earlier = List.of(day(0), day(60), day(120));
      assertThat(ReAttributionWindow.anchorFor(earlier, day(180), DEFAULTS)).isEqualTo(day(120));
      assertThat(isNewInstall(earlier, day(180), DEFAULTS)).isFalse();
      assertThat(isNewInstall(earlier, day(211), DEFAULTS)).as("91 days after day 120").isTrue();
    }

    @Test
    void theWindowsFarEndIsInclusive() {
      assertThat(isNewInstall(List.of(day(0)), day(90), DEFAULTS)).isFalse();
      assertThat(isNewInstall(List.of(day(0)), day(90).plusSeconds(1), DEFAULTS)).isTrue();
    }

    @Test
    void aReinstallNeverAnchorsItselfAndLaterInstallsAreIgnored() {
      assertThat(ReAttributionWindow.anchorFor(List.of(day(5), day(10)), day(5), DEFAULTS))
          .isNull();
      assertThat(ReAttributionWindow.isInside(day(5), day(5), DEFAULTS)).isFalse();
      assertThat(ReAttributionWindow.anchorFor(List.of(), day(5), DEFAULTS)).isNull();
    }
  }

  /**
   * AppsFlyer's two examples of a changed setting: an install is judged with the setting of its
   * moment.
   */
  @Nested
  class TheSettingInForceAtInstallTime {
    private final Instant changed = day(1); // September 2

    @Test
    void from90To30Days() {
      AppRules r =
          rules(
              "re-attribution-window = 30d, re-attribution-window-before = [{ until = \""
                  + changed
                  + "\", window = 90d }]");
      assertThat(isNewInstall(List.of(SEP_1), day(30), r))
          .as("a reinstall until October 1")
          .isFalse();
      assertThat(isNewInstall(List.of(SEP_1), day(31), r))
          .as("from October 2: a new install")
          .isTrue();
      assertThat(r.reAttributionWindowAt(SEP_1)).isEqualTo(Duration.ofDays(90));
    }

    @Test
    void from30To90Days() {
      AppRules r =
          rules(
              "re-attribution-window = 90d, re-attribution-window-before = [{ until = \""
                  + changed
                  + "\", window = 30d }]");
      assertThat(isNewInstall(List.of(SEP_1), Instant.parse("2026-10-15T10:00:00Z"), r))
          .as("October 15")
          .isFalse();
      assertThat(isNewInstall(List.of(SEP_1), Instant.parse("2026-12-15T10:00:00Z"), r))
          .as("December 15")
          .isTrue();
      assertThat(r.longestReAttributionWindow()).isEqualTo(Duration.ofDays(90));
      assertThat(ReAttributionWindow.historyNeeded(r)).isEqualTo(Duration.ofDays(180));
    }
  }

  @Provide
  Arbitrary<List<Instant>> installs() {
    return Arbitraries.longs()
        .between(1, 200L * 86_400)
        .list()
        .ofMinSize(0)
        .ofMaxSize(8)
        .map(
            gaps -> {
              List<Instant> times = new ArrayList<>();
              Instant t = SEP_1;
              for (long g : gaps) {
                t = t.plusSeconds(g);
                times.add(t);
              }
              return times;
            });
  }

  @Property(tries = 500)
  void windowsOpenedByNewInstallsNeverOverlap(@ForAll("installs") List<Instant> installs) {
    Instant anchor = null;
    List<Instant> opened = new ArrayList<>();
    for (Instant i : installs) {
      Instant next = ReAttributionWindow.next(anchor, i, DEFAULTS);
      if (!next.equals(anchor)) {
        assertThat(next).isEqualTo(i);
        opened.add(i);
      }
      anchor = next;
    }
    for (int k = 1; k < opened.size(); k++) {
      assertThat(Duration.between(opened.get(k - 1), opened.get(k)))
          .isGreaterThan(Duration.ofDays(90));
    }
    if (!installs.isEmpty()) {
      assertThat(opened).first().isEqualTo(installs.get(0));
    }
  }

  @Property(tries = 500)
  void theFoldAndTheIncrementalFormAgree(@ForAll("installs") List<Instant> installs) {
    Instant anchor = null;
    for (Instant i : installs) {
      assertThat(ReAttributionWindow.anchorFor(installs, i, DEFAULTS)).isEqualTo(anchor);
      anchor = ReAttributionWindow.next(anchor, i, DEFAULTS);
    }
  }

  @Property(tries = 500)
  void whatTheLatestInstallRuleCallsANewInstallTheAnchoredRuleDoesToo(
      @ForAll("installs") List<Instant> installs) {
    for (int k = 1; k < installs.size(); k++) {
      List<Instant> earlier = installs.subList(0, k);
      Instant t = installs.get(k);
      if (isNewInstall(earlier, t, LATEST)) {
        assertThat(isNewInstall(earlier, t, DEFAULTS))
            .as("the anchor is never later than the latest install")
            .isTrue();
      }
      assertThat(ReAttributionWindow.anchorFor(earlier, t, LATEST)).isEqualTo(earlier.get(k - 1));
    }
  }
}
