package io.touchpoint.serving;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.touchpoint.model.config.JobSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The serving layer's settings: {@code serving.conf} on the classpath (defaults = the embedded
 * stack, environment overrides named there), optionally overlaid by a HOCON file.
 */
public record ServingConfig(
    String clickhouseUrl,
    String clickhouseUser,
    String clickhousePassword,
    String database,
    String cluster,
    Duration clickhouseTimeout,
    String druidRouter,
    String druidPrefix,
    String druidTaskDuration,
    String druidLateRejection,
    Duration druidTaskTimeout,
    String lakeBucket,
    String lakeEndpoint,
    String lakeAccessKey,
    String lakeSecretKey,
    String goldExportPrefix,
    String druidExportPrefix,
    String kafkaBootstrap,
    String attributionsTopic,
    String attributedEventsTopic,
    String consumerGroup,
    Duration flushInterval,
    int maxBatchRows,
    String rulesFile) {

  public static final String FILE_ENV = "TOUCHPOINT_SERVING_CONF";
  private static final String ROOT = "touchpoint.serving";

  /** The embedded stack's values, laid over serving.conf under the launcher (JobSettings). */
  public static final String LOCAL_STACK_PROFILE = "serving-local-stack.conf";

  /** Settings with no production default, and the environment variable of each. */
  static final Map<String, String> REQUIRED =
      JobSettings.required(
          "clickhouse.url", "TOUCHPOINT_CLICKHOUSE_URL",
          "clickhouse.user", "TOUCHPOINT_CLICKHOUSE_USER",
          "druid.router", "TOUCHPOINT_DRUID_ROUTER_URL",
          "lake.bucket", "TOUCHPOINT_S3_BUCKET",
          "kafka.bootstrap", "TOUCHPOINT_KAFKA_BOOTSTRAP");

  /**
   * serving.conf (with the embedded stack's profile under the launcher) overlaid by {@code file},
   * else by {@code $TOUCHPOINT_SERVING_CONF} if set.
   */
  public static ServingConfig load(Path file) {
    return load(file, JobSettings.localStackSelected());
  }

  /** As {@link #load(Path)}, choosing explicitly whether the local-stack profile applies. */
  public static ServingConfig load(Path file, boolean localStack) {
    Path chosen =
        file != null
            ? file
            : System.getenv(FILE_ENV) != null && !System.getenv(FILE_ENV).isBlank()
                ? Path.of(System.getenv(FILE_ENV))
                : null;
    Config c = defaults(localStack);
    if (chosen != null) {
      if (!Files.isRegularFile(chosen)) {
        throw new ServingException("configuration file not found: " + chosen);
      }
      c = ConfigFactory.parseFile(chosen.toFile()).withFallback(c);
    }
    try {
      return fromConfig(c.resolve());
    } catch (ConfigException e) {
      throw new ServingException("bad serving configuration: " + e.getMessage());
    }
  }

  public static ServingConfig load() {
    return load(null);
  }

  /**
   * The embedded stack's profile with some keys (relative to {@code touchpoint.serving}) replaced,
   * e.g. in tests.
   */
  public static ServingConfig withOverrides(Map<String, Object> overrides) {
    Config o = ConfigFactory.empty();
    for (Map.Entry<String, Object> e : overrides.entrySet()) {
      o =
          o.withValue(
              ROOT + "." + e.getKey(),
              com.typesafe.config.ConfigValueFactory.fromAnyRef(e.getValue()));
    }
    return fromConfig(o.withFallback(defaults(true)).resolve());
  }

  private static Config defaults(boolean localStack) {
    return JobSettings.withProfile(
        ServingConfig.class,
        LOCAL_STACK_PROFILE,
        ConfigFactory.parseResources(ServingConfig.class, "/serving.conf"),
        localStack);
  }

  static ServingConfig fromConfig(Config all) {
    try {
      JobSettings.requireAll(all, ROOT, REQUIRED, "the serving layer");
    } catch (JobSettings.MissingSettingsException e) {
      throw new ServingException(e.getMessage());
    }
    Config c = all.getConfig(ROOT);
    String db = c.getString("clickhouse.database");
    if (!db.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new ServingException(
          "clickhouse.database must be a plain identifier, got '" + db + "'");
    }
    String prefix = c.getString("druid.datasource-prefix");
    if (!prefix.matches("[A-Za-z0-9_\\-]*")) {
      throw new ServingException(
          "druid.datasource-prefix may hold letters, digits, '_' and '-' only");
    }
    return new ServingConfig(
        stripSlash(c.getString("clickhouse.url")),
        c.getString("clickhouse.user"),
        c.getString("clickhouse.password"),
        db,
        c.getString("clickhouse.cluster"),
        c.getDuration("clickhouse.request-timeout"),
        stripSlash(c.getString("druid.router")),
        prefix,
        c.getString("druid.task-duration"),
        c.getString("druid.late-message-rejection-period"),
        c.getDuration("druid.task-timeout"),
        c.getString("lake.bucket"),
        stripSlash(c.getString("lake.endpoint")),
        c.getString("lake.access-key"),
        c.getString("lake.secret-key"),
        trimSlashes(c.getString("lake.gold-export-prefix")),
        trimSlashes(c.getString("lake.druid-export-prefix")),
        c.getString("kafka.bootstrap"),
        c.getString("kafka.attributions-topic"),
        c.getString("kafka.attributed-events-topic"),
        c.getString("kafka.consumer-group"),
        c.getDuration("kafka.flush-interval"),
        c.getInt("kafka.max-batch-rows"),
        c.getString("rules-file"));
  }

  private static String stripSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  private static String trimSlashes(String s) {
    String t = s;
    while (t.startsWith("/")) {
      t = t.substring(1);
    }
    return stripSlash(t);
  }

  public String datasource(String name) {
    return druidPrefix + name;
  }
}
