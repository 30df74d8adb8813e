package io.touchpoint.streaming;

import io.touchpoint.streaming.cli.StreamCommand;
import io.touchpoint.streaming.ops.ProgressLogger;
import io.touchpoint.streaming.pipeline.DeviceProcessor;
import io.touchpoint.streaming.pipeline.Envelope;
import io.touchpoint.streaming.pipeline.IngestRouter;
import io.touchpoint.streaming.pipeline.MatchKeyProcessor;
import io.touchpoint.streaming.pipeline.Router;
import io.touchpoint.streaming.sink.BatchWriter;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.function.MapFunction;
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
 * The speed layer: two Structured Streaming queries over the same Kafka topics, each with its
 * own checkpoint.
 *
 * <pre>
 * attribution (checkpoint):  Kafka (touchpoints, app-events)
 *   -> Router (validate; fan out to match keys; invalid and bronze-only records dropped here)
 *   -> transformWithState by match key   (MatchKeyProcessor: touches; partials for candidates)
 *   -> transformWithState by device      (DeviceProcessor: AttributionEngine, EventCrediting)
 *   -> foreachBatch                      (BatchWriter: topics, speed tables with txnAppId/txnVersion)
 * ingest (ingest.checkpoint):  Kafka (the same topics)
 *   -> IngestRouter (validate: BRONZE or DEAD row; no shuffle, no state)
 *   -> foreachBatch                      (BatchWriter: bronze, quarantine, dead-letter topic)
 * </pre>
 *
 * The spark-submit main class of {@code streaming-*-spark-submit.jar}; locally {@code
 * ./touchpoint stream}. Arguments: see {@link StreamCommand}. See docs/streaming.md.
 */
public final class StreamingJob {
  private static final Logger LOG = LoggerFactory.getLogger(StreamingJob.class);
  static final String ROCKSDB = "org.apache.spark.sql.execution.streaming.state.RocksDBStateStoreProvider";
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
   * The session for a run: spark-submit's settings (system properties) win over the config's
   * {@code spark} block, {@code --conf spark.*} arguments win over both.
   */
  public static SparkSession session(StreamingConfig config) {
    SparkConf conf = new SparkConf();
    config.sparkDefaults.forEach((k, v) -> {
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

  /** Starts both queries on an existing session (tests share one per class). */
  public static SpeedLayerQueries start(SparkSession spark, StreamingConfig config, boolean untilCaughtUp)
      throws TimeoutException {
    spark.conf().set("spark.sql.streaming.stateStore.providerClass", ROCKSDB);
    // the operators use no timers (state expires by TTL, evicted in batches with data), so
    // batches without new data would only cost time, and would keep Trigger.AvailableNow
    // from ever finishing (ProcessingTime-mode transformWithState always asks for one)
    spark.conf().set("spark.sql.streaming.noDataMicroBatches.enabled", "false");
    config.describe().forEach((k, v) -> LOG.info("config {} = {}", k, v));
    StreamingQuery attribution = startAttribution(spark, config, untilCaughtUp);
    try {
      return new SpeedLayerQueries(attribution, startIngest(spark, config, untilCaughtUp));
    } catch (TimeoutException | RuntimeException e) {
      attribution.stop();
      throw e;
    }
  }

  private static Dataset<Row> kafka(SparkSession spark, StreamingConfig config) {
    DataStreamReader reader = spark.readStream()
        .format("kafka")
        .options(config.sourceOptions)
        .option("kafka.bootstrap.servers", config.bootstrapServers)
        .option("subscribe", config.touchpointsTopic + "," + config.appEventsTopic)
        .option("startingOffsets", config.startingOffsets)
        .option("includeHeaders", "false");
    if (config.maxOffsetsPerTrigger > 0) {
      reader = reader.option("maxOffsetsPerTrigger", config.maxOffsetsPerTrigger);
    }
    return reader.load();
  }

  private static StreamingQuery startAttribution(SparkSession spark, StreamingConfig config, boolean untilCaughtUp)
      throws TimeoutException {
    Dataset<Envelope> routed = kafka(spark, config).flatMap(new Router(config), ENVELOPE);
    Dataset<Envelope> matched = routed
        .groupByKey((MapFunction<Envelope, String>) Envelope::getKey, Encoders.STRING())
        .transformWithState(new MatchKeyProcessor(config), TimeMode.ProcessingTime(), OutputMode.Append(), ENVELOPE);
    Dataset<Envelope> decided = matched
        .groupByKey((MapFunction<Envelope, String>) Envelope::getKey, Encoders.STRING())
        .transformWithState(new DeviceProcessor(config), TimeMode.ProcessingTime(), OutputMode.Append(), ENVELOPE);
    Trigger trigger = untilCaughtUp
        ? Trigger.AvailableNow()
        : Trigger.ProcessingTime(config.triggerInterval.toMillis(), TimeUnit.MILLISECONDS);
    return decided.writeStream()
        .queryName(config.appName)
        .option("checkpointLocation", config.checkpoint)
        .trigger(trigger)
        .foreachBatch(new BatchWriter(config))
        .start();
  }

  /** Bronze, quarantine and dead letters: a map and a sink, larger batches, no shuffle. */
  private static StreamingQuery startIngest(SparkSession spark, StreamingConfig config, boolean untilCaughtUp)
      throws TimeoutException {
    Trigger trigger = untilCaughtUp
        ? Trigger.AvailableNow()
        : Trigger.ProcessingTime(config.ingestTriggerInterval.toMillis(), TimeUnit.MILLISECONDS);
    return kafka(spark, config).map(new IngestRouter(config), ENVELOPE)
        .writeStream()
        .queryName(config.appName + INGEST_SUFFIX)
        .option("checkpointLocation", config.ingestCheckpoint)
        .trigger(trigger)
        .foreachBatch(new BatchWriter(config))
        .start();
  }

  /**
   * Runs until caught up, until {@code maxDuration}, until SIGTERM (then stops after the batch
   * in flight), or forever. Returns the exit code: 0, or 1 when the query failed.
   */
  public static int run(SparkSession spark, StreamingConfig config, RunOptions options) throws TimeoutException {
    ProgressLogger listener = new ProgressLogger(config.appName, config.appName + INGEST_SUFFIX);
    spark.streams().addListener(listener);
    SpeedLayerQueries queries = start(spark, config, options.untilCaughtUp());
    AtomicBoolean stopRequested = new AtomicBoolean();
    GracefulStop hook = GracefulStop.onSigterm(queries, config.stopGracePeriod, stopRequested);
    long deadline = options.maxDuration() == null ? Long.MAX_VALUE
        : System.nanoTime() + options.maxDuration().toNanos();
    try {
      while (queries.anyActive() && !queries.anyFailed()) {
        if (System.nanoTime() >= deadline) {
          LOG.info("--max-seconds reached: stopping after the batch in flight");
          queries.stopAfterCurrentBatches(config.stopGracePeriod);
          break;
        }
        queries.await(500);
      }
      if (queries.anyFailed()) {
        // one query failed: stop the other too, so that a restart resumes both from their checkpoints
        queries.stopAfterCurrentBatches(config.stopGracePeriod);
        LOG.error("the speed layer failed; restart it to resume from the checkpoints", queries.failure().get());
        return 1;
      }
      LOG.info("stopped{}", stopRequested.get() ? " on SIGTERM" : "");
      return 0;
    } finally {
      hook.remove();
      spark.streams().removeListener(listener);
    }
  }
}
