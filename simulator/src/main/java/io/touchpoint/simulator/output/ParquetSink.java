package io.touchpoint.simulator.output;

import io.touchpoint.model.Event;
import io.touchpoint.model.Topics;
import io.touchpoint.model.Touchpoint;
import io.touchpoint.model.json.ContractJson;
import io.touchpoint.model.spark.ContractRows;
import io.touchpoint.model.spark.ContractSchemas;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Writes the valid records as Parquet with the contract's Spark schemas: {@code
 * touchpoints.parquet} and {@code app-events.parquet} (folders of part files). Duplicates are kept
 * (they are valid rows); malformed payloads cannot be rows and are only in {@code
 * malformed-truth.jsonl}. Rows are appended in arrival-ordered chunks, but Parquet readers do not
 * promise that order back. Needs Spark on the classpath (loaded reflectively by the simulator, so
 * the module itself runs without it).
 */
public final class ParquetSink implements RecordSink {
  public static final String TOUCHPOINTS_DIR = "touchpoints.parquet";
  public static final String APP_EVENTS_DIR = "app-events.parquet";
  private static final int CHUNK = 200_000;

  private final SparkSession spark;
  private final boolean ownSession;
  private final Path dir;
  private final List<Row> touches = new ArrayList<>();
  private final List<Row> appEvents = new ArrayList<>();
  private boolean touchesStarted;
  private boolean appEventsStarted;

  public ParquetSink(Path dir) {
    this.dir = dir;
    this.ownSession = SparkSession.getActiveSession().isEmpty();
    this.spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("touchpoint-simulate")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.session.timeZone", "UTC")
            .getOrCreate();
  }

  @Override
  public void accept(OutRecord record, long position) throws IOException {
    if (record.isMalformed()) {
      return;
    }
    Event e = ContractJson.readEvent(record.payload());
    if (Topics.TOUCHPOINTS.equals(record.topic())) {
      touches.add(ContractRows.touchpointRow((Touchpoint) e));
      if (touches.size() >= CHUNK) {
        touchesStarted =
            flush(touches, ContractSchemas.TOUCHPOINTS, TOUCHPOINTS_DIR, touchesStarted);
      }
    } else {
      appEvents.add(ContractRows.appEventRow(e));
      if (appEvents.size() >= CHUNK) {
        appEventsStarted =
            flush(appEvents, ContractSchemas.APP_EVENTS, APP_EVENTS_DIR, appEventsStarted);
      }
    }
  }

  /** Appends a chunk (the first one replaces a previous run's folder); returns true. */
  private boolean flush(List<Row> rows, StructType schema, String name, boolean started) {
    spark
        .createDataFrame(rows, schema)
        .coalesce(1)
        .write()
        .mode(started ? SaveMode.Append : SaveMode.Overwrite)
        .parquet(dir.resolve(name).toAbsolutePath().toString());
    rows.clear();
    return true;
  }

  @Override
  public void close() throws IOException {
    try {
      touchesStarted = flush(touches, ContractSchemas.TOUCHPOINTS, TOUCHPOINTS_DIR, touchesStarted);
      appEventsStarted =
          flush(appEvents, ContractSchemas.APP_EVENTS, APP_EVENTS_DIR, appEventsStarted);
    } finally {
      if (ownSession) {
        spark.stop();
      }
    }
  }
}
