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
      Dataset<Row> data = ctx.lake().read(BatchTables.gold(table)).where(Lake.day(day));
      data.coalesce(ctx.config().exportFilesPerTable())
          .write()
          .mode(SaveMode.Overwrite)
          .parquet(folder(ctx.lake(), table, day));
      rows.put(table, (long) ctx.config().exportFilesPerTable());
    }
    ctx.log(
        "export %s: %s under %s/<table>/date=%s",
        day, rows.keySet(), ctx.lake().path(io.touchpoint.model.LakeTables.GOLD_EXPORT), day);
    return rows;
  }
}
