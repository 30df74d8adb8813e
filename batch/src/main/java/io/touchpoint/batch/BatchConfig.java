package io.touchpoint.batch;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import io.touchpoint.model.config.JobSettings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The batch job's settings: {@code batch.conf} on the classpath, environment variables named in it,
 * then {@code --conf key=value} overrides (keys with or without the {@code touchpoint.batch.}
 * prefix).
 */
public record BatchConfig(
    String lake,
    String rulesFile,
    String ratesFile,
    Duration lateHorizon,
    long attributeExactFilterMaxCandidates,
    long attributeVerdictsKeptMaxCandidates,
    int walkBuckets,
    long walkBucketInput,
    boolean attributeReadByBucket,
    boolean recomputeMarked,
    Duration reconcileLateThreshold,
    int reportExamples,
    int exportFilesPerTable,
    long smallInput,
    long codegenMinInput,
    long adaptiveMinInput,
    int concurrentWrites,
    int vacuumListingTasks,
    Map<String, String> sparkConf,
    Map<String, String> s3a,
    Map<String, String> localStackS3a) {

  public static final String ROOT = "touchpoint.batch";

  /** The embedded stack's values, laid over batch.conf under the launcher (JobSettings). */
  public static final String LOCAL_STACK_PROFILE = "batch-local-stack.conf";

  /** The exact touch filter's table is indexed by int (two slots per candidate). */
  static final long MAX_EXACT_FILTER_CANDIDATES = 1L << 29;

  /** Files per day of silver touchpoints under the walk-key layout (a day is D's tasks' unit). */
  static final int MAX_WALK_BUCKETS = 4096;

  /** Settings with no production default, and the environment variable of each. */
  static final Map<String, String> REQUIRED = JobSettings.required("lake", "TOUCHPOINT_LAKE");

  public BatchConfig {
    sparkConf = Map.copyOf(sparkConf);
    s3a = Map.copyOf(s3a);
    localStackS3a = Map.copyOf(localStackS3a);
  }

  /** batch.conf + environment, no overrides. */
  public static BatchConfig load() {
    return load(Map.of());
  }

  public static BatchConfig load(Map<String, String> overrides) {
    return load(overrides, JobSettings.localStackSelected());
  }

  /** As {@link #load(Map)}, choosing explicitly whether the local-stack profile applies. */
  public static BatchConfig load(Map<String, String> overrides, boolean localStack) {
    Map<String, String> qualified = new LinkedHashMap<>();
    overrides.forEach((k, v) -> qualified.put(k.startsWith(ROOT + ".") ? k : ROOT + "." + k, v));
    Config base =
        JobSettings.withProfile(
            BatchConfig.class,
            LOCAL_STACK_PROFILE,
            ConfigFactory.parseResources(BatchConfig.class, "/batch.conf"),
            localStack);
    Config c;
    try {
      Config all = ConfigFactory.parseMap(qualified, "--conf").withFallback(base).resolve();
      JobSettings.requireAll(all, ROOT, REQUIRED, "the batch layer");
      c = all.getConfig(ROOT);
    } catch (ConfigException e) {
      throw new IllegalArgumentException("bad batch configuration: " + e.getMessage(), e);
    }
    return fromConfig(c);
  }

  static BatchConfig fromConfig(Config c) {
    Map<String, String> spark = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigValue> e : c.getConfig("spark").root().entrySet()) {
      spark.put(e.getKey(), String.valueOf(e.getValue().unwrapped()));
    }
    Map<String, String> s3a = new LinkedHashMap<>();
    putIfSet(s3a, "fs.s3a.endpoint", c.getString("s3a.endpoint"));
    putIfSet(s3a, "fs.s3a.access.key", c.getString("s3a.access-key"));
    putIfSet(s3a, "fs.s3a.secret.key", c.getString("s3a.secret-key"));
    putIfSet(s3a, "fs.s3a.endpoint.region", c.getString("s3a.region"));
    if (s3a.containsKey("fs.s3a.endpoint")) {
      s3a.putAll(pathStyle(s3a.get("fs.s3a.endpoint")));
    }
    // the embedded stack's S3 API: only in its profile (batch-local-stack.conf), never in
    // production
    Map<String, String> local = new LinkedHashMap<>();
    if (c.hasPath("local-stack")) {
      String endpoint =
          "http://" + c.getString("local-stack.host") + ":" + c.getInt("local-stack.port");
      local.put("fs.s3a.endpoint", endpoint);
      local.put("fs.s3a.access.key", c.getString("local-stack.access-key"));
      local.put("fs.s3a.secret.key", c.getString("local-stack.secret-key"));
      local.put("fs.s3a.endpoint.region", c.getString("local-stack.region"));
      local.putAll(pathStyle(endpoint));
    }
    long exactLimit = c.getLong("attribute.exact-filter-max-candidates");
    if (exactLimit < 0 || exactLimit > MAX_EXACT_FILTER_CANDIDATES) {
      throw new IllegalArgumentException(
          "attribute.exact-filter-max-candidates must be between 0 and "
              + MAX_EXACT_FILTER_CANDIDATES
              + ": "
              + exactLimit);
    }
    long keptLimit = c.getLong("attribute.verdicts-kept-max-candidates");
    if (keptLimit < 0) {
      throw new IllegalArgumentException(
          "attribute.verdicts-kept-max-candidates must be >= 0: " + keptLimit);
    }
    int walkBuckets = c.getInt("walk-buckets");
    if (walkBuckets < 0 || walkBuckets > MAX_WALK_BUCKETS) {
      throw new IllegalArgumentException(
          "walk-buckets must be between 0 and " + MAX_WALK_BUCKETS + ": " + walkBuckets);
    }
    long walkBucketInput = c.getBytes("walk-bucket-input");
    if (walkBucketInput < 0) {
      throw new IllegalArgumentException("walk-bucket-input must be >= 0: " + walkBucketInput);
    }
    int examples = c.getInt("reconcile.report-examples");
    int files = c.getInt("export.files-per-table");
    if (examples < 0 || files < 1) {
      throw new IllegalArgumentException(
          "reconcile.report-examples must be >= 0 and export.files-per-table >= 1");
    }
    long smallInput = c.getBytes("small-input");
    long codegenMinInput = c.getBytes("codegen-min-input");
    long adaptiveMinInput = c.getBytes("adaptive-min-input");
    if (smallInput < 0 || codegenMinInput < 0 || adaptiveMinInput < 0) {
      throw new IllegalArgumentException(
          "small-input, codegen-min-input and adaptive-min-input must be >= 0: "
              + smallInput
              + ", "
              + codegenMinInput
              + ", "
              + adaptiveMinInput);
    }
    int concurrentWrites = c.getInt("concurrent-writes");
    if (concurrentWrites < 1) {
      throw new IllegalArgumentException("concurrent-writes must be >= 1: " + concurrentWrites);
    }
    int vacuumListingTasks = c.getInt("erase.vacuum-listing-tasks");
    if (vacuumListingTasks < 1) {
      throw new IllegalArgumentException(
          "erase.vacuum-listing-tasks must be >= 1: " + vacuumListingTasks);
    }
    return new BatchConfig(
        c.getString("lake"),
        c.getString("rules-file"),
        c.getString("rates-file"),
        c.getDuration("compact.late-horizon"),
        exactLimit,
        keptLimit,
        walkBuckets,
        walkBucketInput,
        c.getBoolean("attribute.read-by-bucket"),
        c.getBoolean("recompute-marked"),
        c.getDuration("reconcile.late-threshold"),
        examples,
        files,
        smallInput,
        codegenMinInput,
        adaptiveMinInput,
        concurrentWrites,
        vacuumListingTasks,
        spark,
        s3a,
        local);
  }

  /** A copy with another lake root (tests, --lake). */
  public BatchConfig withLake(String root) {
    return new BatchConfig(
        root,
        rulesFile,
        ratesFile,
        lateHorizon,
        attributeExactFilterMaxCandidates,
        attributeVerdictsKeptMaxCandidates,
        walkBuckets,
        walkBucketInput,
        attributeReadByBucket,
        recomputeMarked,
        reconcileLateThreshold,
        reportExamples,
        exportFilesPerTable,
        smallInput,
        codegenMinInput,
        adaptiveMinInput,
        concurrentWrites,
        vacuumListingTasks,
        sparkConf,
        s3a,
        localStackS3a);
  }

  public BatchConfig withRulesFile(String file) {
    return new BatchConfig(
        lake,
        file,
        ratesFile,
        lateHorizon,
        attributeExactFilterMaxCandidates,
        attributeVerdictsKeptMaxCandidates,
        walkBuckets,
        walkBucketInput,
        attributeReadByBucket,
        recomputeMarked,
        reconcileLateThreshold,
        reportExamples,
        exportFilesPerTable,
        smallInput,
        codegenMinInput,
        adaptiveMinInput,
        concurrentWrites,
        vacuumListingTasks,
        sparkConf,
        s3a,
        localStackS3a);
  }

  public BatchConfig withRecomputeMarked(boolean recompute) {
    return new BatchConfig(
        lake,
        rulesFile,
        ratesFile,
        lateHorizon,
        attributeExactFilterMaxCandidates,
        attributeVerdictsKeptMaxCandidates,
        walkBuckets,
        walkBucketInput,
        attributeReadByBucket,
        recompute,
        reconcileLateThreshold,
        reportExamples,
        exportFilesPerTable,
        smallInput,
        codegenMinInput,
        adaptiveMinInput,
        concurrentWrites,
        vacuumListingTasks,
        sparkConf,
        s3a,
        localStackS3a);
  }

  private static void putIfSet(Map<String, String> m, String key, String value) {
    if (value != null && !value.isBlank()) {
      m.put(key, value);
    }
  }

  /** S3Proxy and other S3-compatible endpoints: path-style, plain HTTP when the URL says so. */
  private static Map<String, String> pathStyle(String endpoint) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("fs.s3a.path.style.access", "true");
    m.put("fs.s3a.connection.ssl.enabled", String.valueOf(endpoint.startsWith("https")));
    m.put(
        "fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    m.put("fs.s3a.change.detection.mode", "none");
    return m;
  }
}
