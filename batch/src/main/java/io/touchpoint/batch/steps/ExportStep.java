package io.touchpoint.batch.steps;

import io.touchpoint.batch.BatchContext;
import io.touchpoint.batch.BatchTables;
import io.touchpoint.batch.Lake;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/**
 * Each gold table's day D as plain Parquet under {@code export/gold/<table>/date=D/}, the folder
 * replaced whole, for ClickHouse's {@code s3()} table function and Druid's batch ingestion.
 */
public final class ExportStep {
  private ExportStep() {}

  public static String folder(Lake lake, String table, LocalDate day) {
    return lake.path(BatchTables.export(table)) + "/date=" + day;
  }

  public static Map<String, Long> run(BatchContext ctx, LocalDate day) {
    ctx.mark();
    Map<String, Long> rows = new LinkedHashMap<>();
    for (String table : BatchTables.GOLD) {
      if (!ctx.lake().exists(BatchTables.gold(table))) {
        continue;
      }
      write(ctx, table, day, ctx.lake().read(BatchTables.gold(table)).where(Lake.day(day)));
      rows.put(table, (long) ctx.config().exportFilesPerTable());
    }
    logDone(ctx, day, rows.keySet());
    return rows;
  }

  /** Writes {@code data} (a gold table's rows of {@code day}) as the day's export folder. */
  static void write(BatchContext ctx, String table, LocalDate day, Dataset<Row> data) {
    data.coalesce(ctx.config().exportFilesPerTable())
        .write()
        .mode(SaveMode.Overwrite)
        .parquet(folder(ctx.lake(), table, day));
  }

  static void logDone(BatchContext ctx, LocalDate day, java.util.Collection<String> tables) {
    ctx.log(
        "export %s: %s under %s/<table>/date=%s",
        day, tables, ctx.lake().path(io.touchpoint.model.LakeTables.GOLD_EXPORT), day);
  }
}
