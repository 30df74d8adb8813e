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
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

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

  private final AppRules defaultRules;
  private final Map<String, AppRules> appRules;
  private final FloodingRules flooding;

  private RulesConfig(AppRules defaultRules, Map<String, AppRules> appRules, FloodingRules flooding) {
    this.defaultRules = defaultRules;
    this.appRules = Map.copyOf(appRules);
    this.flooding = flooding;
  }

  /** The built-in defaults only. */
  public static RulesConfig defaults() {
    return fromConfig(ConfigFactory.parseResources(RulesConfig.class, "/attribution.conf"), "attribution.conf");
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
      return fromConfig(ConfigFactory.parseFile(chosen.toFile()).withFallback(base), chosen.toString());
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
      Config app = appsBlock.getConfig(ConfigUtil.joinPath(appId)).withFallback(defaultsBlock);
      apps.put(appId, parseApp(app, path, problems));
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

  /** The longest touch history any app's rules can look back over. */
  public Duration longestLookback() {
    Duration longest = defaultRules.longestLookback();
    for (AppRules rules : appRules.values()) {
      if (rules.longestLookback().compareTo(longest) > 0) {
        longest = rules.longestLookback();
      }
    }
    return longest;
  }

  private static AppRules parseApp(Config c, String path, Problems p) {
    Duration click = p.duration(c, path, "click-lookback", HOUR, Duration.ofDays(30));
    Duration view = p.duration(c, path, "view-through-lookback", HOUR, DAY);
    boolean probabilistic = p.get(() -> c.getBoolean("probabilistic.enabled"), path + ".probabilistic.enabled", true);
    Duration probabilisticLookback = p.duration(c, path, "probabilistic.lookback", HOUR, DAY);
    Duration reAttribution = p.duration(c, path, "re-attribution-window", DAY, Duration.ofDays(365));
    Duration reEngagement = p.duration(c, path, "re-engagement-window", HOUR, Duration.ofDays(90));
    int contributors = p.get(() -> c.getInt("max-contributors"), path + ".max-contributors", 3);
    if (contributors < 0 || contributors > 3) {
      p.add(path + ".max-contributors = " + contributors + " is outside 0..3");
    }
    Duration ctit = p.duration(c, path, "fraud.ctit-min", Duration.ZERO, Duration.ofSeconds(60));
    boolean installBegin = p.get(() -> c.getBoolean("fraud.install-begin-check"), path + ".fraud.install-begin-check", true);
    ZoneId zone = p.get(() -> ZoneId.of(c.getString("time-zone")), path + ".time-zone", ZoneId.of("UTC"));

    Map<String, SourceRules> sources = new LinkedHashMap<>();
    if (c.hasPath("media-sources")) {
      Config block = c.getConfig("media-sources");
      for (String source : block.root().keySet()) {
        Config s = block.getConfig(ConfigUtil.joinPath(source));
        String sp = path + ".media-sources.\"" + source + "\"";
        Duration sc = s.hasPath("click-lookback") ? p.duration(s, sp, "click-lookback", HOUR, Duration.ofDays(30)) : click;
        Duration sv = s.hasPath("view-through-lookback") ? p.duration(s, sp, "view-through-lookback", HOUR, DAY) : view;
        for (String key : s.root().keySet()) {
          if (!key.equals("click-lookback") && !key.equals("view-through-lookback")) {
            p.add(sp + "." + key + " is not a per-media-source setting (allowed: click-lookback, view-through-lookback)");
          }
        }
        sources.put(source, new SourceRules(sc, sv));
      }
    }
    return new AppRules(click, view, probabilistic, probabilisticLookback, reAttribution, reEngagement,
        contributors, ctit, installBegin, zone, sources);
  }

  private static FloodingRules parseFlooding(Config c, Problems p) {
    long minClicks = p.get(() -> c.getLong("min-clicks"), "flooding.min-clicks", 1L);
    double maxConversion = p.get(() -> c.getDouble("max-conversion-rate"), "flooding.max-conversion-rate", 0.0);
    double maxShare = p.get(() -> c.getDouble("max-share-within-first-hour"), "flooding.max-share-within-first-hour", 0.0);
    if (minClicks < 1) {
      p.add("flooding.min-clicks = " + minClicks + " must be at least 1");
    }
    if (maxConversion < 0 || maxConversion > 1) {
      p.add("flooding.max-conversion-rate = " + maxConversion + " is outside 0..1");
    }
    if (maxShare < 0 || maxShare > 1) {
      p.add("flooding.max-share-within-first-hour = " + maxShare + " is outside 0..1");
    }
    return new FloodingRules(minClicks, maxConversion, maxShare);
  }

  /** Collects every problem so one run reports them all. */
  private static final class Problems {
    private final List<String> list = new ArrayList<>();

    void add(String problem) {
      list.add(problem);
    }

    <T> T get(Supplier<T> read, String path, T fallback) {
      try {
        return read.get();
      } catch (ConfigException | DateTimeException e) {
        add(path + ": " + e.getMessage());
        return fallback;
      }
    }

    Duration duration(Config c, String path, String key, Duration min, Duration max) {
      Duration d = get(() -> c.getDuration(key), path + "." + key, min);
      if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
        add(path + "." + key + " = " + human(d) + " is outside " + human(min) + ".." + human(max));
      }
      return d;
    }

    void throwIfAny(String source) {
      if (!list.isEmpty()) {
        throw new RulesConfigException(source, list);
      }
    }

    private static String human(Duration d) {
      if (d.isZero()) {
        return "0s";
      }
      if (d.toSeconds() % 86400 == 0) {
        return d.toDays() + "d";
      }
      if (d.toSeconds() % 3600 == 0) {
        return d.toHours() + "h";
      }
      return d.toSeconds() + "s";
    }
  }
}
