package io.touchpoint.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.touchpoint.attribution.AppRules;
import io.touchpoint.attribution.EventsAfterReinstall;
import io.touchpoint.attribution.ReAttributionAnchor;
import io.touchpoint.attribution.Retention;
import io.touchpoint.attribution.RulesConfig;
import io.touchpoint.simulator.truth.FloodingTruth;
import io.touchpoint.simulator.world.AppWindows;
import io.touchpoint.simulator.world.Portfolio;
import io.touchpoint.simulator.world.SimApp;
import io.touchpoint.simulator.world.World;
import org.junit.jupiter.api.Test;

/**
 * The overlay the simulator writes loads into exactly the windows its scenarios were planned with.
 */
class RulesOverlayTest {

  @Test
  void overlayLoadsIntoThePlannedWindows() {
    RulesConfig rules = RulesConfig.load(TestRuns.moderate().data().rulesOverlay());
    for (SimApp app : Portfolio.apps()) {
      AppRules r = rules.rulesFor(app.appId());
      AppWindows w = app.windows();
      assertThat(r.timeZone()).isEqualTo(app.timeZone());
      assertThat(r.viewThroughLookback()).isEqualTo(w.viewThroughLookback());
      assertThat(r.probabilisticLookback()).isEqualTo(w.probabilisticLookback());
      assertThat(r.reAttributionWindow()).isEqualTo(w.reAttributionWindow());
      assertThat(r.ctitMinimum()).isEqualTo(w.ctitMinimum());
      assertThat(r.probabilisticEnabled()).isTrue();
      assertThat(r.installBeginCheck()).isTrue();
      assertThat(r.reAttributionAnchor()).isEqualTo(ReAttributionAnchor.FIRST_INSTALL);
      assertThat(r.eventsAfterReinstall())
          .isEqualTo(
              w.organicEventsAfterReinstall()
                  ? EventsAfterReinstall.ORGANIC
                  : EventsAfterReinstall.ORIGINAL_SOURCE);
      assertThat(Retention.zone(r)).isEqualTo(w.retentionZone(app.timeZone()));
      for (var n : Portfolio.networks()) {
        assertThat(r.clickLookbackFor(n.mediaSource())).isEqualTo(w.clickLookback(n.mediaSource()));
        assertThat(r.viewThroughLookbackFor(n.mediaSource())).isEqualTo(w.viewThroughLookback());
      }
    }
    assertThat(Portfolio.apps())
        .as("an app of each option")
        .anyMatch(a -> a.windows().organicEventsAfterReinstall())
        .anyMatch(a -> a.windows().retentionInUtc() && !a.timeZone().getId().equals("UTC"));
  }

  @Test
  void floodingThresholdsAreTheConfiguredOnes() {
    var f = RulesConfig.defaults().flooding();
    assertThat(f.minClicks()).isEqualTo(FloodingTruth.MIN_CLICKS);
    assertThat(f.maxConversionRate()).isEqualTo(FloodingTruth.MAX_CONVERSION);
    assertThat(f.maxShareWithinFirstHour()).isEqualTo(FloodingTruth.MAX_SHARE_WITHIN_FIRST_HOUR);
    assertThat(World.MIN_FLOOD_CLICKS_PER_DAY).isGreaterThanOrEqualTo(2 * FloodingTruth.MIN_CLICKS);
  }
}
