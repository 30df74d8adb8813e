package io.touchpoint.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import io.touchpoint.local.Service;
import io.touchpoint.local.test.EmbeddedStack;
import io.touchpoint.local.test.StackHandle;
import io.touchpoint.model.AttributedEvent;
import io.touchpoint.model.Attribution;
import io.touchpoint.model.LakeTables;
import io.touchpoint.model.json.ContractJson;
import io.touchpoint.model.spark.ContractRows;
import io.touchpoint.simulator.SimulationParams;
import io.touchpoint.streaming.sink.LakeRows;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly once across a crash: the job runs as a child JVM over a scenario already in Kafka, is
 * SIGKILLed in the middle of a micro-batch (after some of that batch's Delta tables committed), and
 * is restarted from its checkpoint. Its final tables must equal those of an uninterrupted run over
 * the same topics with the same batch sizes: same rows, no row missing, none twice.
 */
@Tag("heavy")
@EmbeddedStack(services = {Service.KAFKA, Service.S3})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SpeedLayerRecoveryTest {
  static final int DEVICES = 400;
  static final int DAYS = 2;
  static final int BATCHES = 3;

  SparkSession spark;
  StackFixture fx;
  SimulatedRun sim;
  StreamingConfig reference;
  StreamingConfig killed;
  List<String> killedArgs;
  Path logs;
  String refOutputs;

  @BeforeAll
  void setUp(StackHandle stack, @TempDir Path simDir) throws Exception {
    logs =
        Files.createDirectories(
            Path.of(System.getProperty("tp.target", "target"), "recovery-logs"));
    sim =
        SimulatedRun.simulate(
            simDir,
            SimulationParams.defaults().withSize(DEVICES, DAYS).withShares(0.01, 0.02, 0.01));
    spark = StackFixture.spark(stack);
    fx = new StackFixture(stack, "recovery");
    SimulatedRun.produce(stack.kafkaBootstrap(), fx.topicMap(), sim.records);
    String perBatch = "kafka.max-offsets-per-trigger=" + (sim.records.size() / BATCHES + 1);
    // the speed tables are written by the query that reads the output topics: several batches
    // there too (the outputs: a verdict per candidate, a credited event per in-app event)
    long outputs =
        sim.truth.size()
            + sim.events.values().stream()
                .filter(e -> e instanceof io.touchpoint.model.InAppEvent)
                .count();
    String speedPerBatch = "speed-tables.max-offsets-per-trigger=" + (outputs / BATCHES + 1);
    List<String> ref = new ArrayList<>(fx.overrides("reference", sim.rulesOverlay().toString()));
    ref.add(perBatch);
    ref.add(speedPerBatch);
    ref.add("lake.root=s3a://" + fx.bucket + "/reference");
    ref.add("kafka.topics.attributions=" + stack.newTopic("recovery-ref-attributions"));
    ref.add("kafka.topics.attributed-events=" + stack.newTopic("recovery-ref-attributed-events"));
    ref.add("kafka.topics.dead-letter=" + stack.newTopic("recovery-ref-dead-letter"));
    reference = StreamingConfig.load(null, ref);
    killedArgs = new ArrayList<>(fx.overrides("killed", sim.rulesOverlay().toString()));
    killedArgs.add(perBatch);
    killedArgs.add(speedPerBatch);
    killedArgs.add("lake.root=s3a://" + fx.bucket + "/killed");
    killedArgs.add("spark.master=local[2]");
    killedArgs.add("spark.sql.shuffle.partitions=4");
    killedArgs.add("spark.databricks.delta.snapshotPartitions=2");
    killedArgs.add("spark.driver.host=127.0.0.1");
    killedArgs.add("spark.driver.bindAddress=127.0.0.1");
    killed = StreamingConfig.load(null, killedArgs);
  }

  @AfterAll
  void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  @Test
  void sigkillMidBatchThenRestartEqualsAnUninterruptedRun() throws Exception {
    // 1. the child JVM, killed while a batch is half written
    Process first = child("run1");
    long killedInBatch = killMidBatch(first);
    // 2. restarted from the checkpoint, to the end
    Process second = child("run2");
    assertThat(second.waitFor(8, TimeUnit.MINUTES)).as("restarted run finished").isTrue();
    assertThat(second.exitValue()).as("restarted run exit code (see %s)", logs).isZero();
    String restartLog = Files.readString(logs.resolve("run2.log"));
    assertThat(restartLog)
        .as("the restart replays the batch in flight")
        .contains(
            "query="
                + killed.appName
                + StreamingJob.SPEED_TABLES_SUFFIX
                + " batch="
                + killedInBatch
                + " ");

    // 3. the reference: same topics and batch sizes, never interrupted (in this JVM)
    assertThat(StreamingJob.run(spark, reference, StreamingJob.RunOptions.caughtUp())).isZero();

    // 4. the same tables, row for row
    List<Attribution> refAttributions = attributions(reference);
    List<Attribution> gotAttributions = attributions(killed);
    assertThat(ids(gotAttributions.stream().map(Attribution::attributionId).toList()))
        .hasSize(gotAttributions.size());
    assertThat(new HashSet<>(gotAttributions)).isEqualTo(new HashSet<>(refAttributions));
    assertThat(gotAttributions).hasSize(sim.truth.size());

    List<AttributedEvent> refEvents = attributedEvents(reference);
    List<AttributedEvent> gotEvents = attributedEvents(killed);
    assertThat(ids(gotEvents.stream().map(AttributedEvent::eventId).toList()))
        .hasSize(gotEvents.size());
    assertThat(new HashSet<>(gotEvents)).isEqualTo(new HashSet<>(refEvents));

    for (String table :
        List.of(
            LakeTables.BRONZE_TOUCHPOINTS, LakeTables.BRONZE_APP_EVENTS, LakeTables.QUARANTINE)) {
      List<String> ref = positions(reference, table);
      List<String> got = positions(killed, table);
      assertThat(ids(got)).as(table + ": each Kafka record once").hasSize(got.size());
      assertThat(new HashSet<>(got)).as(table).isEqualTo(new HashSet<>(ref));
    }
    assertThat(
            positions(killed, LakeTables.BRONZE_TOUCHPOINTS).size()
                + positions(killed, LakeTables.BRONZE_APP_EVENTS).size())
        .isEqualTo(sim.validRecords());

    // the topic: at least once, every verdict there, replays identical to the first write
    Map<String, Attribution> topic = new HashMap<>();
    fx.readTopic(fx.attributions)
        .forEach(
            r -> {
              Attribution a = ContractJson.fromJson(r.value(), Attribution.class);
              Attribution before = topic.putIfAbsent(new String(r.key()), a);
              assertThat(before == null || before.equals(a)).isTrue();
            });
    assertThat(new HashSet<>(topic.values())).isEqualTo(new HashSet<>(refAttributions));
  }

  @Test
  void sigtermStopsTheStreamAfterTheBatchInFlight() throws Exception {
    List<String> args = new ArrayList<>(killedArgs);
    args.add("lake.root=s3a://" + fx.bucket + "/sigterm");
    args.add("checkpoint=s3a://" + fx.bucket + "/checkpoints/sigterm");
    args.add("trigger-interval=1s");
    StreamingConfig c = StreamingConfig.load(null, args);
    Process p = child("sigterm", args, false);
    FileSystem fs =
        FileSystem.get(new java.net.URI(c.checkpoint), spark.sparkContext().hadoopConfiguration());
    List<String> checkpoints = List.of(c.checkpoint, c.ingestCheckpoint, c.speedTablesCheckpoint);
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (minBatchesPlanned(fs, checkpoints) < 1 && System.nanoTime() < deadline) {
      assertThat(p.isAlive()).as("child still running (see %s)", logs).isTrue();
      Thread.sleep(100);
    }
    assertThat(minBatchesPlanned(fs, checkpoints))
        .as("every query started a batch before the SIGTERM (see %s)", logs)
        .isPositive();
    Map<String, Long> plannedAtSigterm = new HashMap<>();
    for (String checkpoint : checkpoints) {
      plannedAtSigterm.put(
          checkpoint, count(fs, new org.apache.hadoop.fs.Path(checkpoint + "/offsets")));
    }
    p.destroy(); // SIGTERM
    assertThat(p.waitFor(4, TimeUnit.MINUTES)).as("stopped within the grace period").isTrue();
    String log = Files.readString(logs.resolve("sigterm.log"));
    assertThat(log).contains("SIGTERM: stopping after the batch in flight");
    for (String checkpoint : checkpoints) {
      long planned = count(fs, new org.apache.hadoop.fs.Path(checkpoint + "/offsets"));
      long committed = count(fs, new org.apache.hadoop.fs.Path(checkpoint + "/commits"));
      assertThat(committed).as("%s: at least one batch committed", checkpoint).isPositive();
      // every batch planned when the signal came finished and committed
      assertThat(committed)
          .as("%s: the batches in flight at SIGTERM committed", checkpoint)
          .isGreaterThanOrEqualTo(plannedAtSigterm.get(checkpoint));
      // a query running back to back may have begun its next batch when the stop lands: at most
      // that one is interrupted (the restart replays it with the same offsets)
      assertThat(planned - committed)
          .as("%s: at most the batch begun at the stop is left to replay", checkpoint)
          .isBetween(0L, 1L);
    }
  }

  /**
   * Waits for a batch (not the first) of the speed-tables query (the one writing the speed tables)
   * to have committed one of its Delta writes (speed/attributions), then SIGKILLs: the other write,
   * the batch's commit and the ingest query's batch in flight are left to the restart.
   */
  private long killMidBatch(Process p) throws Exception {
    FileSystem fs =
        FileSystem.get(
            new java.net.URI(killed.speedTablesCheckpoint),
            spark.sparkContext().hadoopConfiguration());
    org.apache.hadoop.fs.Path offsets =
        new org.apache.hadoop.fs.Path(killed.speedTablesCheckpoint + "/offsets");
    org.apache.hadoop.fs.Path speedLog =
        new org.apache.hadoop.fs.Path(killed.table(LakeTables.SPEED_ATTRIBUTIONS) + "/_delta_log");
    long deadline = System.nanoTime() + Duration.ofMinutes(6).toNanos();
    int speedVersionsAtStart = -1;
    long inFlight = -1;
    while (System.nanoTime() < deadline) {
      assertThat(p.isAlive()).as("child still running (see %s)", logs).isTrue();
      long planned = count(fs, offsets);
      if (planned >= 2) {
        if (inFlight < 0) {
          inFlight = planned - 1;
          speedVersionsAtStart = jsonVersions(fs, speedLog);
        } else if (planned - 1 > inFlight) {
          // the batch ended before we saw a write: aim at the next one
          inFlight = planned - 1;
          speedVersionsAtStart = jsonVersions(fs, speedLog);
        } else if (jsonVersions(fs, speedLog) > speedVersionsAtStart) {
          p.destroyForcibly(); // SIGKILL
          p.waitFor();
          System.out.printf(
              "SIGKILLed the stream in batch %d after speed/attributions committed%n", inFlight);
          return inFlight;
        }
      }
      Thread.sleep(100);
    }
    p.destroyForcibly();
    throw new AssertionError("never caught a batch mid-write");
  }

  private static long minBatchesPlanned(FileSystem fs, List<String> checkpoints) throws Exception {
    long min = Long.MAX_VALUE;
    for (String checkpoint : checkpoints) {
      min = Math.min(min, count(fs, new org.apache.hadoop.fs.Path(checkpoint + "/offsets")));
    }
    return min;
  }

  private static long count(FileSystem fs, org.apache.hadoop.fs.Path dir) throws Exception {
    if (!fs.exists(dir)) {
      return 0;
    }
    return java.util.Arrays.stream(fs.listStatus(dir))
        .filter(s -> s.getPath().getName().matches("\\d+"))
        .count();
  }

  private static int jsonVersions(FileSystem fs, org.apache.hadoop.fs.Path log) throws Exception {
    if (!fs.exists(log)) {
      return 0;
    }
    return (int)
        java.util.Arrays.stream(fs.listStatus(log))
            .filter(s -> s.getPath().getName().endsWith(".json"))
            .count();
  }

  private Process child(String name) throws Exception {
    return child(name, killedArgs, true);
  }

  private Process child(String name, List<String> args, boolean untilCaughtUp) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx1500m");
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("--add-opens")
          || arg.startsWith("-Djdk.reflect")
          || arg.startsWith("-Dio.netty")) {
        cmd.add(arg);
      }
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(StreamingJob.class.getName());
    if (untilCaughtUp) {
      cmd.add("--until-caught-up");
    }
    for (String o : args) {
      cmd.add("--conf");
      cmd.add(o);
    }
    File log = logs.resolve(name + ".log").toFile();
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
  }

  private List<Attribution> attributions(StreamingConfig c) {
    return spark
        .read()
        .format("delta")
        .load(c.table(LakeTables.SPEED_ATTRIBUTIONS))
        .collectAsList()
        .stream()
        .map(ContractRows::attribution)
        .toList();
  }

  private List<AttributedEvent> attributedEvents(StreamingConfig c) {
    return spark
        .read()
        .format("delta")
        .load(c.table(LakeTables.SPEED_ATTRIBUTED_EVENTS))
        .collectAsList()
        .stream()
        .map(ContractRows::attributedEvent)
        .toList();
  }

  /** Each row's source position (topic/partition/offset). */
  private List<String> positions(StreamingConfig c, String table) {
    Dataset<Row> t = spark.read().format("delta").load(c.table(table));
    return t
        .select(LakeRows.KAFKA_TOPIC, LakeRows.KAFKA_PARTITION, LakeRows.KAFKA_OFFSET)
        .collectAsList()
        .stream()
        .map(r -> r.getString(0) + "/" + r.getInt(1) + "/" + r.getLong(2))
        .toList();
  }

  private static Set<String> ids(List<String> ids) {
    return ids.stream().collect(Collectors.toSet());
  }
}
