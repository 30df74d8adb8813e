package io.touchpoint.local;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Druid 33.0.0 as a small multi-process cluster from Maven Central jars: ZooKeeper (from the same
 * classpath), coordinator acting as overlord (hosting the Derby metadata store), broker,
 * historical, indexer (tasks in-process, no peon JVMs) and router. Deep storage is the lake bucket
 * on S3Proxy; extensions: Kafka indexing service and S3.
 */
final class DruidComponent implements Component {

  /** Java 17 flags Druid needs (from the Druid docs for Java 17). */
  private static final List<String> JAVA17_FLAGS =
      List.of(
          "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
          "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
          "--add-opens=java.base/java.nio=ALL-UNNAMED",
          "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
          "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
          "--add-opens=java.base/java.io=ALL-UNNAMED",
          "--add-opens=java.base/java.lang=ALL-UNNAMED",
          "--add-opens=jdk.management/com.sun.management.internal=ALL-UNNAMED");

  private static final String KAFKA_EXT = "druid-kafka-indexing-service";
  private static final String S3_EXT = "druid-s3-extensions";

  private final StackConfig config;
  private final Downloads downloads;
  private final List<ManagedProcess> processes = new ArrayList<>();

  DruidComponent(StackConfig config, Downloads downloads) {
    this.config = config;
    this.downloads = downloads;
    processes.add(
        new ManagedProcess(
            config,
            "druid-zookeeper",
            zookeeperCommand(),
            home().resolve("zk"),
            Map.of(),
            Map.of("zookeeper", config.druidZookeeperPort),
            this::zookeeperOk));
    processes.add(
        druid(
            "coordinator",
            config.druidCoordinatorPort,
            config.druidCoordinatorHeap,
            "128m",
            Map.of("derby", config.druidDerbyPort)));
    processes.add(
        druid("broker", config.druidBrokerPort, config.druidBrokerHeap, "192m", Map.of()));
    processes.add(
        druid(
            "historical",
            config.druidHistoricalPort,
            config.druidHistoricalHeap,
            "192m",
            Map.of()));
    processes.add(
        druid("indexer", config.druidIndexerPort, config.druidIndexerHeap, "256m", Map.of()));
    processes.add(druid("router", config.druidRouterPort, config.druidRouterHeap, "64m", Map.of()));
  }

  @Override
  public Service service() {
    return Service.DRUID;
  }

  private Path home() {
    return config.dataDir.resolve("druid");
  }

  private Path lib() {
    return config.libDir().resolve("druid");
  }

  private Path extensions() {
    return config.libDir().resolve("druid-extensions");
  }

  private Path conf() {
    return config.confDir().resolve("druid");
  }

  private List<String> zookeeperCommand() {
    return List.of(
        StackConfig.javaExecutable(),
        "-Xms" + config.druidZookeeperHeap,
        "-Xmx" + config.druidZookeeperHeap,
        "-XX:+UseSerialGC",
        "-XX:+ExitOnOutOfMemoryError",
        "-Dzookeeper.admin.enableServer=false",
        "-Dzookeeper.4lw.commands.whitelist=ruok,stat",
        "-Dlog4j.configurationFile=" + conf().resolve("_common/log4j2.xml"),
        "-cp",
        lib() + "/*",
        "org.apache.zookeeper.server.ZooKeeperServerMain",
        conf().resolve("zk/zoo.cfg").toString());
  }

