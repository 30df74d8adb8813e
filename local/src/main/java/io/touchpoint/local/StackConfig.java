package io.touchpoint.local;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The embedded stack's settings: {@code stack.conf} from the classpath, then a file named by {@code
 * TOUCHPOINT_STACK_CONF} (or {@code --config}), with environment overrides as the file declares
 * them. Parsed once into typed fields; a bad value fails with every problem named.
 */
public final class StackConfig {

  /** Where the repository (mvnw, local/engines, local/python) is. */
  public final Path repoRoot;

  /** All state: data, logs, pid files, downloaded jars, generated configuration. */
  public final Path dataDir;

  public final String host;
  public final int startTimeoutSeconds;

  public final int kafkaPort;
  public final int kafkaControllerPort;
  public final String kafkaHeap;
  public final int kafkaPartitions;
  public final List<String> kafkaTopics;

  public final int s3Port;
  public final String s3Heap;
  public final String s3AccessKey;
  public final String s3SecretKey;
  public final String s3Region;
  public final String s3Bucket;

  public final int clickhousePort;
  public final String clickhouseMaxMemoryUsage;

  public final int druidZookeeperPort;
  public final int druidDerbyPort;
  public final int druidCoordinatorPort;
  public final int druidBrokerPort;
  public final int druidHistoricalPort;
  public final int druidIndexerPort;
  public final int druidRouterPort;
  public final String druidZookeeperHeap;
  public final String druidCoordinatorHeap;
  public final String druidBrokerHeap;
  public final String druidHistoricalHeap;
  public final String druidIndexerHeap;
  public final String druidRouterHeap;
  public final int druidIndexerCapacity;
  public final String druidDeepStorageKey;

  public final int supersetPort;
  public final Path supersetVenv;
  public final int supersetWorkers;
  public final int supersetThreads;
  public final String supersetClickhouseUri;

  public final Path venv;
  public final String pythonBootstrap;

  private StackConfig(Config c, Path repoRoot, Path dataDirOverride) {
    this.repoRoot = repoRoot;
    Path home = Path.of(c.getString("home"));
    Path chosen = dataDirOverride != null ? dataDirOverride : home;
    this.dataDir =
        (chosen.isAbsolute() ? chosen : repoRoot.resolve(chosen)).normalize().toAbsolutePath();
    this.host = c.getString("host");
    this.startTimeoutSeconds = c.getInt("start-timeout-s");

    this.kafkaPort = c.getInt("kafka.port");
    this.kafkaControllerPort = c.getInt("kafka.controller-port");
    this.kafkaHeap = c.getString("kafka.heap");
    this.kafkaPartitions = c.getInt("kafka.partitions");
    this.kafkaTopics = List.copyOf(c.getStringList("kafka.topics"));

    this.s3Port = c.getInt("s3.port");
    this.s3Heap = c.getString("s3.heap");
    this.s3AccessKey = c.getString("s3.access-key");
    this.s3SecretKey = c.getString("s3.secret-key");
    this.s3Region = c.getString("s3.region");
    this.s3Bucket = c.getString("s3.bucket");

    this.clickhousePort = c.getInt("clickhouse.port");
    this.clickhouseMaxMemoryUsage = c.getString("clickhouse.max-memory-usage");

    this.druidZookeeperPort = c.getInt("druid.zookeeper-port");
    this.druidDerbyPort = c.getInt("druid.derby-port");
    this.druidCoordinatorPort = c.getInt("druid.coordinator-port");
    this.druidBrokerPort = c.getInt("druid.broker-port");
    this.druidHistoricalPort = c.getInt("druid.historical-port");
    this.druidIndexerPort = c.getInt("druid.indexer-port");
    this.druidRouterPort = c.getInt("druid.router-port");
    this.druidZookeeperHeap = c.getString("druid.zookeeper-heap");
    this.druidCoordinatorHeap = c.getString("druid.coordinator-heap");
    this.druidBrokerHeap = c.getString("druid.broker-heap");
    this.druidHistoricalHeap = c.getString("druid.historical-heap");
    this.druidIndexerHeap = c.getString("druid.indexer-heap");
    this.druidRouterHeap = c.getString("druid.router-heap");
    this.druidIndexerCapacity = c.getInt("druid.indexer-capacity");
    this.druidDeepStorageKey = c.getString("druid.deep-storage-key");

    this.supersetPort = c.getInt("superset.port");
    Path sv = Path.of(c.getString("superset.venv"));
    this.supersetVenv = (sv.isAbsolute() ? sv : repoRoot.resolve(sv)).normalize().toAbsolutePath();
    this.supersetWorkers = c.getInt("superset.workers");
    this.supersetThreads = c.getInt("superset.threads");
    this.supersetClickhouseUri = c.getString("superset.clickhouse-uri");

    Path v = Path.of(c.getString("python.venv"));
    this.venv = (v.isAbsolute() ? v : repoRoot.resolve(v)).normalize().toAbsolutePath();
    this.pythonBootstrap = c.getString("python.bootstrap");
  }

