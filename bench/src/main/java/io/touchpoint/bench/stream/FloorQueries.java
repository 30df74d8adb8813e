package io.touchpoint.bench.stream;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamReader;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The floor: the least any speed layer must do with the same records on the same machine, in the
 * same Spark session (same shuffle partitions, RocksDB settings, trigger):
 *
 * <ul>
 *   <li>{@link Kind#STATELESS}: parse two fields of each record (event id, received_at) and write
 *       them to Kafka;
 *   <li>{@link Kind#STATEFUL}: the same plus a count per device in RocksDB state (update mode), one
 *       record per device and micro-batch to Kafka, with the newest received_at.
 * </ul>
 *
 * Both outputs carry {@code received_at}, so {@link Latencies} measures them like the layer's.
 */
final class FloorQueries {
  enum Kind {
    STATELESS("floor-stateless"),
    STATEFUL("floor-stateful");

    final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  private static final StructType FIELDS =
      new StructType()
          .add("event_id", DataTypes.StringType)
          .add("received_at", DataTypes.StringType)
          .add(
              "device",
              new StructType()
                  .add("advertising_id", DataTypes.StringType)
                  .add("vendor_id", DataTypes.StringType));

  private FloorQueries() {}

  /**
   * Starts a floor query over the phase's input topics into its attributions topic.
   *
   * @param caughtUp Trigger.AvailableNow (catch-up) instead of back-to-back micro-batches
   * @param maxOffsets records per micro-batch (0 = no cap)
   */
  static StreamingQuery start(
      SparkSession spark,
      Kind kind,
      BenchStack.Phase phase,
      String checkpoint,
      boolean caughtUp,
      long maxOffsets)
      throws TimeoutException {
    DataStreamReader reader =
        spark
            .readStream()
            .format("kafka")
            .option("kafka.bootstrap.servers", phase.bootstrap())
            .option("subscribe", String.join(",", phase.inputs()))
            .option("startingOffsets", "earliest");
    if (maxOffsets > 0) {
      reader = reader.option("maxOffsetsPerTrigger", maxOffsets);
    }
    Dataset<Row> parsed =
        reader
            .load()
            .select(from_json(col("value").cast("string"), FIELDS).as("e"))
            .filter(col("e.event_id").isNotNull().and(col("e.received_at").isNotNull()));
    Dataset<Row> out;
    OutputMode mode;
    if (kind == Kind.STATELESS) {
      out =
          parsed.select(
              col("e.event_id").cast("binary").as("key"),
              to_json(
                      struct(
                          col("e.event_id").as("event_id"), col("e.received_at").as("received_at")))
                  .as("value"));
      mode = OutputMode.Append();
    } else {
      out =
          parsed
              .groupBy(
                  coalesce(col("e.device.advertising_id"), col("e.device.vendor_id")).as("device"))
              .agg(count("*").as("events"), max("e.received_at").as("received_at"))
              .select(
                  col("device").cast("binary").as("key"),
                  to_json(struct(col("device"), col("events"), col("received_at"))).as("value"));
      mode = OutputMode.Update();
    }
    return out.writeStream()
        .queryName(kind.label + "-" + phase.name)
        .format("kafka")
        .option("kafka.bootstrap.servers", phase.bootstrap())
        .option("topic", phase.attributions)
        .option("checkpointLocation", checkpoint)
        .outputMode(mode)
        .trigger(
            caughtUp ? Trigger.AvailableNow() : Trigger.ProcessingTime(0, TimeUnit.MILLISECONDS))
        .start();
  }
}
