package io.touchpoint.streaming;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import io.touchpoint.attribution.RulesConfig;
import io.touchpoint.model.config.JobSettings;
import io.touchpoint.model.validation.ValidationPolicy;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The speed layer's settings, read once on the driver from HOCON ({@code streaming.conf} on the
 * classpath, overlaid by a file and by {@code --conf key=value} pairs). Everything executors need
 * is plain serializable data (the rules travel as HOCON text, parsed where they are used).
 */
public final class StreamingConfig implements Serializable {
  private static final long serialVersionUID = 1L;
  public static final String ROOT = "touchpoint.streaming";

  /** Environment variable naming a config file that overlays the defaults. */
  public static final String CONFIG_FILE_ENV = "TOUCHPOINT_STREAMING_CONF";

  /**
   * The embedded stack's overlay of streaming.conf (local-disk checkpoints), see {@link
   * JobSettings}.
   */
  public static final String LOCAL_STACK_PROFILE = "streaming-local-stack.conf";

  /** Settings with no production default, and the environment variable of each. */
  static final Map<String, String> REQUIRED =
      JobSettings.required(
          "kafka.bootstrap-servers", "TOUCHPOINT_KAFKA_BOOTSTRAP",
          "lake.root", "TOUCHPOINT_LAKE_ROOT");

  public final String appName;

  /** Which of the layer's queries a process runs (setting {@code queries}). */
  public enum Queries {
    /** the three queries in one application */
    ALL,
    /** the latency path only: Kafka in, Kafka out */
    ATTRIBUTION,
    /** the ingest and speed-tables queries only: bronze, quarantine, speed tables */
    LAKE;

    public boolean attribution() {
      return this != LAKE;
    }

    public boolean lake() {
      return this != ATTRIBUTION;
    }

    /** The setting's value: all, attribution, lake. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses a setting's value (any case). */
    public static Queries parse(String value) {
      for (Queries q : values()) {
        if (q.label().equalsIgnoreCase(value.trim())) {
          return q;
        }
      }
      throw new IllegalArgumentException(
          "queries must be all, attribution or lake, not \"" + value + "\"");
    }
  }

  public final Queries queries;
  public final String bootstrapServers;
  public final String touchpointsTopic;
  public final String appEventsTopic;
  public final String attributionsTopic;
  public final String attributedEventsTopic;
  public final String deadLetterTopic;
  public final String startingOffsets;
  public final long maxOffsetsPerTrigger;

  /** Tasks that read the attribution query's Kafka input per micro-batch (0: one per partition). */
  public final int readTasks;

  public final Map<String, String> sourceOptions;
  public final Map<String, String> sinkOptions;
  public final String lakeRoot;
  public final String checkpoint;
  public final Duration triggerInterval;

  /** The ingest query's (bronze, quarantine, dead letters) checkpoint and trigger. */
  public final String ingestCheckpoint;

  public final Duration ingestTriggerInterval;
  public final long ingestMaxOffsetsPerTrigger;

  /** Rows per task of the ingest query's reads and large bronze writes (0 = no cap). */
  public final long ingestRowsPerTask;

  /** The speed-tables query's (output topics -> speed Delta tables) checkpoint, trigger and cap. */
  public final String speedTablesCheckpoint;

  public final Duration speedTablesTriggerInterval;
  public final long speedTablesMaxOffsetsPerTrigger;

  /**
   * The speed-tables query's de-duplication window (watermark delay over the attribution batch's
   * time): how far apart, in attribution batches' time, a record may be read after a newer one.
   */
  public final Duration speedTablesDedupWindow;

  /**
   * Day-complete markers for the nightly batch: lateness allowance past a day's end, days looked
   * back.
   */
  public final Duration dayCompleteLateness;

  public final int dayCompleteLookbackDays;
  public final String rulesFile;

  /** The rules overlay file's text ("" = defaults), shipped to executors. */
  public final String rulesText;

  public final Duration touchTtl;
  public final int maxTouchesPerKey;
  public final Duration installHistoryTtl;
  public final Duration dedupTtl;
  public final Duration verdictTtl;
  public final int maxVerdictsPerDevice;
  public final Duration stopGracePeriod;
  public final int sinkParallelism;
  public final int bronzeFilesPerBatch;
  public final int maxPayloadBytes;
  public final Duration futureTolerance;
  public final Duration retention;

  /** Spark settings (full keys, {@code spark.} prefix) to apply unless already set. */
  public final Map<String, String> sparkDefaults;

