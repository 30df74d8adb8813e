package io.touchpoint.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;

/**
 * A single-node Kafka in KRaft mode (broker and controller in one JVM) from Maven Central's {@code
 * kafka_2.13} jars, with the contract topics.
 */
final class KafkaComponent implements Component {

  private final StackConfig config;
  private final Downloads downloads;
  private final Console console;
  private final ManagedProcess process;

  KafkaComponent(StackConfig config, Downloads downloads, Console console) {
    this.config = config;
    this.downloads = downloads;
    this.console = console;
    Map<String, Integer> ports = new LinkedHashMap<>();
    ports.put("broker", config.kafkaPort);
    ports.put("controller", config.kafkaControllerPort);
    this.process =
        new ManagedProcess(
            config,
            "kafka",
            command(),
            config.dataDir.resolve("kafka"),
            Map.of(),
            ports,
            this::clusterAnswers);
  }

  @Override
  public Service service() {
    return Service.KAFKA;
  }

  private Path lib() {
    return config.libDir().resolve("kafka");
  }

  private Path conf() {
    return config.confDir().resolve("kafka");
  }

  private Path logDirs() {
    return config.dataDir.resolve("kafka/data");
  }

  private List<String> command() {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                StackConfig.javaExecutable(),
                "-Xms" + config.kafkaHeap,
                "-Xmx" + config.kafkaHeap,
                "-XX:+UseSerialGC",
                "-XX:+ExitOnOutOfMemoryError",
                "-Djava.awt.headless=true",
                "-Dlog4j2.configurationFile=" + conf().resolve("log4j2.properties"),
                "-cp",
                lib() + "/*",
                "kafka.Kafka",
                conf().resolve("server.properties").toString()));
    return cmd;
  }

  @Override
  public void prepare() {
    downloads.mavenJars(
        "kafka", config.repoRoot.resolve("local/engines/kafka/pom.xml"), null, lib());
    String props =
        String.join(
            "\n",
            "process.roles=broker,controller",
            "node.id=1",
            "controller.quorum.voters=1@" + config.host + ":" + config.kafkaControllerPort,
            "listeners=PLAINTEXT://"
                + config.host
                + ":"
                + config.kafkaPort
                + ",CONTROLLER://"
                + config.host
                + ":"
                + config.kafkaControllerPort,
            "advertised.listeners=PLAINTEXT://" + config.host + ":" + config.kafkaPort,
            "controller.listener.names=CONTROLLER",
            "inter.broker.listener.name=PLAINTEXT",
            "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
            "log.dirs=" + logDirs(),
            "num.partitions=" + config.kafkaPartitions,
            // topics are created on purpose (contract topics here, tests through StackHandle)
            "auto.create.topics.enable=false",
            "offsets.topic.replication.factor=1",
            "offsets.topic.num.partitions=4",
            "transaction.state.log.replication.factor=1",
            "transaction.state.log.min.isr=1",
            "share.coordinator.state.topic.replication.factor=1",
            "share.coordinator.state.topic.min.isr=1",
            "group.initial.rebalance.delay.ms=0",
            "num.network.threads=2",
            "num.io.threads=2",
            "num.recovery.threads.per.data.dir=1",
            "background.threads=2",
            "log.retention.hours=168",
            "log.segment.bytes=67108864",
            "");
    Downloads.write(conf().resolve("server.properties"), props);
    Downloads.write(
        conf().resolve("log4j2.properties"),
        String.join(
            "\n",
            "status = warn",
            "appender.console.type = Console",
            "appender.console.name = STDOUT",
            "appender.console.layout.type = PatternLayout",
            "appender.console.layout.pattern = [%d] %p %m (%c)%n",
            "rootLogger.level = info",
            "rootLogger.appenderRef.stdout.ref = STDOUT",
            "logger.state.name = state.change.logger",
            "logger.state.level = warn",
            "logger.controller.name = org.apache.kafka.controller",
            "logger.controller.level = warn",
            ""));
    if (!Files.exists(logDirs().resolve("meta.properties"))) {
      formatStorage();
    }
  }

  private void formatStorage() {
    long t0 = System.nanoTime();
    String clusterId = Uuid.randomUuid().toString();
    Path log = config.logDir().resolve("kafka-format.log");
    try {
      Files.createDirectories(config.logDir());
      Process p =
          new ProcessBuilder(
                  StackConfig.javaExecutable(),
                  "-Xmx256m",
                  "-Dlog4j2.configurationFile=" + conf().resolve("log4j2.properties"),
                  "-cp",
                  lib() + "/*",
                  "kafka.tools.StorageTool",
                  "format",
                  "-t",
                  clusterId,
                  "-c",
                  conf().resolve("server.properties").toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new StackException(
            "kafka: formatting the storage failed", "see " + log, Downloads.read(log));
      }
    } catch (java.io.IOException e) {
      throw new StackException(
          "kafka: cannot format storage: " + e.getMessage(), "check the data directory");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StackException("kafka: interrupted", "run `up` again");
    }
    console.step(
        "kafka",
        "formatted KRaft storage, cluster " + clusterId + " (" + Console.secondsSince(t0) + ")");
  }

  @Override
  public List<ManagedProcess> processes() {
    return List.of(process);
  }

  Admin admin() {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap());
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
    p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
    return Admin.create(p);
  }

  private boolean clusterAnswers() {
    if (ManagedProcess.portFree(config.host, config.kafkaPort)) {
      return false; // nothing listens: don't let the client retry for seconds
    }
    try (Admin a = admin()) {
      return !a.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty();
    } catch (Exception e) {
      return false;
    }
  }

  @Override
  public void afterStart() {
    long t0 = System.nanoTime();
    try (Admin a = admin()) {
      Set<String> existing = a.listTopics().names().get(10, TimeUnit.SECONDS);
      List<NewTopic> missing =
          config.kafkaTopics.stream()
              .filter(t -> !existing.contains(t))
              .map(t -> new NewTopic(t, config.kafkaPartitions, (short) 1))
              .toList();
      if (!missing.isEmpty()) {
        KafkaTopics.createAndAwait(a, missing, Duration.ofSeconds(30));
        console.step(
            "kafka",
            "created topics "
                + missing.stream().map(NewTopic::name).toList()
                + " with "
                + config.kafkaPartitions
                + " partitions ("
                + Console.secondsSince(t0)
                + ")");
      }
    } catch (Exception e) {
      throw new StackException(
          "kafka: cannot create the contract topics: " + e,
          "see " + process.logFile(),
          process.logTail(30));
    }
  }

  @Override
  public boolean ready() {
    try (Admin a = admin()) {
      return a.listTopics().names().get(5, TimeUnit.SECONDS).containsAll(config.kafkaTopics);
    } catch (Exception e) {
      return false;
    }
  }

  @Override
  public String address() {
    return "bootstrap "
        + config.kafkaBootstrap()
        + "  topics "
        + String.join(",", config.kafkaTopics);
  }
}
