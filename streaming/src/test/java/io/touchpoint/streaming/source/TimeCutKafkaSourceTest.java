package io.touchpoint.streaming.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.touchpoint.local.Service;
import io.touchpoint.local.test.EmbeddedStack;
import io.touchpoint.local.test.StackHandle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TimeCutKafkaSource} in a real query on the embedded broker: two topics whose backlogs have
 * different shapes over time (one holds days of history before its recent records), read with a cap
 * in several micro-batches and across a restart from the checkpoint.
 */
@EmbeddedStack(services = {Service.KAFKA})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TimeCutKafkaSourceTest {
  static final long HOUR = 3_600_000L;
  static final int CAP = 400;

  /** Rows seen by the queries' batches: query label, batch id, topic, partition, offset, ts. */
  static final ConcurrentLinkedQueue<Object[]> SEEN = new ConcurrentLinkedQueue<>();

  SparkSession spark;
  StackHandle stack;
  String recent;
  String history;
  long base;

  @BeforeAll
  void produce(StackHandle stack) {
    this.stack = stack;
    recent = stack.newTopic("cut-recent", 3);
    history = stack.newTopic("cut-history", 2);
    // in the past (a broker refuses timestamps too far ahead), the newest an hour ago
    base = System.currentTimeMillis() - 73 * HOUR;
    // "recent": 3 x 300 records over the last of the three days; "history": 2 x 100 records
    // over the first two days, then 2 x 50 over the last one
    produce(recent, 3, 300, base + 48 * HOUR, 24 * HOUR);
    produce(history, 2, 100, base, 48 * HOUR);
    produce(history, 2, 50, base + 48 * HOUR, 24 * HOUR);
    spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("time-cut-test")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .getOrCreate();
  }

  @AfterAll
  void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  void produce(String topic, int partitions, int perPartition, long from, long span) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < perPartition; i++) {
        long ts = from + i * (span / perPartition);
        for (int part = 0; part < partitions; part++) {
          producer.send(new ProducerRecord<>(topic, part, ts + part, null, new byte[] {1}));
        }
      }
      producer.flush();
    }
  }

  /** Runs the query until caught up (Trigger.AvailableNow) and returns its batches' rows. */
  List<Object[]> runUntilCaughtUp(String label, String format, Path checkpoint) throws Exception {
    Dataset<Row> in =
        spark
            .readStream()
            .format(format)
            .option("kafka.bootstrap.servers", stack.kafkaBootstrap())
            .option("subscribe", recent + "," + history)
            .option("startingOffsets", "earliest")
            .option("maxOffsetsPerTrigger", CAP)
            .load()
            .selectExpr("topic", "partition", "offset", "unix_millis(timestamp) AS ts");
    in.writeStream()
        .option("checkpointLocation", checkpoint.toString())
        .trigger(Trigger.AvailableNow())
        .foreachBatch(
            (VoidFunction2<Dataset<Row>, Long>)
                (batch, id) -> {
                  for (Row r : batch.collectAsList()) {
                    SEEN.add(
                        new Object[] {
                          label, id, r.getString(0), r.getInt(1), r.getLong(2), r.getLong(3)
                        });
                  }
                })
        .start()
        .awaitTermination();
    List<Object[]> rows = new ArrayList<>();
    SEEN.stream().filter(r -> r[0].equals(label)).forEach(rows::add);
    return rows;
  }

  /** Per batch id: {newest timestamp read, rows}. */
  static TreeMap<Long, long[]> batches(List<Object[]> rows) {
    TreeMap<Long, long[]> byBatch = new TreeMap<>();
    for (Object[] r : rows) {
      long[] b = byBatch.computeIfAbsent((Long) r[1], id -> new long[] {Long.MIN_VALUE, 0});
      b[0] = Math.max(b[0], (Long) r[5]);
      b[1]++;
    }
    return byBatch;
  }

  /** True when some row of a later batch is older than a row of an earlier one. */
  static boolean anOlderRecordCameLater(List<Object[]> rows) {
    TreeMap<Long, long[]> byBatch = batches(rows);
    for (Object[] r : rows) {
      for (Map.Entry<Long, long[]> earlier : byBatch.headMap((Long) r[1]).entrySet()) {
        if (earlier.getValue()[0] > (Long) r[5]) {
          return true;
        }
      }
    }
    return false;
  }

  @Test
  void aCappedBacklogIsReadInBatchesThatEachEndAtOneTimeOnEveryPartition(@TempDir Path dir)
      throws Exception {
    List<Object[]> first = runUntilCaughtUp("cut", TimeCutKafkaSource.class.getName(), dir);
    assertThat(first).hasSize(3 * 300 + 2 * 150);
    assertThat(batches(first)).hasSizeGreaterThanOrEqualTo(3);
    assertThat(batches(first).values()).allSatisfy(b -> assertThat(b[1]).isBetween(1L, (long) CAP));
    assertThat(anOlderRecordCameLater(first)).isFalse();

    // more records, and a restart from the checkpoint: no record twice, none lost
    produce(recent, 3, 200, base + 72 * HOUR, HOUR / 2);
    List<Object[]> all = runUntilCaughtUp("cut", TimeCutKafkaSource.class.getName(), dir);
    Set<String> ids = new HashSet<>();
    for (Object[] r : all) {
      assertThat(ids.add(r[2] + "/" + r[3] + "/" + r[4])).as("read once: %s", ids).isTrue();
    }
    assertThat(ids).hasSize(3 * 500 + 2 * 150);
    assertThat(anOlderRecordCameLater(all)).isFalse();
  }

  @Test
  void sparksOwnCapOnTheSameBacklogReadsOlderRecordsInLaterBatches(@TempDir Path dir)
      throws Exception {
    // the data above does tell the cuts apart: the same fraction of every partition is not the
    // same time
    List<Object[]> plain = runUntilCaughtUp("plain", "kafka", dir);
    assertThat(plain).hasSizeGreaterThanOrEqualTo(3 * 300 + 2 * 150);
    assertThat(anOlderRecordCameLater(plain)).isTrue();
  }
}
