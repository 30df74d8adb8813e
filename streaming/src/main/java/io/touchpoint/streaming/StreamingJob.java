package io.touchpoint.streaming;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.touchpoint.model.spark.ContractRows;
import io.touchpoint.streaming.cli.StreamCommand;
import io.touchpoint.streaming.ops.DayCompleteMarker;
import io.touchpoint.streaming.ops.ProgressLogger;
import io.touchpoint.streaming.pipeline.DeviceProcessor;
import io.touchpoint.streaming.pipeline.Envelope;
import io.touchpoint.streaming.pipeline.IngestRouter;
import io.touchpoint.streaming.pipeline.MatchKeyProcessor;
import io.touchpoint.streaming.pipeline.Roles;
import io.touchpoint.streaming.pipeline.Router;
import io.touchpoint.streaming.sink.BatchTimeHeader;
import io.touchpoint.streaming.sink.BatchWriter;
import io.touchpoint.streaming.sink.ReplayMark;
import io.touchpoint.streaming.sink.SpeedTablesWriter;
import io.touchpoint.streaming.source.TimeCutKafkaSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamReader;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.TimeMode;
import org.apache.spark.sql.streaming.Trigger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * The speed layer: three Structured Streaming queries, each with its own checkpoint and trigger.
 *
 * <pre>
 * attribution (checkpoint, the latency path: Kafka in, Kafka out, nothing else):
 *   Kafka (touchpoints, app-events)
 *   -> Router (EventValidator once; typed rows fanned out to match keys; invalid records dropped)
 *   -> transformWithState by match key   (MatchKeyProcessor: touches; partials for candidates)
 *   -> transformWithState by device      (DeviceProcessor: AttributionEngine, EventCrediting)
 *   -> Kafka sink                        (attributions, attributed-events: topic per row)
 * ingest (ingest.checkpoint):  Kafka (the same input topics)
 *   -> IngestRouter (validate once: the typed bronze row, or the quarantine row + dead letter)
 *   -> foreachBatch                      (BatchWriter: bronze, quarantine, dead-letter topic)
 * speed-tables (speed-tables.checkpoint):  Kafka (attributions, attributed-events)
 *   -> dropDuplicatesWithinWatermark     (by id, over the attribution batch's time header)
 *   -> foreachBatch                      (SpeedTablesWriter: idempotent appends)
 * </pre>
 *
 * One application runs all three, or (setting {@code queries}) the attribution query alone or the
 * lake's two alone: two applications that keep the lake's batches off the latency path's executors.
 * The spark-submit main class of {@code streaming-*-spark-submit.jar}; locally {@code ./touchpoint
 * stream}. Arguments: see {@link StreamCommand}. See docs/streaming.md.
 */
public final class StreamingJob {
  private static final Logger LOG = LoggerFactory.getLogger(StreamingJob.class);
  static final String ROCKSDB =
      "org.apache.spark.sql.execution.streaming.state.RocksDBStateStoreProvider";
  public static final Encoder<Envelope> ENVELOPE = Encoders.bean(Envelope.class);

  private StreamingJob() {}

  public static void main(String[] args) {
    int code = new CommandLine(new StreamCommand()).execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  /** How a run ends. */
  public record RunOptions(boolean untilCaughtUp, Duration maxDuration) {
    public static RunOptions forever() {
      return new RunOptions(false, null);
    }

    public static RunOptions caughtUp() {
      return new RunOptions(true, null);
    }
  }

  /**
   * The session for a run: spark-submit's settings (system properties) win over the config's {@code
   * spark} block, {@code --conf spark.*} arguments win over both.
   */
  public static SparkSession session(StreamingConfig config) {
    SparkConf conf = new SparkConf();
    config.sparkDefaults.forEach(
        (k, v) -> {
          if (!conf.contains(k)) {
            conf.set(k, v);
          }
        });
    config.sparkOverrides.forEach(conf::set);
    conf.setIfMissing("spark.app.name", config.appName);
    return SparkSession.builder().config(conf).getOrCreate();
  }

  /** The ingest query's name: the attribution query's plus this. */
  public static final String INGEST_SUFFIX = "-ingest";

  /** The speed-tables query's name: the attribution query's plus this. */
  public static final String SPEED_TABLES_SUFFIX = "-speed-tables";

  /** Name of the attribution query's observed metrics (counts for the progress line). */
  public static final String OUTPUT_METRICS = "outputs";

  /**
   * Starts the queries the config's {@code queries} names on an existing session (tests share one
   * per class): all three, the attribution query alone, or the lake's two (ingest, speed tables).
   * With all three until caught up, the speed-tables query is started by {@link #run} once the
   * attribution query has drained. Every run establishes the replay mark (beside the attribution
   * checkpoint, which a lake application must therefore reach too): whichever application starts
   * first on a new attribution checkpoint writes it, and the lake's reads it.
   */
  public static SpeedLayerQueries start(
      SparkSession spark, StreamingConfig config, boolean untilCaughtUp) throws TimeoutException {
    spark.conf().set("spark.sql.streaming.stateStore.providerClass", ROCKSDB);
    // the operators use no timers (state expires by TTL, evicted in batches with data), so
    // batches without new data would only cost time, and would keep Trigger.AvailableNow
    // from ever finishing (ProcessingTime-mode transformWithState always asks for one)
    spark.conf().set("spark.sql.streaming.noDataMicroBatches.enabled", "false");
    config.describe().forEach((k, v) -> LOG.info("config {} = {}", k, v));
    if (config.maxOffsetsPerTrigger > 0) {
      LOG.info(
          "kafka.max-offsets-per-trigger = {}: a larger backlog is read in batches cut at one"
              + " Kafka timestamp on every partition (docs/streaming.md, Ordering)",
          config.maxOffsetsPerTrigger);
    }
    Instant replayMark = ReplayMark.establish(spark, config, Instant.now()).orElse(null);
    List<StreamingQuery> started = new ArrayList<>();
    try {
      StreamingQuery attribution = null;
      if (config.queries.attribution()) {
        attribution =
            inPool(spark, LATENCY_POOL, () -> startAttribution(spark, config, untilCaughtUp));
        started.add(attribution);
      }
      if (!config.queries.lake()) {
        return new SpeedLayerQueries(attribution, null, null, null);
      }
      StreamingQuery ingest =
          inPool(spark, LAKE_POOL, () -> startIngest(spark, config, untilCaughtUp));
      started.add(ingest);
      SpeedLayerQueries.Starter speedTables =
          () ->
              inPool(
                  spark,
                  LAKE_POOL,
                  () -> startSpeedTables(spark, config, untilCaughtUp, replayMark));
      // until caught up in one application, the speed tables wait for the attribution query to
      // drain; the lake on its own reads what the output topics hold when it starts
      return untilCaughtUp && attribution != null
          ? new SpeedLayerQueries(attribution, ingest, null, speedTables)
          : new SpeedLayerQueries(attribution, ingest, speedTables.start(), null);
    } catch (TimeoutException | RuntimeException e) {
      for (StreamingQuery q : started) {
        try {
          q.stop();
        } catch (TimeoutException | RuntimeException stopFailed) {
          e.addSuppressed(stopFailed);
        }
      }
      throw e;
    }
  }

  /** The attribution query's scheduler pool (fairscheduler.xml). */
  public static final String LATENCY_POOL = "latency";

  /** The ingest and speed-tables queries' scheduler pool (fairscheduler.xml). */
  public static final String LAKE_POOL = "lake";

  private static final String POOL_PROPERTY = "spark.scheduler.pool";

  /**
   * Starts a query in a scheduler pool: its stream thread inherits the starting thread's local
   * properties, so every job of the query runs in that pool (under spark.scheduler.mode = FAIR).
   */
  private static StreamingQuery inPool(
      SparkSession spark, String pool, SpeedLayerQueries.Starter starter) throws TimeoutException {
    String before = spark.sparkContext().getLocalProperty(POOL_PROPERTY);
    spark.sparkContext().setLocalProperty(POOL_PROPERTY, pool);
    try {
      return starter.start();
    } finally {
      spark.sparkContext().setLocalProperty(POOL_PROPERTY, before);
    }
  }

  /**
   * The attribution query's input. A cap cuts a batch at one Kafka timestamp on every partition
   * ({@link TimeCutKafkaSource}), never at the same fraction of each: a candidate is never read
   * before a touch written before it, whatever the cap (docs/streaming.md, Ordering).
   */
  private static Dataset<Row> attributionInput(SparkSession spark, StreamingConfig config) {
    long cap = config.maxOffsetsPerTrigger;
    return kafka(spark, config, inputs(config), cap, format(cap), false).load();
  }

  /** Spark's Kafka source, or with a cap the one that cuts a batch at one Kafka timestamp. */
  private static String format(long cap) {
    return cap > 0 ? TimeCutKafkaSource.class.getName() : "kafka";
  }

  private static DataStreamReader kafka(
      SparkSession spark,
      StreamingConfig config,
      String topics,
      long maxOffsets,
      String format,
      boolean headers) {
    DataStreamReader reader =
        spark
            .readStream()
            .format(format)
            .options(config.sourceOptions)
            .option("kafka.bootstrap.servers", config.bootstrapServers)
            .option("subscribe", topics)
            .option("startingOffsets", config.startingOffsets)
            .option("includeHeaders", String.valueOf(headers));
    if (maxOffsets > 0) {
      reader = reader.option("maxOffsetsPerTrigger", maxOffsets);
    }
    return reader;
  }

  private static String inputs(StreamingConfig config) {
    return config.touchpointsTopic + "," + config.appEventsTopic;
  }

  private static Trigger trigger(boolean untilCaughtUp, Duration interval) {
    return untilCaughtUp
        ? Trigger.AvailableNow()
        : Trigger.ProcessingTime(interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * The latency path: validate once, two stateful operators, straight into the output topics with
   * the Kafka sink (one row per output, its topic a column). No foreachBatch, no persist, no Delta:
   * a micro-batch is one Spark job whose fixed cost is the offset log, the state stores' commits
   * and the commit log.
   */
  private static StreamingQuery startAttribution(
      SparkSession spark, StreamingConfig config, boolean untilCaughtUp) throws TimeoutException {
    Dataset<Row> input = attributionInput(spark, config);
    if (config.readTasks > 0) {
      // fewer, larger tasks in the batch's first stage (no shuffle: the partitions are merged)
      input = input.coalesce(config.readTasks);
    }
    Dataset<Envelope> routed = input.flatMap(new Router(config), ENVELOPE);
    Dataset<Envelope> matched =
        routed
            .groupByKey((MapFunction<Envelope, String>) Envelope::getKey, Encoders.STRING())
            .transformWithState(
                new MatchKeyProcessor(config),
                TimeMode.ProcessingTime(),
                OutputMode.Append(),
                ENVELOPE);
    Dataset<Envelope> decided =
        matched
            .groupByKey((MapFunction<Envelope, String>) Envelope::getKey, Encoders.STRING())
            .transformWithState(
                new DeviceProcessor(config),
                TimeMode.ProcessingTime(),
                OutputMode.Append(),
                ENVELOPE);
    Column isAttribution = col("role").equalTo(Roles.ATTRIBUTION);
    Dataset<Row> outputs =
        decided
            .filter(col("role").isin(Roles.ATTRIBUTION, Roles.ATTRIBUTED_EVENT))
            .select(
                when(isAttribution, lit(config.attributionsTopic))
                    .otherwise(lit(config.attributedEventsTopic))
                    .as("topic"),
                col("eventId").cast("binary").as("key"),
                col("payload").as("value"),
                col("role"),
                col("receivedAt"))
            .observe(
                OUTPUT_METRICS,
                sum(when(isAttribution, 1).otherwise(0)).as("attributions"),
                sum(when(isAttribution, 0).otherwise(1)).as("attributed_events"),
                max("receivedAt").as("newest_received_at"))
            .select(col("topic"), col("key"), col("value"), BatchTimeHeader.headers());
    return outputs
        .writeStream()
        .queryName(config.appName)
        .format("kafka")
        .options(config.sinkOptions)
        .option("kafka.bootstrap.servers", config.bootstrapServers)
        .option("checkpointLocation", config.checkpoint)
        .outputMode(OutputMode.Append())
        .trigger(trigger(untilCaughtUp, config.triggerInterval))
        .start();
  }

  /** Bronze, quarantine and dead letters: a map and a sink, larger batches, no shuffle. */
  private static StreamingQuery startIngest(
      SparkSession spark, StreamingConfig config, boolean untilCaughtUp) throws TimeoutException {
    DataStreamReader reader =
        kafka(spark, config, inputs(config), config.ingestMaxOffsetsPerTrigger, "kafka", false);
    if (config.ingestRowsPerTask > 0) {
      // short tasks, so the latency pool gets a slot within a fraction of a second (streaming.conf)
      reader = reader.option("maxRecordsPerPartition", config.ingestRowsPerTask);
    }
    return reader
        .load()
        .map(new IngestRouter(config), ContractRows.encoder(IngestRouter.SCHEMA))
        .writeStream()
        .queryName(config.appName + INGEST_SUFFIX)
        .option("checkpointLocation", config.ingestCheckpoint)
        .trigger(trigger(untilCaughtUp, config.ingestTriggerInterval))
        .foreachBatch(new BatchWriter(config))
        .start();
  }

  /**
   * The speed tables, fed from the topics the attribution query wrote. The topics are at least
   * once: a batch replayed after a crash writes its records again, identical and with the same
   * batch time header ({@link BatchTimeHeader}). A record whose id (the Kafka key: the attribution
   * id, the attributed event's id) was read within the dedup window before is dropped (state); a
   * copy read after that window is older than the watermark and dropped as late. A first copy is
   * never late: with a cap the batches are cut at one Kafka timestamp, so records are read in the
   * order the attribution batches wrote them. Then each table gets an idempotent append.
   */
  private static StreamingQuery startSpeedTables(
      SparkSession spark, StreamingConfig config, boolean untilCaughtUp, Instant replayMark)
      throws TimeoutException {
    long cap = config.speedTablesMaxOffsetsPerTrigger;
    return kafka(
            spark,
            config,
            config.attributionsTopic + "," + config.attributedEventsTopic,
            cap,
            format(cap),
            true)
        .load()
        .select(col("topic"), col("key"), col("value"), BatchTimeHeader.readTime().as("batch_time"))
        .withWatermark("batch_time", config.speedTablesDedupWindow.toMillis() + " milliseconds")
        .dropDuplicatesWithinWatermark("topic", "key")
        .select("topic", "value")
        .writeStream()
        .queryName(config.appName + SPEED_TABLES_SUFFIX)
        .option("checkpointLocation", config.speedTablesCheckpoint)
        .trigger(trigger(untilCaughtUp, config.speedTablesTriggerInterval))
        .foreachBatch(new SpeedTablesWriter(config, replayMark))
        .start();
  }

  /** The names of the layer's queries, for listeners. */
  public static String[] queryNames(StreamingConfig config) {
    return new String[] {
      config.appName, config.appName + INGEST_SUFFIX, config.appName + SPEED_TABLES_SUFFIX
    };
  }

  /**
   * Runs until caught up, until {@code maxDuration}, until SIGTERM (then stops after the batch in
   * flight), or forever. Returns the exit code: 0, or 1 when the query failed.
   */
  public static int run(SparkSession spark, StreamingConfig config, RunOptions options)
      throws TimeoutException {
    ProgressLogger listener = new ProgressLogger(queryNames(config));
    spark.streams().addListener(listener);
    DayCompleteMarker markers =
        new DayCompleteMarker(
            config.lakeRoot,
            config.appName + INGEST_SUFFIX,
            config.dayCompleteLateness,
            config.dayCompleteLookbackDays,
            spark.sparkContext().hadoopConfiguration());
    spark.streams().addListener(markers);
    Instant started = Instant.now();
    SpeedLayerQueries queries = start(spark, config, options.untilCaughtUp());
    AtomicBoolean stopRequested = new AtomicBoolean();
    GracefulStop hook = GracefulStop.onSigterm(queries, config.stopGracePeriod, stopRequested);
    long deadline =
        options.maxDuration() == null
            ? Long.MAX_VALUE
            : System.nanoTime() + options.maxDuration().toNanos();
    boolean cutShort = false;
    try {
      while (queries.anyActive() && !queries.anyFailed()) {
        if (System.nanoTime() >= deadline) {
          cutShort = true;
          LOG.info("--max-seconds reached: stopping after the batch in flight");
          queries.stopAfterCurrentBatches(config.stopGracePeriod);
          break;
        }
        queries.await(500);
        queries.advance();
      }
      if (queries.anyFailed()) {
        // one query failed: stop the others too, so that a restart resumes both from their
        // checkpoints
        queries.stopAfterCurrentBatches(config.stopGracePeriod);
        LOG.error(
            "the speed layer failed; restart it to resume from the checkpoints",
            queries.failure().get());
        return 1;
      }
      if (options.untilCaughtUp() && !cutShort && !stopRequested.get() && config.queries.lake()) {
        markers.markThrough(started); // everything Kafka held when the run started is in bronze
      }
      LOG.info("stopped{}", stopRequested.get() ? " on SIGTERM" : "");
      return 0;
    } finally {
      hook.remove();
      spark.streams().removeListener(listener);
      spark.streams().removeListener(markers);
    }
  }
}