  /** Spark settings from {@code --conf spark.x=y}: applied even over spark-submit's. */
  public final Map<String, String> sparkOverrides;

  private transient RulesConfig rules;

  private StreamingConfig(Config all, Map<String, String> sparkOverrides) {
    Config c = all.getConfig(ROOT);
    this.appName = c.getString("app-name");
    this.queries = Queries.parse(c.getString("queries"));
    this.bootstrapServers = c.getString("kafka.bootstrap-servers");
    this.touchpointsTopic = c.getString("kafka.topics.touchpoints");
    this.appEventsTopic = c.getString("kafka.topics.app-events");
    this.attributionsTopic = c.getString("kafka.topics.attributions");
    this.attributedEventsTopic = c.getString("kafka.topics.attributed-events");
    this.deadLetterTopic = c.getString("kafka.topics.dead-letter");
    this.startingOffsets = c.getString("kafka.starting-offsets");
    this.maxOffsetsPerTrigger = c.getLong("kafka.max-offsets-per-trigger");
    this.readTasks = c.getInt("kafka.read-tasks");
    this.sourceOptions = flatten(c.getConfig("kafka.source-options"), "");
    this.sinkOptions = flatten(c.getConfig("kafka.sink-options"), "");
    this.lakeRoot = stripSlash(c.getString("lake.root"));
    this.checkpoint = location(c.getString("checkpoint"));
    this.triggerInterval = c.getDuration("trigger-interval");
    String ingest = c.getString("ingest.checkpoint");
    this.ingestCheckpoint = ingest.isBlank() ? checkpoint + "-ingest" : location(ingest);
    this.ingestTriggerInterval = c.getDuration("ingest.trigger-interval");
    this.ingestMaxOffsetsPerTrigger = c.getLong("ingest.max-offsets-per-trigger");
    this.ingestRowsPerTask = c.getLong("ingest.rows-per-task");
    String speedTables = c.getString("speed-tables.checkpoint");
    this.speedTablesCheckpoint =
        speedTables.isBlank() ? checkpoint + "-speed-tables" : location(speedTables);
    this.speedTablesTriggerInterval = c.getDuration("speed-tables.trigger-interval");
    this.speedTablesMaxOffsetsPerTrigger = c.getLong("speed-tables.max-offsets-per-trigger");
    this.speedTablesDedupWindow = c.getDuration("speed-tables.dedup-window");
    this.dayCompleteLateness = c.getDuration("ingest.day-complete.lateness");
    this.dayCompleteLookbackDays = c.getInt("ingest.day-complete.lookback-days");
    this.rulesFile = c.getString("rules-file");
    this.rulesText = readRules(rulesFile);
    this.maxTouchesPerKey = c.getInt("state.max-touches-per-key");
    this.installHistoryTtl = c.getDuration("state.install-history-ttl");
    this.dedupTtl = c.getDuration("state.dedup-ttl");
    this.verdictTtl = c.getDuration("state.verdict-ttl");
    this.maxVerdictsPerDevice = c.getInt("state.max-verdicts-per-device");
    this.stopGracePeriod = c.getDuration("stop-grace-period");
    this.sinkParallelism = c.getInt("sink.parallelism");
    this.bronzeFilesPerBatch = c.getInt("sink.bronze-files-per-batch");
    ValidationPolicy policy = ValidationPolicy.fromConfig(all);
    this.maxPayloadBytes = policy.maxPayloadBytes();
    this.futureTolerance = policy.futureTolerance();
    this.retention = policy.retention();
    Map<String, String> spark = new TreeMap<>(flatten(c.getConfig("spark"), "spark."));
    String endpoint = c.getString("lake.s3a.endpoint");
    if (!endpoint.isBlank()) {
      spark.putIfAbsent("spark.hadoop.fs.s3a.endpoint", endpoint);
      spark.putIfAbsent("spark.hadoop.fs.s3a.endpoint.region", c.getString("lake.s3a.region"));
      spark.putIfAbsent("spark.hadoop.fs.s3a.access.key", c.getString("lake.s3a.access-key"));
      spark.putIfAbsent("spark.hadoop.fs.s3a.secret.key", c.getString("lake.s3a.secret-key"));
      spark.putIfAbsent(
          "spark.hadoop.fs.s3a.aws.credentials.provider",
          "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
      spark.putIfAbsent(
          "spark.hadoop.fs.s3a.connection.ssl.enabled",
          String.valueOf(endpoint.startsWith("https")));
      // S3-compatible servers often reject ACL headers and conditional copies
      spark.putIfAbsent("spark.hadoop.fs.s3a.change.detection.mode", "none");
    }
    this.sparkDefaults = Map.copyOf(spark);
    this.sparkOverrides = Map.copyOf(sparkOverrides);
    this.rules = RulesConfig.fromConfig(rulesHocon(rulesText), rulesSource());
    Duration configuredTtl =
        c.getString("state.touch-ttl").equals("auto") ? null : c.getDuration("state.touch-ttl");
    // view-through windows (up to 24 h) may exceed a short click lookback
    Duration longest =
        rules.longestLookback().compareTo(Duration.ofDays(1)) > 0
            ? rules.longestLookback()
            : Duration.ofDays(1);
    this.touchTtl = configuredTtl != null ? configuredTtl : longest;
    check(maxTouchesPerKey > 0, "state.max-touches-per-key must be positive");
    check(maxVerdictsPerDevice > 0, "state.max-verdicts-per-device must be positive");
    check(!touchTtl.isNegative() && !touchTtl.isZero(), "state.touch-ttl must be positive");
    check(sinkParallelism > 0, "sink.parallelism must be positive");
    check(bronzeFilesPerBatch > 0, "sink.bronze-files-per-batch must be positive");
    check(
        java.util.Set.of(checkpoint, ingestCheckpoint, speedTablesCheckpoint).size() == 3,
        "checkpoint, ingest.checkpoint and speed-tables.checkpoint must differ");
    check(
        maxOffsetsPerTrigger >= 0
            && ingestMaxOffsetsPerTrigger >= 0
            && speedTablesMaxOffsetsPerTrigger >= 0,
        "max-offsets-per-trigger settings must be >= 0");
    check(
        !triggerInterval.isNegative()
            && !ingestTriggerInterval.isNegative()
            && !speedTablesTriggerInterval.isNegative(),
        "trigger intervals must be >= 0");
    check(
        !speedTablesDedupWindow.isNegative() && !speedTablesDedupWindow.isZero(),
        "speed-tables.dedup-window must be positive");
    check(!ingestCheckpoint.equals(checkpoint), "ingest.checkpoint must differ from checkpoint");
    check(dayCompleteLookbackDays > 0, "ingest.day-complete.lookback-days must be positive");
    check(maxOffsetsPerTrigger >= 0, "kafka.max-offsets-per-trigger must be >= 0");
    check(readTasks >= 0, "kafka.read-tasks must be >= 0");
    check(ingestRowsPerTask >= 0, "ingest.rows-per-task must be >= 0");
  }

  /**
   * Loads the configuration.
   *
   * @param file a HOCON file overlaying the defaults, or null ($TOUCHPOINT_STREAMING_CONF if set)
   * @param overrides {@code key=value} pairs; keys starting with {@code spark.} are Spark settings,
   *     others are paths under {@code touchpoint.streaming} (or full paths starting with {@code
   *     touchpoint.})
   */
  public static StreamingConfig load(Path file, List<String> overrides) {
    Path chosen = file;
    if (chosen == null
        && System.getenv(CONFIG_FILE_ENV) != null
        && !System.getenv(CONFIG_FILE_ENV).isBlank()) {
      chosen = Path.of(System.getenv(CONFIG_FILE_ENV));
    }
    Config overlay = ConfigFactory.empty();
    Map<String, String> spark = new LinkedHashMap<>();
    for (String pair : overrides == null ? List.<String>of() : overrides) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("--conf expects key=value: " + pair);
      }
      String key = pair.substring(0, eq).trim();
      String value = pair.substring(eq + 1).trim();
      if (key.startsWith("spark.")) {
        spark.put(key, value);
      } else {
        String path = key.startsWith("touchpoint.") ? key : ROOT + "." + key;
        overlay = overlay.withValue(path, ConfigValueFactory.fromAnyRef(value));
      }
    }
    Config fileConfig = ConfigFactory.empty();
    if (chosen != null) {
      if (!Files.isRegularFile(chosen)) {
        throw new IllegalArgumentException("config file not found: " + chosen);
      }
      fileConfig = ConfigFactory.parseFile(chosen.toFile());
    }
    Config defaults =
        ConfigFactory.parseResources(StreamingConfig.class, "/streaming.conf")
            .withFallback(ConfigFactory.parseResources(StreamingConfig.class, "/validation.conf"));
    defaults =
        JobSettings.withProfile(
            StreamingConfig.class, LOCAL_STACK_PROFILE, defaults, JobSettings.localStackSelected());
    try {
      Config layered = overlay.withFallback(fileConfig).withFallback(defaults);
      // name every missing setting before a substitution that needs one (checkpoint) fails alone
      JobSettings.requireAll(
          layered.resolve(ConfigResolveOptions.defaults().setAllowUnresolved(true)),
          ROOT,
          REQUIRED,
          "the speed layer");
      Config all = layered.resolve();
      return new StreamingConfig(all, spark);
    } catch (ConfigException e) {
      throw new IllegalArgumentException("bad streaming configuration: " + e.getMessage(), e);
    }
  }

  /** The parsed rules (on executors: parsed once from the shipped text). */
  public RulesConfig rules() {
    if (rules == null) {
      rules = RulesConfig.fromConfig(rulesHocon(rulesText), rulesSource());
    }
    return rules;
  }

  public ValidationPolicy validationPolicy() {
    return new ValidationPolicy(maxPayloadBytes, futureTolerance, retention);
  }

  public String table(String lakeTable) {
    return io.touchpoint.model.LakeTables.path(lakeRoot, lakeTable);
  }

  /** Every effective setting, for the start-up log (secrets masked). */
  public Map<String, String> describe() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("queries", queries.label());
    m.put("kafka", bootstrapServers);
    m.put("inputs", touchpointsTopic + "," + appEventsTopic);
    m.put("outputs", attributionsTopic + "," + attributedEventsTopic + "," + deadLetterTopic);
    m.put("lake", lakeRoot);
    m.put("checkpoint", checkpoint);
    m.put("trigger", triggerInterval.toString());
    m.put("ingest-checkpoint", ingestCheckpoint);
    m.put("ingest-trigger", ingestTriggerInterval.toString());
    m.put("ingest-rows-per-task", String.valueOf(ingestRowsPerTask));
    m.put("speed-tables-checkpoint", speedTablesCheckpoint);
    m.put("speed-tables-trigger", speedTablesTriggerInterval.toString());
    m.put("speed-tables-dedup-window", speedTablesDedupWindow.toString());
    m.put("max-offsets-per-trigger", String.valueOf(maxOffsetsPerTrigger));
    m.put("read-tasks", String.valueOf(readTasks));
    m.put("rules", rulesFile.isBlank() ? "built-in defaults" : rulesFile);
    m.put("touch-ttl", touchTtl.toString());
    return m;
  }

  private String rulesSource() {
    return rulesFile.isBlank() ? "attribution.conf" : rulesFile;
  }

  private static Config rulesHocon(String overlayText) {
    Config base = ConfigFactory.parseResources(RulesConfig.class, "/attribution.conf");
    return overlayText.isBlank() ? base : ConfigFactory.parseString(overlayText).withFallback(base);
  }

  private static String readRules(String file) {
    if (file == null || file.isBlank()) {
      return "";
    }
    try {
      return Files.readString(Path.of(file));
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read rules file " + file + ": " + e.getMessage(), e);
    }
  }

  private static Map<String, String> flatten(Config block, String prefix) {
    Map<String, String> m = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigValue> e : block.entrySet()) {
      String key = String.join(".", com.typesafe.config.ConfigUtil.splitPath(e.getKey()));
      m.put(prefix + key, String.valueOf(e.getValue().unwrapped()));
    }
    return m;
  }

  /**
   * A checkpoint location: a URI (s3a://, hdfs://, file:) as given; a plain path is local disk, a
   * relative one resolved against the repository root ({@code touchpoint.home}, set by the
   * launcher) or else the working directory.
   */
  private static String location(String value) {
    String v = stripSlash(value);
    if (v.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
      return v;
    }
    Path p = Path.of(v);
    if (!p.isAbsolute()) {
      p =
          Path.of(System.getProperty(JobSettings.LAUNCHER_HOME, System.getProperty("user.dir")))
              .resolve(p);
    }
    return p.normalize().toAbsolutePath().toUri().toString().replaceAll("/$", "");
  }

  /** No trailing slash, no doubled slash after the scheme (a root given as "s3a://lake/"). */
  private static String stripSlash(String s) {
    String t = s.replaceAll("(?<![:/])//+", "/");
    return t.endsWith("/") ? t.substring(0, t.length() - 1) : t;
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