  private ManagedProcess druid(
      String role, int port, String heap, String direct, Map<String, Integer> extraPorts) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                StackConfig.javaExecutable(),
                "-server",
                "-Xms" + heap,
                "-Xmx" + heap,
                "-XX:MaxDirectMemorySize=" + direct,
                "-XX:+UseSerialGC",
                "-XX:+ExitOnOutOfMemoryError",
                "-Duser.timezone=UTC",
                "-Dfile.encoding=UTF-8",
                "-Djava.net.preferIPv4Stack=true",
                "-Djava.io.tmpdir=" + home().resolve("tmp"),
                "-Djava.util.logging.manager=org.apache.logging.log4j.jul.LogManager",
                "-Dlog4j.configurationFile=" + conf().resolve("_common/log4j2.xml"),
                "-Daws.region=" + config.s3Region,
                "-Dderby.system.home=" + home().resolve("derby"),
                "-Dderby.stream.error.file=" + config.logDir().resolve("druid-derby.log")));
    cmd.addAll(JAVA17_FLAGS);
    cmd.addAll(
        List.of(
            "-cp",
            conf().resolve(role) + ":" + conf().resolve("_common") + ":" + lib() + "/*",
            "org.apache.druid.cli.Main",
            "server",
            role));
    Map<String, Integer> ports = new java.util.LinkedHashMap<>();
    ports.put(role, port);
    ports.putAll(extraPorts);
    return new ManagedProcess(
        config,
        "druid-" + role,
        cmd,
        home().resolve("work"),
        Map.of(),
        ports,
        () -> Http.ok("http://" + config.host + ":" + port + "/status/health"));
  }

  private boolean zookeeperOk() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(config.host, config.druidZookeeperPort), 1000);
      s.setSoTimeout(2000);
      OutputStream o = s.getOutputStream();
      o.write("ruok".getBytes(StandardCharsets.US_ASCII));
      o.flush();
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)
          .startsWith("imok");
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void prepare() {
    Path engines = config.repoRoot.resolve("local/engines/druid");
    Path settings = engines.resolve("settings.xml");
    downloads.mavenJars("druid", engines.resolve("pom.xml"), settings, lib());
    downloads.mavenJars(
        "druid-kafka-ext",
        engines.resolve("kafka-indexing/pom.xml"),
        settings,
        extensions().resolve(KAFKA_EXT));
    downloads.mavenJars(
        "druid-s3-ext", engines.resolve("s3/pom.xml"), settings, extensions().resolve(S3_EXT));
    writeConfig();
  }

  private void writeConfig() {
    String h = config.host;
    Downloads.write(
        conf().resolve("zk/zoo.cfg"),
        lines(
            "tickTime=2000",
            "initLimit=10",
            "syncLimit=5",
            "dataDir=" + home().resolve("zk"),
            "clientPort=" + config.druidZookeeperPort,
            "clientPortAddress=" + h,
            "maxClientCnxns=60",
            "admin.enableServer=false",
            "4lw.commands.whitelist=ruok,stat"));
    Downloads.write(
        conf().resolve("_common/log4j2.xml"),
        """
                <?xml version="1.0" encoding="UTF-8" ?>
                <Configuration status="WARN">
                  <Appenders>
                    <Console name="Console" target="SYSTEM_OUT">
                      <PatternLayout pattern="%d{ISO8601} %p [%t] %c - %m%n"/>
                    </Console>
                  </Appenders>
                  <Loggers>
                    <Root level="info"><AppenderRef ref="Console"/></Root>
                    <Logger name="org.apache.druid.jetty.RequestLog" additivity="false" level="warn">
                      <AppenderRef ref="Console"/>
                    </Logger>
                    <Logger name="org.apache.zookeeper" level="warn"/>
                    <Logger name="org.apache.curator" level="warn"/>
                    <Logger name="org.apache.kafka" level="warn"/>
                  </Loggers>
                </Configuration>
                """);
    String s3Endpoint = config.s3Endpoint();
    Downloads.write(
        conf().resolve("_common/common.runtime.properties"),
        lines(
            "druid.extensions.directory=" + extensions(),
            "druid.extensions.loadList=[\"" + KAFKA_EXT + "\", \"" + S3_EXT + "\"]",
            "druid.host=" + h,
            "druid.startup.logging.logProperties=false",
            "druid.zk.service.host=" + h + ":" + config.druidZookeeperPort,
            "druid.zk.paths.base=/druid",
            "druid.metadata.storage.type=derby",
            "druid.metadata.storage.connector.connectURI=jdbc:derby://"
                + h
                + ":"
                + config.druidDerbyPort
                + "/metadata;create=true",
            "druid.metadata.storage.connector.host=" + h,
            "druid.metadata.storage.connector.port=" + config.druidDerbyPort,
            "druid.storage.type=s3",
            "druid.storage.bucket=" + config.s3Bucket,
            "druid.storage.baseKey=" + config.druidDeepStorageKey,
            "druid.storage.disableAcl=true",
            "druid.s3.accessKey=" + config.s3AccessKey,
            "druid.s3.secretKey=" + config.s3SecretKey,
            "druid.s3.endpoint.url=" + s3Endpoint,
            "druid.s3.endpoint.signingRegion=" + config.s3Region,
            "druid.s3.enablePathStyleAccess=true",
            "druid.s3.protocol=http",
            "druid.indexer.logs.type=file",
            "druid.indexer.logs.directory=" + home().resolve("indexing-logs"),
            "druid.selectors.indexing.serviceName=druid/overlord",
            "druid.selectors.coordinator.serviceName=druid/coordinator",
            "druid.monitoring.monitors=[]",
            "druid.emitter=noop",
            "druid.indexing.doubleStorage=double",
            "druid.server.hiddenProperties=[\"druid.s3.accessKey\",\"druid.s3.secretKey\"]",
            "druid.sql.enable=true",
            "druid.lookup.enableLookupSyncOnStartup=false",
            "druid.server.http.numThreads=8",
            "druid.processing.buffer.sizeBytes=32MiB",
            "druid.processing.numMergeBuffers=2",
            "druid.processing.numThreads=1",
            "druid.processing.tmpDir=" + home().resolve("tmp/processing")));
    Downloads.write(
        conf().resolve("coordinator/runtime.properties"),
        lines(
            "druid.service=druid/coordinator",
            "druid.plaintextPort=" + config.druidCoordinatorPort,
            "druid.coordinator.startDelay=PT5S",
            "druid.coordinator.period=PT5S",
            "druid.manager.segments.pollDuration=PT5S",
            "druid.coordinator.asOverlord.enabled=true",
            "druid.coordinator.asOverlord.overlordService=druid/overlord",
            "druid.indexer.queue.startDelay=PT1S",
            "druid.indexer.runner.type=remote",
            "druid.indexer.storage.type=metadata"));
    Downloads.write(
        conf().resolve("broker/runtime.properties"),
        lines(
            "druid.service=druid/broker",
            "druid.plaintextPort=" + config.druidBrokerPort,
            "druid.broker.http.numConnections=4",
            "druid.broker.http.maxQueuedBytes=5MiB",
            "druid.broker.cache.useCache=false",
            "druid.broker.cache.populateCache=false"));
    Downloads.write(
        conf().resolve("historical/runtime.properties"),
        lines(
            "druid.service=druid/historical",
            "druid.plaintextPort=" + config.druidHistoricalPort,
            "druid.segmentCache.locations=[{\"path\":\""
                + home().resolve("segment-cache")
                + "\",\"maxSize\":\"10GiB\"}]",
            "druid.historical.cache.useCache=false",
            "druid.historical.cache.populateCache=false"));
    Downloads.write(
        conf().resolve("indexer/runtime.properties"),
        lines(
            "druid.service=druid/indexer",
            "druid.plaintextPort=" + config.druidIndexerPort,
            "druid.worker.capacity=" + config.druidIndexerCapacity,
            "druid.worker.baseTaskDirs=[\"" + home().resolve("task") + "\"]",
            "druid.indexer.task.baseTaskDir=" + home().resolve("task"),
            "druid.indexer.task.restoreTasksOnRestart=true",
            // a published Kafka task asks the coordinator whether its segments were handed off
            // every minute by default, and keeps its lock on the day until then
            "druid.segment.handoff.pollDuration=PT2S"));
    Downloads.write(
        conf().resolve("router/runtime.properties"),
        lines(
            "druid.service=druid/router",
            "druid.plaintextPort=" + config.druidRouterPort,
            "druid.router.http.numConnections=8",
            "druid.router.http.readTimeout=PT5M",
            "druid.router.http.numMaxThreads=16",
            "druid.router.managementProxy.enabled=true"));
    Downloads.mkdirs(home().resolve("tmp/processing"));
    Downloads.mkdirs(home().resolve("derby"));
  }

  private static String lines(String... l) {
    return String.join("\n", l) + "\n";
  }

  @Override
  public List<ManagedProcess> processes() {
    return processes;
  }

  /** The Druid services first (they deregister from ZooKeeper as they stop), ZooKeeper last. */
  @Override
  public List<List<ManagedProcess>> stopWaves() {
    return List.of(processes.subList(1, processes.size()), processes.subList(0, 1));
  }

  @Override
  public void afterStart() {
    // readiness (an indexer registered with the overlord, the broker's view initialized) is
    // waited for by the orchestrator through ready()
  }

  @Override
  public boolean ready() {
    Http.Response workers = Http.get(config.druidCoordinatorUrl() + "/druid/indexer/v1/workers");
    return workers.ok()
        && workers.body().contains("\"worker\"")
        && Http.ok(config.druidBrokerUrl() + "/druid/broker/v1/readiness")
        && Http.ok(config.druidRouterUrl() + "/status/health");
  }

  @Override
  public String address() {
    return "router "
        + config.druidRouterUrl()
        + "  broker "
        + config.druidBrokerUrl()
        + "  coordinator/overlord "
        + config.druidCoordinatorUrl();
  }
}
