package io.touchpoint.local.test;

import io.touchpoint.local.KafkaTopics;
import io.touchpoint.local.S3Admin;
import io.touchpoint.local.StackConfig;
import io.touchpoint.local.StackException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * What a test needs to talk to the embedded stack: addresses, credentials, and fresh names (topics,
 * buckets, tables) unique to this JVM run so that tests never collide, even against a stack shared
 * with other runs.
 */
public final class StackHandle {
  private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(30);

  private final StackConfig config;
  private final String runId;
  private final AtomicInteger counter = new AtomicInteger();

  StackHandle(StackConfig config) {
    this.config = config;
    SecureRandom r = new SecureRandom();
    this.runId =
        Long.toString(System.currentTimeMillis() % 46_656_000L, 36)
            + Integer.toString(36 + r.nextInt(36 * 36 - 36), 36);
  }

  public StackConfig config() {
    return config;
  }

  public Path dataDir() {
    return config.dataDir;
  }

  public String kafkaBootstrap() {
    return config.kafkaBootstrap();
  }

  public String s3Endpoint() {
    return config.s3Endpoint();
  }

  public String s3AccessKey() {
    return config.s3AccessKey;
  }

  public String s3SecretKey() {
    return config.s3SecretKey;
  }

  public String s3Region() {
    return config.s3Region;
  }

  /** The lake bucket created by {@code up} (shared: write under {@link #uniqueName} prefixes). */
  public String lakeBucket() {
    return config.s3Bucket;
  }

  /** Hadoop configuration for s3a on S3Proxy (path-style, plain HTTP, static keys). */
  public Map<String, String> s3aConf() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("fs.s3a.endpoint", config.s3Endpoint());
    m.put("fs.s3a.endpoint.region", config.s3Region);
    m.put("fs.s3a.path.style.access", "true");
    m.put("fs.s3a.connection.ssl.enabled", "false");
    m.put("fs.s3a.access.key", config.s3AccessKey);
    m.put("fs.s3a.secret.key", config.s3SecretKey);
    m.put(
        "fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    m.put("fs.s3a.impl", "org.apache.hadoop.fs.s3a.S3AFileSystem");
    return m;
  }

  /** Base URL of the ClickHouse HTTP interface ({@code POST /?query=}). */
  public String clickhouseUrl() {
    return config.clickhouseUrl();
  }

  public String druidRouterUrl() {
    return config.druidRouterUrl();
  }

  public String druidBrokerUrl() {
    return config.druidBrokerUrl();
  }

  public String druidCoordinatorUrl() {
    return config.druidCoordinatorUrl();
  }

  /**
   * A name unique to this run: {@code prefix_<run>_<n>}, lower case, safe for topics and SQL
   * identifiers.
   */
  public String uniqueName(String prefix) {
    String p = prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    return p + "_" + runId + "_" + counter.incrementAndGet();
  }

  /** A fresh table name (ClickHouse table or Druid datasource). */
  public String newTable(String prefix) {
    return uniqueName(prefix);
  }

  /** Creates a fresh topic with the stack's default partition count. */
  public String newTopic(String prefix) {
    return newTopic(prefix, config.kafkaPartitions);
  }

  public String newTopic(String prefix, int partitions) {
    String name = uniqueName(prefix).replace('_', '-');
    Map<String, Object> p =
        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap());
    try (Admin a = Admin.create(p)) {
      KafkaTopics.createAndAwait(
          a, List.of(new NewTopic(name, partitions, (short) 1)), TOPIC_TIMEOUT);
    } catch (Exception e) {
      throw new StackException("cannot create topic " + name + ": " + e, "is Kafka up? `status`");
    }
    return name;
  }

  /** Creates a fresh bucket (S3 names: lower case, digits, hyphens). */
  public String newBucket(String prefix) {
    String name = uniqueName(prefix).replace('_', '-');
    new S3Admin(config.s3Endpoint(), config.s3AccessKey, config.s3SecretKey).createBucket(name);
    return name;
  }
}