  /** Loads the configuration with no overrides but the environment's. */
  public static StackConfig load() {
    return load(null, null);
  }

  /**
   * @param extraFile a HOCON file layered over stack.conf (null: TOUCHPOINT_STACK_CONF if set)
   * @param dataDirOverride the data directory to use instead of the configured one (null:
   *     configured)
   */
  public static StackConfig load(Path extraFile, Path dataDirOverride) {
    Path repo = findRepoRoot();
    Config base =
        ConfigFactory.parseResources(
            StackConfig.class.getClassLoader(),
            "stack.conf",
            ConfigParseOptions.defaults().setAllowMissing(false));
    Path extra = extraFile;
    if (extra == null && System.getenv("TOUCHPOINT_STACK_CONF") != null) {
      extra = Path.of(System.getenv("TOUCHPOINT_STACK_CONF"));
    }
    Config merged = base;
    if (extra != null) {
      if (!Files.isRegularFile(extra)) {
        throw new StackException(
            "configuration file not found: " + extra, "give an existing HOCON file");
      }
      merged = ConfigFactory.parseFile(extra.toFile()).withFallback(base);
    }
    try {
      Config resolved =
          merged
              .resolve(ConfigResolveOptions.defaults().setAllowUnresolved(false))
              .getConfig("touchpoint.stack");
      return new StackConfig(resolved, repo, dataDirOverride);
    } catch (ConfigException e) {
      throw new StackException(
          "bad stack configuration: " + e.getMessage(),
          "check local/src/main/resources/stack.conf and the TOUCHPOINT_* variables");
    }
  }

  /**
   * The repository root: {@code TOUCHPOINT_REPO}, else the {@code touchpoint.home} system property
   * the project launcher sets, else the nearest folder above the working directory that holds
   * {@code local/engines}.
   */
  public static Path findRepoRoot() {
    String env = System.getenv("TOUCHPOINT_REPO");
    if (env != null && !env.isBlank()) {
      return Path.of(env).toAbsolutePath().normalize();
    }
    String launcherHome = System.getProperty("touchpoint.home");
    if (launcherHome != null && Files.isDirectory(Path.of(launcherHome, "local/engines"))) {
      return Path.of(launcherHome).toAbsolutePath().normalize();
    }
    Path p = Path.of("").toAbsolutePath();
    for (Path q = p; q != null; q = q.getParent()) {
      if (Files.isDirectory(q.resolve("local/engines"))) {
        return q;
      }
    }
    throw new StackException(
        "cannot find the Touchpoint repository above " + p,
        "run from inside the checkout or set TOUCHPOINT_REPO");
  }

  public Path runDir() {
    return dataDir.resolve("run");
  }

  public Path logDir() {
    return dataDir.resolve("logs");
  }

  public Path libDir() {
    return dataDir.resolve("lib");
  }

  public Path confDir() {
    return dataDir.resolve("conf");
  }

  public String kafkaBootstrap() {
    return host + ":" + kafkaPort;
  }

  public String s3Endpoint() {
    return "http://" + host + ":" + s3Port;
  }

  public String clickhouseUrl() {
    return "http://" + host + ":" + clickhousePort;
  }

  public String druidRouterUrl() {
    return "http://" + host + ":" + druidRouterPort;
  }

  public String druidBrokerUrl() {
    return "http://" + host + ":" + druidBrokerPort;
  }

  public String druidCoordinatorUrl() {
    return "http://" + host + ":" + druidCoordinatorPort;
  }

  public String supersetUrl() {
    return "http://" + host + ":" + supersetPort;
  }

  public Path venvBin(String tool) {
    return venv.resolve("bin").resolve(tool);
  }

  /** The Java launcher of the running JVM, used for every engine JVM. */
  public static String javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
