package io.touchpoint.simulator.output;

import io.touchpoint.simulator.world.AppWindows;
import io.touchpoint.simulator.world.SimApp;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The per-app attribution settings the truth was planned against, as an overlay for the rules file
 * ({@code attribution.conf} format): pass it as {@code --rules} / {@code TOUCHPOINT_RULES} so the
 * engine judges the data with the same windows and time zones.
 */
public final class RulesOverlay {
  public static final String FILE = "attribution-overlay.conf";

  private RulesOverlay() {}

  public static String hocon(List<SimApp> apps) {
    StringBuilder s = new StringBuilder();
    s.append(
        "# Written by the simulator: the per-app rules its truth.jsonl was planned against.\n");
    s.append(
        "# Overlay on attribution.conf: RulesConfig.load(file), --rules FILE or TOUCHPOINT_RULES.\n");
    s.append("touchpoint.attribution.apps {\n");
    for (SimApp app : apps) {
      AppWindows w = app.windows();
      s.append("  \"").append(app.appId()).append("\" {\n");
      line(s, "time-zone", "\"" + app.timeZone().getId() + "\"");
      line(s, "click-lookback", human(w.clickLookback()));
      line(s, "view-through-lookback", human(w.viewThroughLookback()));
      line(s, "probabilistic.lookback", human(w.probabilisticLookback()));
      line(s, "re-attribution-window", human(w.reAttributionWindow()));
      line(s, "fraud.ctit-min", human(w.ctitMinimum()));
      if (w.organicEventsAfterReinstall()) {
        line(s, "events-after-reinstall", "organic");
      }
      if (w.retentionInUtc()) {
        line(s, "retention.calendar", "utc");
      }
      if (!w.clickLookbackBySource().isEmpty()) {
        s.append("    media-sources {\n");
        for (Map.Entry<String, Duration> e : new TreeMap<>(w.clickLookbackBySource()).entrySet()) {
          s.append("      \"")
              .append(e.getKey())
              .append("\" { click-lookback = ")
              .append(human(e.getValue()))
              .append(" }\n");
        }
        s.append("    }\n");
      }
      s.append("  }\n");
    }
    s.append("}\n");
    return s.toString();
  }

  private static void line(StringBuilder s, String key, String value) {
    s.append("    ").append(key).append(" = ").append(value).append('\n');
  }

  static String human(Duration d) {
    long seconds = d.toSeconds();
    if (seconds % 86_400 == 0) {
      return seconds / 86_400 + "d";
    }
    if (seconds % 3600 == 0) {
      return seconds / 3600 + "h";
    }
    return seconds + "s";
  }
}
