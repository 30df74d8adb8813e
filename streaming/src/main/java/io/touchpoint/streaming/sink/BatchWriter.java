package io.touchpoint.streaming.sink;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;

import io.touchpoint.model.LakeTables;
import io.touchpoint.streaming.StreamingConfig;
import io.touchpoint.streaming.ops.BatchStats;
import io.touchpoint.streaming.pipeline.IngestRouter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest query's micro-batch sink ({@code foreachBatch}). Materializes the batch once
 * (persisted), then writes concurrently: the {@code dead-letter} topic, bronze and quarantine. The
 * batch succeeds only when every write did; otherwise the query fails and the restart replays the
 * batch.
 *
 * <p>Exactly once into Delta: every append carries {@code txnAppId} = app name + the query id
 * (stable across restarts of one checkpoint, new for a new checkpoint) and {@code txnVersion} = the
 * batch id, so when a batch is replayed after a crash Delta skips the tables it already committed.
 * Kafka writes are at least once; their keys (the source position) are deterministic and a replayed
 * batch produces identical values, so consumers de-duplicate by key.
 */
public final class BatchWriter implements VoidFunction2<Dataset<Row>, Long> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(BatchWriter.class);
  private static final String QUERY_ID_PROPERTY = "sql.streaming.queryId";

  private final StreamingConfig config;

  public BatchWriter(StreamingConfig config) {
    this.config = config;
  }

  /** One write of the batch, named for the timing log. */
  record Write(String name, Runnable action) {}

  @Override
  public void call(Dataset<Row> batch, Long batchIdBoxed) {
    long batchId = batchIdBoxed;
    long started = System.currentTimeMillis();
    String queryId = batch.sparkSession().sparkContext().getLocalProperty(QUERY_ID_PROPERTY);
    String txnAppId = config.appName + "-" + (queryId == null ? "adhoc" : queryId);
    Dataset<Row> rows = batch.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Map<Integer, Long> counts = new HashMap<>();
      long newest = 0;
      // the one pass over the micro-batch (Kafka -> IngestRouter); every write reads the cache
      for (Row r :
          rows.groupBy(IngestRouter.KIND)
              .agg(count("*"), max(IngestRouter.RECEIVED_AT))
              .collectAsList()) {
        counts.put(r.getInt(0), r.getLong(1));
        if (!r.isNullAt(2)) {
          newest = Math.max(newest, r.getLong(2));
        }
      }
      long computed = System.currentTimeMillis() - started;
      long touchpoints = counts.getOrDefault(IngestRouter.TOUCHPOINT, 0L);
      long appEvents = counts.getOrDefault(IngestRouter.APP_EVENT, 0L);
      long dead = counts.getOrDefault(IngestRouter.DEAD, 0L);

      // empty writes are skipped (an empty Delta append would still commit a version); the
      // counts are a function of the batch, so a replay skips the same ones
      List<Write> writes = new ArrayList<>();
      if (touchpoints > 0) {
        writes.add(
            new Write(
                "bronze_touchpoints",
                () ->
                    delta(
                        lakeRows(
                            rows,
                            IngestRouter.TOUCHPOINT,
                            IngestRouter.BRONZE_TOUCHPOINT,
                            LakeRows.BRONZE_TOUCHPOINTS,
                            batchId),
                        bronzeFiles(touchpoints, config),
                        LakeTables.BRONZE_TOUCHPOINTS,
                        LakeTables.EVENT_DATE,
                        txnAppId,
                        batchId)));
      }
      if (appEvents > 0) {
        writes.add(
            new Write(
                "bronze_app_events",
                () ->
                    delta(
                        lakeRows(
                            rows,
                            IngestRouter.APP_EVENT,
                            IngestRouter.BRONZE_APP_EVENT,
                            LakeRows.BRONZE_APP_EVENTS,
                            batchId),
                        bronzeFiles(appEvents, config),
                        LakeTables.BRONZE_APP_EVENTS,
                        LakeTables.EVENT_DATE,
                        txnAppId,
                        batchId)));
      }
      if (dead > 0) {
        writes.add(new Write("kafka_dead_letters", () -> deadLetters(rows, config)));
        writes.add(
            new Write(
                "quarantine",
                () ->
                    delta(
                        lakeRows(
                            rows,
                            IngestRouter.DEAD,
                            IngestRouter.QUARANTINE,
                            LakeRows.QUARANTINE,
                            batchId),
                        1,
                        LakeTables.QUARANTINE,
                        LakeRows.DEAD_LETTER_DATE,
                        txnAppId,
                        batchId)));
      }
      String timings = runAll(writes, config.sinkParallelism);
      long took = System.currentTimeMillis() - started;
      LOG.info("batch {} sink {} ms: compute={}{}", batchId, took, computed, timings);
      if (queryId != null) {
        BatchStats.put(
            queryId,
            batchId,
            new BatchStats.Counts(dead, touchpoints + appEvents, 0, 0, newest, took));
      }
    } finally {
      rows.unpersist();
    }
  }

  /**
   * Runs the writes on threads created for this batch (so they inherit the stream thread's Spark
   * job group: stopping the query cancels them too), at most {@code sink.parallelism} at once.
   * Throws the first failure after all have finished.
   */
  static String runAll(List<Write> writes, int parallelism) {
    if (writes.isEmpty()) {
      return "";
    }
    ConcurrentLinkedQueue<String> timings = new ConcurrentLinkedQueue<>();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.min(parallelism, writes.size()),
            r -> {
              Thread t = new Thread(r, "touchpoint-sink");
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (Write w : writes) {
        futures.add(
            pool.submit(
                () -> {
                  long t0 = System.currentTimeMillis();
                  w.action().run();
                  timings.add(" " + w.name() + "=" + (System.currentTimeMillis() - t0));
                }));
      }
      RuntimeException failure = null;
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (failure == null) {
            failure = cause instanceof RuntimeException re ? re : new IllegalStateException(cause);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          futures.forEach(x -> x.cancel(true));
          throw new IllegalStateException("interrupted while writing the batch", e);
        }
      }
      if (failure != null) {
        throw failure;
      }
      return String.join("", timings);
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * The lake rows of one kind, built by {@link IngestRouter} from the validated record, with the
   * micro-batch added: no JSON is parsed here. A projection (the struct's fields, then the batch
   * id), not a map over Rows: a Row map decodes every row to Java objects and encodes it again,
   * which cost as much as the Parquet write of the same rows.
   */
  static Dataset<Row> lakeRows(
      Dataset<Row> rows, int kind, String column, StructType table, long batchId) {
    List<Column> columns = new ArrayList<>();
    for (String field : table.fieldNames()) {
      columns.add(
          LakeRows.BATCH_ID.equals(field)
              ? lit(batchId).as(field)
              : col(column + "." + field).as(field));
    }
    return rows.filter(col(IngestRouter.KIND).equalTo(kind)).select(columns.toArray(Column[]::new));
  }

  /**
   * Files (write tasks) for a bronze table's {@code rows}: {@code sink.bronze-files-per-batch}, or,
   * once that many would each hold more than {@code ingest.rows-per-task}, 0 = one per read task of
   * the batch (each at most rows-per-task records of one topic: the Kafka reads are split so):
   * short tasks beside the latency path (streaming.conf, ingest.rows-per-task).
   */
  static int bronzeFiles(long rows, StreamingConfig config) {
    long cap = config.ingestRowsPerTask;
    return cap > 0 && rows > cap * config.bronzeFilesPerBatch ? 0 : config.bronzeFilesPerBatch;
  }

  /**
   * An idempotent append: Delta skips it if this (txnAppId, batch) already committed to the table.
   * {@code files} > 0 coalesces the rows into that many files; 0 writes one per partition.
   */
  private void delta(
      Dataset<Row> rows,
      int files,
      String table,
      String partitionColumn,
      String txnAppId,
      long batchId) {
    append(rows, files, config.table(table), partitionColumn, txnAppId, batchId);
  }

  static void append(
      Dataset<Row> rows,
      int files,
      String path,
      String partitionColumn,
      String txnAppId,
      long batchId) {
    (files > 0 ? rows.coalesce(files) : rows)
        .write()
        .format("delta")
        .mode("append")
        .partitionBy(partitionColumn)
        .option("txnAppId", txnAppId)
        .option("txnVersion", batchId)
        .save(path);
  }

  /** The dead-letter topic's records (at least once: their keys are the source position). */
  private static void deadLetters(Dataset<Row> rows, StreamingConfig config) {
    rows.filter(col(IngestRouter.KIND).equalTo(IngestRouter.DEAD))
        .select(col(IngestRouter.DEAD_KEY).as("key"), col(IngestRouter.DEAD_VALUE).as("value"))
        .write()
        .format("kafka")
        .options(config.sinkOptions)
        .option("kafka.bootstrap.servers", config.bootstrapServers)
        .option("topic", config.deadLetterTopic)
        .save();
  }
}
