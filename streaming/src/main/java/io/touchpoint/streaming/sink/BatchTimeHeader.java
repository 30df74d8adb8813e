package io.touchpoint.streaming.sink;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.unix_millis;

import org.apache.spark.sql.Column;

/**
 * The Kafka header carrying, on every record of the output topics, the time of the attribution
 * micro-batch that wrote it (epoch milliseconds, decimal). In a streaming query {@code
 * current_timestamp()} is the batch's timestamp, kept in the offset log, so a batch replayed after
 * a crash writes its records again with the same time: the speed-tables query de-duplicates over it
 * (its watermark), and copies written after any downtime still carry the first write's time.
 */
public final class BatchTimeHeader {
  public static final String NAME = "touchpoint-batch-time";

  private BatchTimeHeader() {}

  /** The Kafka sink's {@code headers} column of the attribution query's output rows. */
  public static Column headers() {
    return array(
            struct(
                lit(NAME).as("key"),
                unix_millis(current_timestamp()).cast("string").cast("binary").as("value")))
        .as("headers");
  }

  /**
   * The batch time of a record read with {@code includeHeaders}; a record without the header
   * (written before it existed) falls back to its Kafka timestamp.
   */
  public static Column readTime() {
    Column header =
        expr(
            "timestamp_millis(try_cast(cast(get(filter(headers, h -> h.key = '"
                + NAME
                + "'), 0).value as string) as bigint))");
    return coalesce(header, col("timestamp"));
  }
}
