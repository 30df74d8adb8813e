package io.touchpoint.streaming.sink;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;

import io.delta.tables.DeltaTable;
import io.touchpoint.model.LakeTables;
import io.touchpoint.model.spark.ContractRows;
import io.touchpoint.streaming.StreamingConfig;
import io.touchpoint.streaming.ops.BatchStats;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The speed-tables query's micro-batch sink ({@code foreachBatch}): the records of the {@code
 * attributions} and {@code attributed-events} topics into {@code speed/attributions} and {@code
 * speed/attributed_events}, off the latency path.
 *
 * <p>Exactly once: the query hands over each id once (the topics' copies of a replayed attribution
 * batch are de-duplicated upstream, StreamingJob#startSpeedTables), and each table gets an append
 * with {@code txnAppId} = app name + query id and {@code txnVersion} = the batch id, so a batch of
 * this query replayed after a crash is skipped by the tables it already committed to. An append
 * costs one write job and a commit; the insert-only MERGE it replaces joined the batch with the
 * table's partitions of the day on every batch (8-9 s per 15 s batch of ~300 rows here).
 *
 * <p>Except during a replay from the topics' beginning ({@link ReplayMark}): rows received before
 * the mark may be verdicts the tables already hold, sent again with new batch times, so they go by
 * that insert-only MERGE on id (idempotent by itself); later rows by the append.
 */
public final class SpeedTablesWriter implements VoidFunction2<Dataset<Row>, Long> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(SpeedTablesWriter.class);
  private static final String QUERY_ID_PROPERTY = "sql.streaming.queryId";

  private final StreamingConfig config;
  private final Instant replayMark;

  /**
   * @param replayMark rows received before it are merged by id, not appended; null: none
   */
  public SpeedTablesWriter(StreamingConfig config, Instant replayMark) {
    this.config = config;
    this.replayMark = replayMark;
  }

  @Override
  public void call(Dataset<Row> batch, Long batchIdBoxed) {
    long batchId = batchIdBoxed;
    long started = System.currentTimeMillis();
    SparkSession spark = batch.sparkSession();
    String queryId = spark.sparkContext().getLocalProperty(QUERY_ID_PROPERTY);
    String txnAppId = config.appName + "-speed-" + (queryId == null ? "adhoc" : queryId);
    Dataset<Row> rows = batch.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      long attributions = 0;
      long events = 0;
      for (Row r : rows.groupBy("topic").count().collectAsList()) {
        if (config.attributionsTopic.equals(r.getString(0))) {
          attributions = r.getLong(1);
        } else if (config.attributedEventsTopic.equals(r.getString(0))) {
          events = r.getLong(1);
        }
      }
      List<BatchWriter.Write> writes = new ArrayList<>();
      if (attributions > 0) {
        writes.add(
            new BatchWriter.Write(
                "speed_attributions",
                () ->
                    write(
                        values(rows, config.attributionsTopic)
                            .map(
                                (MapFunction<byte[], Row>) LakeRows::attribution,
                                ContractRows.encoder(LakeRows.ATTRIBUTIONS)),
                        LakeTables.SPEED_ATTRIBUTIONS,
                        "attribution_id",
                        txnAppId,
                        batchId)));
      }
      if (events > 0) {
        writes.add(
            new BatchWriter.Write(
                "speed_attributed_events",
                () ->
                    write(
                        values(rows, config.attributedEventsTopic)
                            .map(
                                (MapFunction<byte[], Row>) LakeRows::attributedEvent,
                                ContractRows.encoder(LakeRows.ATTRIBUTED_EVENTS)),
                        LakeTables.SPEED_ATTRIBUTED_EVENTS,
                        "event_id",
                        txnAppId,
                        batchId)));
      }
      String timings = BatchWriter.runAll(writes, config.sinkParallelism);
      long took = System.currentTimeMillis() - started;
      LOG.info(
          "speed-tables batch {} {} ms: attributions={} attributed_events={}{}",
          batchId,
          took,
          attributions,
          events,
          timings);
      if (queryId != null) {
        BatchStats.put(
            queryId, batchId, new BatchStats.Counts(0, 0, attributions, events, 0, took));
      }
    } finally {
      rows.unpersist();
    }
  }

  /** The append of one table's rows; with a replay mark, older rows by insert-only MERGE. */
  private void write(Dataset<Row> rows, String table, String id, String txnAppId, long batchId) {
    String path = config.table(table);
    if (replayMark == null) {
      BatchWriter.append(rows, 1, path, LakeTables.EVENT_DATE, txnAppId, batchId);
      return;
    }
    Column replayed = col("received_at").lt(lit(Timestamp.from(replayMark)));
    Dataset<Row> cached = rows.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      long older = cached.filter(replayed).count();
      if (older > 0) {
        insertNew(cached.filter(replayed), path, id, txnAppId + "-replay", batchId);
      }
      if (older < cached.count()) {
        BatchWriter.append(
            cached.filter(not(replayed)), 1, path, LakeTables.EVENT_DATE, txnAppId, batchId);
      }
    } finally {
      cached.unpersist();
    }
  }

  /**
   * Inserts the rows whose id the table does not hold (one row per id: copies are identical): a
   * Delta MERGE on the id, limited to the rows' {@code event_date} partitions (an id always has the
   * same date). Idempotent: a replayed batch inserts nothing twice. The table's very first write is
   * an append.
   */
  private static void insertNew(
      Dataset<Row> replayed, String path, String id, String txnAppId, long batchId) {
    SparkSession spark = replayed.sparkSession();
    Dataset<Row> rows = replayed.dropDuplicates(id);
    if (!DeltaTable.isDeltaTable(spark, path)) {
      BatchWriter.append(rows, 1, path, LakeTables.EVENT_DATE, txnAppId, batchId);
      return;
    }
    String date = LakeTables.EVENT_DATE;
    String dates =
        rows.select(date).distinct().collectAsList().stream()
            .map(r -> "DATE'" + r.getDate(0) + "'")
            .collect(Collectors.joining(", "));
    DeltaTable.forPath(spark, path)
        .as("t")
        .merge(
            rows.coalesce(1).as("s"),
            "t."
                + date
                + " IN ("
                + dates
                + ") AND t."
                + date
                + " = s."
                + date
                + " AND t."
                + id
                + " = s."
                + id)
        .whenNotMatched()
        .insertAll()
        .execute();
  }

  private static Dataset<byte[]> values(Dataset<Row> rows, String topic) {
    return rows.filter(col("topic").equalTo(topic))
        .select(col("value"))
        .as(org.apache.spark.sql.Encoders.BINARY());
  }
}
