package io.touchpoint.batch;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import io.touchpoint.attribution.AppRules;
import io.touchpoint.attribution.ReAttributionWindow;
import io.touchpoint.attribution.RulesConfig;
import java.io.Serializable;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The attribution rules as executors see them: the resolved HOCON text travels with the tasks and
 * is parsed once per JVM into shared-model's {@link RulesConfig}, which also answers the horizons
 * the batch needs to know how much history to read.
 */
public final class Rules implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Map<String, RulesConfig> PARSED = new ConcurrentHashMap<>();

  private final String text;
  private final String source;

  private Rules(String text, String source) {
    this.text = text;
    this.source = source;
    config(); // fail fast on the driver, with every problem listed
  }

  /** The built-in defaults overlaid by {@code overlayText} (HOCON; null or blank = none). */
  public static Rules of(String overlayText, String source) {
    Config base = ConfigFactory.parseResources(RulesConfig.class, "/attribution.conf");
    Config merged =
        overlayText == null || overlayText.isBlank()
            ? base
            : ConfigFactory.parseString(overlayText).withFallback(base);
    String rendered = merged.resolve().root().render(ConfigRenderOptions.concise());
    return new Rules(rendered, source == null ? "attribution.conf" : source);
  }

  public static Rules defaults() {
    return of(null, null);
  }

  public RulesConfig config() {
    return PARSED.computeIfAbsent(
        text, t -> RulesConfig.fromConfig(ConfigFactory.parseString(t), source));
  }

  public AppRules rulesFor(String appId) {
    return config().rulesFor(appId);
  }

  /** How far back a touch can still qualify for a candidate under any app's rules. */
  public Duration touchHorizon() {
    return config().longestTouchWindow();
  }

  /** The longest re-attribution window of the defaults and of every configured app. */
  public Duration longestReAttributionWindow() {
    return config().longestReAttributionWindow();
  }

  /**
   * How much install history before day D the batch reads to find each install's re-attribution
   * window anchor: {@link ReAttributionWindow#HISTORY_WINDOWS} of the longest window.
   */
  public Duration installHistory() {
    return longestReAttributionWindow().multipliedBy(ReAttributionWindow.HISTORY_WINDOWS);
  }

  /** The longest re-engagement window (how long a re-engagement keeps crediting events). */
  public Duration longestReEngagementWindow() {
    return config().longestReEngagementWindow();
  }

  public String source() {
    return source;
  }
}
