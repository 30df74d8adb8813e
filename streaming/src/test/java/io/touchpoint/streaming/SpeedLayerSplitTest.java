package io.touchpoint.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import io.delta.tables.DeltaTable;
import io.touchpoint.local.Service;
import io.touchpoint.local.test.EmbeddedStack;
import io.touchpoint.local.test.StackHandle;
import io.touchpoint.model.LakeTables;
import io.touchpoint.model.Topics;
import io.touchpoint.simulator.SimulationParams;
import io.touchpoint.simulator.output.OutRecord;
import io.touchpoint.simulator.truth.TruthRecord;
import io.touchpoint.streaming.ops.CheckpointOffsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The layer as two applications ({@code queries = attribution}, {@code queries = lake}) on the real
 * stack: the first chunk of a simulated scenario (1 % malformed, 1 % duplicated) is run by the
 * attribution query alone, which must write the verdicts to the topics and no lake table, then by
 * the lake's queries alone, which must fill bronze, quarantine and the speed tables from the same
 * checkpoints' view; the second chunk by all three in one application on those checkpoints. At the
 * end every record is in the lake exactly once and every verdict once in the speed table. On the
 * way, {@link CheckpointOffsets} (how the bench follows a lake application from another JVM) must
 * read from the lake queries' checkpoints exactly what each has consumed.
 */
@EmbeddedStack(services = {Service.KAFKA, Service.S3})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SpeedLayerSplitTest {
  SparkSession spark;
  StackFixture fx;
  SimulatedRun sim;
  List<String> conf;

  @BeforeAll
  void setUp(StackHandle stack, @TempDir Path simDir) throws Exception {
    sim =
        SimulatedRun.simulate(
            simDir, SimulationParams.defaults().withSize(600, 2).withShares(0.01, 0.0, 0.01));
    spark = StackFixture.spark(stack);
    fx = new StackFixture(stack, "split");
    conf = fx.overrides("split", sim.rulesOverlay().toString());
  }

  @AfterAll
  void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  private int run(StreamingConfig.Queries queries) throws Exception {
    List<String> c = new ArrayList<>(conf);
    c.add("queries=" + queries.label());
    return StreamingJob.run(
        spark, StreamingConfig.load(null, c), StreamingJob.RunOptions.caughtUp());
  }

  @Test
  void twoApplicationsDoWhatOneDoesAndShareTheirCheckpoints() throws Exception {
    StreamingConfig config = StreamingConfig.load(null, conf);
    List<List<OutRecord>> chunks = sim.chunks(2);
    SimulatedRun.produce(fx.stack.kafkaBootstrap(), fx.topicMap(), chunks.get(0));

    assertThat(run(StreamingConfig.Queries.ATTRIBUTION)).isZero();
    assertThat(fx.readTopic(fx.attributions)).as("the latency path wrote verdicts").isNotEmpty();
    for (String table :
        List.of(
            LakeTables.BRONZE_TOUCHPOINTS,
            LakeTables.QUARANTINE,
            LakeTables.SPEED_ATTRIBUTIONS,
            LakeTables.SPEED_ATTRIBUTED_EVENTS)) {
      assertThat(DeltaTable.isDeltaTable(spark, config.table(table)))
          .as("the attribution application writes no %s", table)
          .isFalse();
    }

    CheckpointOffsets ingestRead = new CheckpointOffsets(spark, config.ingestCheckpoint);
    CheckpointOffsets speedTablesRead = new CheckpointOffsets(spark, config.speedTablesCheckpoint);
    assertThat(ingestRead.consumed()).as("no lake query has run").isZero();
    assertThat(run(StreamingConfig.Queries.LAKE)).isZero();
    assertThat(ingestRead.consumed())
        .as("the ingest checkpoint's last batch read the input topics to their end")
        .isEqualTo(fx.endOffsetSum(fx.touchpoints, fx.appEvents))
        .isPositive();
    assertThat(speedTablesRead.consumed())
        .as("the speed tables' checkpoint's last batch read the output topics to their end")
        .isEqualTo(fx.endOffsetSum(fx.attributions, fx.attributedEvents))
        .isPositive();
    assertThat(count(config, LakeTables.BRONZE_TOUCHPOINTS))
        .as("the lake application wrote the first chunk's touches")
        .isEqualTo(valid(chunks.get(0), Topics.TOUCHPOINTS));
    assertThat(ids(config, LakeTables.SPEED_ATTRIBUTIONS, "attribution_id"))
        .as("the lake application wrote the topic's verdicts")
        .isEqualTo(topicIds(fx.attributions));

    // the rest (chunks(2) may end with a short third chunk)
    for (List<OutRecord> rest : chunks.subList(1, chunks.size())) {
      SimulatedRun.produce(fx.stack.kafkaBootstrap(), fx.topicMap(), rest);
    }
    assertThat(run(StreamingConfig.Queries.ALL)).isZero();
    assertThat(ingestRead.consumed())
        .as("the same reader follows the checkpoint's later batches")
        .isEqualTo(fx.endOffsetSum(fx.touchpoints, fx.appEvents));
    assertThat(speedTablesRead.consumed())
        .isEqualTo(fx.endOffsetSum(fx.attributions, fx.attributedEvents));

    assertThat(count(config, LakeTables.BRONZE_TOUCHPOINTS))
        .isEqualTo(valid(sim.records, Topics.TOUCHPOINTS));
    assertThat(count(config, LakeTables.BRONZE_APP_EVENTS))
        .isEqualTo(valid(sim.records, Topics.APP_EVENTS));
    assertThat(count(config, LakeTables.QUARANTINE)).isEqualTo(sim.malformed.size());
    List<String> speed = idList(config, LakeTables.SPEED_ATTRIBUTIONS, "attribution_id");
    assertThat(speed).as("each verdict once").doesNotHaveDuplicates();
    assertThat(new HashSet<>(speed)).isEqualTo(topicIds(fx.attributions));
    Set<String> candidates =
        sim.truth.stream().map(TruthRecord::candidateEventId).collect(Collectors.toSet());
    assertThat(ids(config, LakeTables.SPEED_ATTRIBUTIONS, "candidate_event_id"))
        .as("one verdict per candidate of the whole scenario")
        .isEqualTo(candidates);
  }

  private static long valid(List<OutRecord> records, String topic) {
    return records.stream().filter(r -> !r.isMalformed() && topic.equals(r.topic())).count();
  }

  private long count(StreamingConfig config, String table) {
    return spark.read().format("delta").load(config.table(table)).count();
  }

  private List<String> idList(StreamingConfig config, String table, String column) {
    return spark
        .read()
        .format("delta")
        .load(config.table(table))
        .select(column)
        .as(Encoders.STRING())
        .collectAsList();
  }

  private Set<String> ids(StreamingConfig config, String table, String column) {
    return new HashSet<>(idList(config, table, column));
  }

  private Set<String> topicIds(String topic) {
    Set<String> keys = new HashSet<>();
    for (ConsumerRecord<byte[], byte[]> r : fx.readTopic(topic)) {
      keys.add(new String(r.key()));
    }
    return keys;
  }
}
