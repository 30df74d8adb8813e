package io.touchpoint.attribution;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The attribution rules of every app, parsed once from HOCON ({@code attribution.conf} on the
 * classpath, overlaid by an optional file) into typed, range-checked {@link AppRules}.
 */
public final class RulesConfig {
  /** Environment variable naming a rules file that overlays the built-in defaults. */
  public static final String RULES_FILE_ENV = "TOUCHPOINT_RULES";

  private static final String ROOT = "touchpoint.attribution";
  private static final Duration HOUR = Duration.ofHours(1);
  private static final Duration DAY = Duration.ofDays(1);

  /**
   * AppsFlyer's range for the re-attribution window: 1 to 24 months (a month counted as 30 days).
   */
  private static final Duration MIN_RE_ATTRIBUTION = Duration.ofDays(30);

  private static final Duration MAX_RE_ATTRIBUTION = Duration.ofDays(730);

  private final AppRules defaultRules;
  private final Map<String, AppRules> appRules;
  private final FloodingRules flooding;

  private RulesConfig(
      AppRules defaultRules, Map<String, AppRules> appRules, FloodingRules flooding) {
    this.defaultRules = defaultRules;
    this.appRules = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(appRules));
    this.flooding = flooding;
  }

  /** The built-in defaults only. */
  public static RulesConfig defaults() {
    return fromConfig(
        ConfigFactory.parseResources(RulesConfig.class, "/attribution.conf"), "attribution.conf");
  }

  /** Defaults overlaid by {@code file} if given, else by {@code $TOUCHPOINT_RULES} if set. */
  public static RulesConfig load(Path file) {
    Path chosen = file;
    if (chosen == null && System.getenv(RULES_FILE_ENV) != null) {
      chosen = Path.of(System.getenv(RULES_FILE_ENV));
    }
    Config base = ConfigFactory.parseResources(RulesConfig.class, "/attribution.conf");
    if (chosen == null) {
      return fromConfig(base, "attribution.conf");
    }
    if (!Files.isRegularFile(chosen)) {
      throw new RulesConfigException(chosen.toString(), List.of("file not found"));
    }
    try {
      return fromConfig(
          ConfigFactory.parseFile(chosen.toFile()).withFallback(base), chosen.toString());
    } catch (ConfigException e) {
      throw new RulesConfigException(chosen.toString(), List.of(e.getMessage()));
    }
  }

  /** Parses and checks a whole configuration (root {@code touchpoint.attribution}). */
  public static RulesConfig fromConfig(Config config, String source) {
    Config root = config.resolve().getConfig(ROOT);
    Problems problems = new Problems();
    Config defaultsBlock = root.getConfig("defaults");
    AppRules defaults = parseApp(defaultsBlock, "defaults", problems);
    Map<String, AppRules> apps = new LinkedHashMap<>();
    Config appsBlock = root.hasPath("apps") ? root.getConfig("apps") : ConfigFactory.empty();
    for (String appId : appsBlock.root().keySet()) {
      String path = "apps.\"" + appId + "\"";
      if (appsBlock.root().get(appId).valueType() != ConfigValueType.OBJECT) {
        problems.add(path + " must be an object");
        continue;
      }
      Config own = appsBlock.getConfig(ConfigUtil.joinPath(appId));
      apps.put(appId, parseApp(own.withFallback(defaultsBlock), own, path, problems));
    }
    FloodingRules flooding = parseFlooding(root.getConfig("flooding"), problems);
    problems.throwIfAny(source);
    return new RulesConfig(defaults, apps, flooding);
  }

  /** The rules of {@code appId}; apps without a block of their own get the defaults. */
  public AppRules rulesFor(String appId) {
    return appRules.getOrDefault(appId, defaultRules);
  }

  public FloodingRules flooding() {
    return flooding;
  }

  /** The rules of apps without a block of their own. */
  public AppRules defaultRules() {
    return defaultRules;
  }

  /** The apps with a block of their own, in the file's order. */
  public Set<String> appIds() {
    return appRules.keySet();
  }

  /** The longest touch history any app's rules can look back over. */
  public Duration longestLookback() {
    return longest(AppRules::longestLookback);
  }

  /**
   * How far before a candidate a touch can still qualify under any app's rules: the longest click
   * or view-through window, per media source included (probabilistic windows are never longer than
   * the click window).
   */
  public Duration longestTouchWindow() {
    return longest(
        r -> {
          Duration d = max(r.longestLookback(), r.viewThroughLookback());
          for (SourceRules s : r.mediaSources().values()) {
            d = max(d, s.viewThroughLookback());
          }
          return d;
        });
  }

  /** The longest re-attribution window of the defaults and of every configured app. */
  public Duration longestReAttributionWindow() {
    return longest(AppRules::longestReAttributionWindow);
  }

  /** The longest re-engagement window (how long a re-engagement keeps crediting events). */
  public Duration longestReEngagementWindow() {
    return longest(AppRules::reEngagementWindow);
  }

  private Duration longest(Function<AppRules, Duration> of) {
    Duration longest = of.apply(defaultRules);
    for (AppRules rules : appRules.values()) {
      longest = max(longest, of.apply(rules));
    }
    return longest;
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static AppRules parseApp(Config c, String path, Problems all) {
    return parseApp(c, c, path, all);
  }

  /**
   * Parses {@code c} (own settings over the defaults), reporting problems only of {@code own}'s
   * keys.
   */
  private static AppRules parseApp(Config c, Config own, String path, Problems all) {
    Problems p = all.scopedTo(own, path);
    Duration click = p.duration(c, "click-lookback", HOUR, Duration.ofDays(30));
    Duration view = p.duration(c, "view-through-lookback", HOUR, DAY);
    boolean probabilistic = p.get(c, "probabilistic.enabled", c::getBoolean, true);
    Duration probabilisticLookback = p.duration(c, "probabilistic.lookback", HOUR, DAY);
    Duration reAttribution =
        p.duration(c, "re-attribution-window", MIN_RE_ATTRIBUTION, MAX_RE_ATTRIBUTION);
    ReAttributionAnchor anchor =
        p.choice(
            c,
            "re-attribution-window-from",
            ReAttributionAnchor.values(),
            ReAttributionAnchor::configName,
            ReAttributionAnchor.FIRST_INSTALL);
    List<WindowSetting> earlier = parseEarlierWindows(c, p);
    EventsAfterReinstall afterReinstall =
        p.choice(
            c,
            "events-after-reinstall",
            EventsAfterReinstall.values(),
            EventsAfterReinstall::configName,
            EventsAfterReinstall.ORIGINAL_SOURCE);
    RetentionCalendar calendar =
        p.choice(
            c,
            "retention.calendar",
            RetentionCalendar.values(),
            RetentionCalendar::configName,
            RetentionCalendar.APP_TIME_ZONE);
    Duration reEngagement = p.duration(c, "re-engagement-window", HOUR, Duration.ofDays(90));
    int contributors = p.get(c, "max-contributors", c::getInt, 3);
    if (contributors < 0 || contributors > 3) {
      p.add("max-contributors", "= " + contributors + " is outside 0..3");
    }
    Duration ctit = p.duration(c, "fraud.ctit-min", Duration.ZERO, Duration.ofSeconds(60));
    boolean installBegin = p.get(c, "fraud.install-begin-check", c::getBoolean, true);
    ZoneId zone = p.get(c, "time-zone", key -> ZoneId.of(c.getString(key)), ZoneId.of("UTC"));

    Map<String, SourceRules> sources = new LinkedHashMap<>();
    if (c.hasPath("media-sources")) {
      Config block = c.getConfig("media-sources");
      for (String source : block.root().keySet()) {
        Config s = block.getConfig(ConfigUtil.joinPath(source));
        Problems sp = all.scopedTo(s, path + ".media-sources.\"" + source + "\"");
        Duration sc =
            s.hasPath("click-lookback")
                ? sp.duration(s, "click-lookback", HOUR, Duration.ofDays(30))
                : click;
        Duration sv =
            s.hasPath("view-through-lookback")
                ? sp.duration(s, "view-through-lookback", HOUR, DAY)
                : view;
        for (String key : s.root().keySet()) {
          if (!key.equals("click-lookback") && !key.equals("view-through-lookback")) {
            sp.add(
                key,
                "is not a per-media-source setting (allowed: click-lookback, view-through-lookback)");
          }
        }
        sources.put(source, new SourceRules(sc, sv));
      }
    }
    return new AppRules(
        click,
        view,
        probabilistic,
        probabilisticLookback,
        reAttribution,
        reEngagement,
        contributors,
        ctit,
        installBegin,
        zone,
        sources,
        anchor,
        earlier,
        afterReinstall,
        calendar);
  }

  /**
   * {@code re-attribution-window-before}: earlier settings, each with the instant it was replaced.
   */
  private static List<WindowSetting> parseEarlierWindows(Config c, Problems p) {
    String key = "re-attribution-window-before";
    List<WindowSetting> settings = new ArrayList<>();
    if (!c.hasPath(key)) {
      return settings;
    }
    List<? extends Config> entries = p.get(c, key, c::getConfigList, List.of());
    for (int i = 0; i < entries.size(); i++) {
      Config e = entries.get(i);
      String at = "[" + i + "]";
      try {
        Instant until = Instant.parse(e.getString("until"));
        Duration window = e.getDuration("window");
        if (window.compareTo(MIN_RE_ATTRIBUTION) < 0 || window.compareTo(MAX_RE_ATTRIBUTION) > 0) {
          p.add(
              key,
              at
                  + ".window = "
                  + Problems.human(window)
                  + " is outside "
                  + Problems.human(MIN_RE_ATTRIBUTION)
                  + ".."
                  + Problems.human(MAX_RE_ATTRIBUTION));
        }
        settings.add(new WindowSetting(until, window));
      } catch (ConfigException | DateTimeException ex) {
        p.add(
            key,
            at
                + " is invalid (want { until = \"<ISO instant>\", window = <duration> }): "
                + ex.getMessage());
      }
    }
    return settings;
  }

  private static FloodingRules parseFlooding(Config c, Problems p) {
    Problems f = p.scopedTo(c, "flooding");
    long minClicks = f.get(c, "min-clicks", c::getLong, 1L);
    double maxConversion = f.get(c, "max-conversion-rate", c::getDouble, 0.0);
    double maxShare = f.get(c, "max-share-within-first-hour", c::getDouble, 0.0);
    if (minClicks < 1) {
      f.add("min-clicks", "= " + minClicks + " must be at least 1");
    }
    if (maxConversion < 0 || maxConversion > 1) {
      f.add("max-conversion-rate", "= " + maxConversion + " is outside 0..1");
    }
    if (maxShare < 0 || maxShare > 1) {
      f.add("max-share-within-first-hour", "= " + maxShare + " is outside 0..1");
    }
    return new FloodingRules(minClicks, maxConversion, maxShare);
  }

  /**
   * Collects every problem so one run reports them all. A scoped view reports only keys its own
   * block sets, so a bad default is reported once, not again for every app inheriting it.
   */
  private static final class Problems {
    private final List<String> list;
    private final Config own;
    private final String prefix;

    Problems() {
      this(new ArrayList<>(), null, "");
    }

    private Problems(List<String> list, Config own, String prefix) {
      this.list = list;
      this.own = own;
      this.prefix = prefix;
    }

    Problems scopedTo(Config ownBlock, String path) {
      return new Problems(list, ownBlock, path);
    }

    void add(String problem) {
      list.add(problem);
    }

    void add(String key, String problem) {
      if (own == null || own.hasPath(key)) {
        list.add(prefix + "." + key + " " + problem);
      }
    }

    <T> T get(Config c, String key, Function<String, T> read, T fallback) {
      try {
        return read.apply(key);
      } catch (ConfigException | DateTimeException e) {
        add(key, "is invalid: " + e.getMessage());
        return fallback;
      }
    }

    /** One of {@code values}, named in the file by its config name. */
    <E> E choice(Config c, String key, E[] values, Function<E, String> name, E fallback) {
      String text = get(c, key, c::getString, name.apply(fallback));
      for (E v : values) {
        if (name.apply(v).equals(text)) {
          return v;
        }
      }
      add(
          key,
          "= \"" + text + "\" is not one of " + java.util.Arrays.stream(values).map(name).toList());
      return fallback;
    }

    Duration duration(Config c, String key, Duration min, Duration max) {
      Duration d = get(c, key, c::getDuration, min);
      if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
        add(key, "= " + human(d) + " is outside " + human(min) + ".." + human(max));
      }
      return d;
    }

    void throwIfAny(String source) {
      if (!list.isEmpty()) {
        throw new RulesConfigException(source, list);
      }
    }

    private static String human(Duration d) {
      long s = d.toSeconds();
      if (s == 0) {
        return "0s";
      }
      if (s % 86400 == 0 && s > 86400) {
        return d.toDays() + "d";
      }
      if (s % 3600 == 0) {
        return d.toHours() + "h";
      }
      return s + "s";
    }
  }
}
