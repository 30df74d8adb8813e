package io.touchpoint.serving;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The serving layer's settings: {@code serving.conf} on the classpath (defaults = the embedded
 * stack, environment overrides named there), optionally overlaid by a HOCON file.
 */
public record ServingConfig(
    String clickhouseUrl, String clickhouseUser, String clickhousePassword, String database,
    String cluster, Duration clickhouseTimeout,
    String druidRouter, String druidPrefix, String druidTaskDuration, String druidLateRejection,
    Duration druidTaskTimeout,
    String lakeBucket, String lakeEndpoint, String lakeAccessKey, String lakeSecretKey,
    String goldExportPrefix, String druidExportPrefix,
    String kafkaBootstrap, String attributionsTopic, String attributedEventsTopic, String consumerGroup,
    Duration flushInterval, int maxBatchRows, String rulesFile) {

  public static final String FILE_ENV = "TOUCHPOINT_SERVING_CONF";
  private static final String ROOT = "touchpoint.serving";

  /** Defaults overlaid by {@code file}, else by {@code $TOUCHPOINT_SERVING_CONF} if set. */
  public static ServingConfig load(Path file) {
    Path chosen = file != null ? file
        : System.getenv(FILE_ENV) != null && !System.getenv(FILE_ENV).isBlank() ? Path.of(System.getenv(FILE_ENV)) : null;
    Config base = ConfigFactory.parseResources(ServingConfig.class, "/serving.conf");
    Config c = base;
    if (chosen != null) {
      if (!Files.isRegularFile(chosen)) {
        throw new ServingException("configuration file not found: " + chosen);
      }
      c = ConfigFactory.parseFile(chosen.toFile()).withFallback(base);
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

  /** Defaults with some keys (relative to {@code touchpoint.serving}) replaced, e.g. in tests. */
  public static ServingConfig withOverrides(Map<String, Object> overrides) {
    Config o = ConfigFactory.empty();
    for (Map.Entry<String, Object> e : overrides.entrySet()) {
      o = o.withValue(ROOT + "." + e.getKey(), com.typesafe.config.ConfigValueFactory.fromAnyRef(e.getValue()));
    }
    return fromConfig(o.withFallback(ConfigFactory.parseResources(ServingConfig.class, "/serving.conf")).resolve());
  }

  static ServingConfig fromConfig(Config all) {
    Config c = all.getConfig(ROOT);
    String db = c.getString("clickhouse.database");
    if (!db.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new ServingException("clickhouse.database must be a plain identifier, got '" + db + "'");
    }
    String prefix = c.getString("druid.datasource-prefix");
    if (!prefix.matches("[A-Za-z0-9_\\-]*")) {
      throw new ServingException("druid.datasource-prefix may hold letters, digits, '_' and '-' only");
    }
    return new ServingConfig(
        stripSlash(c.getString("clickhouse.url")), c.getString("clickhouse.user"), c.getString("clickhouse.password"),
        db, c.getString("clickhouse.cluster"), c.getDuration("clickhouse.request-timeout"),
        stripSlash(c.getString("druid.router")), prefix, c.getString("druid.task-duration"),
        c.getString("druid.late-message-rejection-period"), c.getDuration("druid.task-timeout"),
        c.getString("lake.bucket"), stripSlash(c.getString("lake.endpoint")), c.getString("lake.access-key"),
        c.getString("lake.secret-key"), trimSlashes(c.getString("lake.gold-export-prefix")),
        trimSlashes(c.getString("lake.druid-export-prefix")),
        c.getString("kafka.bootstrap"), c.getString("kafka.attributions-topic"),
        c.getString("kafka.attributed-events-topic"), c.getString("kafka.consumer-group"),
        c.getDuration("kafka.flush-interval"), c.getInt("kafka.max-batch-rows"), c.getString("rules-file"));
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
