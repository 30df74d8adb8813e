package io.touchpoint.streaming.sink;

import static org.apache.spark.sql.functions.col;

import io.delta.tables.DeltaTable;
import io.touchpoint.model.LakeTables;
import io.touchpoint.model.spark.ContractRows;
import io.touchpoint.streaming.StreamingConfig;
import io.touchpoint.streaming.ops.BatchStats;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.api.java.function.VoidFunction2;
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
 * <p>Exactly once: the topics are at least once (a replayed attribution batch re-sends the same
 * keys with identical values), so each table gets only the ids it does not hold yet: an insert-only
 * Delta MERGE on the id, limited to the batch's {@code event_date} partitions (an id always has the
 * same date). A replayed batch of this query inserts nothing twice for the same reason. The very
 * first write of a table (no table yet) is an append with {@code txnAppId}/{@code txnVersion}.
 */
public final class SpeedTablesWriter implements VoidFunction2<Dataset<Row>, Long> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(SpeedTablesWriter.class);
  private static final String QUERY_ID_PROPERTY = "sql.streaming.queryId";

  private final StreamingConfig config;

  public SpeedTablesWriter(StreamingConfig config) {
    this.config = config;
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
                    upsert(
                        spark,
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
                    upsert(
                        spark,
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

  private static Dataset<byte[]> values(Dataset<Row> rows, String topic) {
    return rows.filter(col("topic").equalTo(topic))
        .select(col("value"))
        .as(org.apache.spark.sql.Encoders.BINARY());
  }

  /**
   * Inserts the rows whose id the table does not hold (one row per id: topic copies are identical).
   */
  private void upsert(
      SparkSession spark,
      Dataset<Row> rows,
      String table,
      String id,
      String txnAppId,
      long batchId) {
    String path = config.table(table);
    Dataset<Row> source = rows.dropDuplicates(id).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      if (!DeltaTable.isDeltaTable(spark, path)) {
        BatchWriter.append(source, 1, path, LakeTables.EVENT_DATE, txnAppId, batchId);
        return;
      }
      String dates =
          source.select(LakeTables.EVENT_DATE).distinct().collectAsList().stream()
              .map(r -> "DATE'" + r.getDate(0) + "'")
              .collect(Collectors.joining(", "));
      String date = LakeTables.EVENT_DATE;
      DeltaTable.forPath(spark, path)
          .as("t")
          .merge(
              source.coalesce(1).as("s"),
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
    } finally {
      source.unpersist();
    }
  }
}
