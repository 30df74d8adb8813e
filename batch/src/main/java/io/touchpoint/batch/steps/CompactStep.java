package io.touchpoint.batch.steps;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.sum;

import io.touchpoint.batch.BatchContext;
import io.touchpoint.batch.BatchTables;
import io.touchpoint.batch.Lake;
import io.touchpoint.model.LakeTables;
import io.touchpoint.model.spark.ContractSchemas;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.StructType;

/**
 * Bronze to silver for day D: one row per {@code event_id} and day, chosen deterministically
 * (earliest {@code received_at}, then the smallest Kafka partition/offset when bronze has them,
 * then the smallest JSON of the row), each event in the partition of its own UTC event day.
 * Rows of earlier days that arrived on D (late arrivals) make their days' silver be rebuilt
 * as well, and those days are recorded in {@link BatchTables#RECOMPUTE_MARKS} for the
 * downstream steps.
 */
public final class CompactStep {
  public static final StructType MARKS = new StructType()
      .add("marked_day", "date", false)
      .add("late_touchpoints", "long", false)
      .add("late_app_events", "long", false);

  /** @param lateDays earlier days that received rows on D and were rebuilt too */
  public record Result(LocalDate day, Set<LocalDate> lateDays, long touchpoints, long appEvents) {}

  private CompactStep() {}

  public static Result run(BatchContext ctx, LocalDate day) {
    ctx.mark();
    Lake lake = ctx.lake();
    Dataset<Row> bronzeTouches = lake.readOrEmpty(LakeTables.BRONZE_TOUCHPOINTS, ContractSchemas.TOUCHPOINTS);
    Dataset<Row> bronzeEvents = lake.readOrEmpty(LakeTables.BRONZE_APP_EVENTS, ContractSchemas.APP_EVENTS);

    LocalDate horizon = day.minusDays(Math.max(1, ctx.config().lateHorizon().toDays()));
    Dataset<Row> lateT = late(bronzeTouches, horizon, day).withColumn("t", lit(1L)).withColumn("a", lit(0L));
    Dataset<Row> lateA = late(bronzeEvents, horizon, day).withColumn("t", lit(0L)).withColumn("a", lit(1L));
    List<Row> late = lateT.unionByName(lateA)
        .groupBy(col(LakeTables.EVENT_DATE).as("marked_day"))
        .agg(sum("t").as("late_touchpoints"), sum("a").as("late_app_events"))
        .orderBy("marked_day")
        .collectAsList();
    Set<LocalDate> days = new TreeSet<>();
    days.add(day);
    Set<LocalDate> lateDays = new TreeSet<>();
    for (Row r : late) {
      lateDays.add(((java.sql.Date) r.get(0)).toLocalDate());
    }
    days.addAll(lateDays);

    Dataset<Row> touches = silver(bronzeTouches, ContractSchemas.TOUCHPOINTS, days);
    Dataset<Row> events = silver(bronzeEvents, ContractSchemas.APP_EVENTS, days);
    long nt = lake.replaceDays(touches, LakeTables.SILVER_TOUCHPOINTS, days);
    long na = lake.replaceDays(events, LakeTables.SILVER_APP_EVENTS, days);

    Dataset<Row> marks = ctx.spark().createDataFrame(late, MARKS)
        .withColumn(LakeTables.EVENT_DATE, lit(java.sql.Date.valueOf(day)));
    lake.replaceDays(marks, BatchTables.RECOMPUTE_MARKS, List.of(day));

    ctx.log("compact %s: %d touchpoints, %d app events in silver (days %s); late arrivals rebuilt %s", day, nt, na, days,
        lateDays.isEmpty() ? "no earlier day" : lateDays);
    return new Result(day, lateDays, nt, na);
  }

  /** Days marked for recompute by the compaction of {@code day} (empty if none or never run). */
  public static Set<LocalDate> marks(BatchContext ctx, LocalDate day) {
    Set<LocalDate> days = new TreeSet<>();
    ctx.lake().readIfExists(BatchTables.RECOMPUTE_MARKS).ifPresent(m -> {
      for (Row r : m.where(Lake.day(day)).select("marked_day").collectAsList()) {
        days.add(((java.sql.Date) r.get(0)).toLocalDate());
      }
    });
    return days;
  }

  /** Bronze rows of days before D (within the horizon) that the collector received on D. */
  private static Dataset<Row> late(Dataset<Row> bronze, LocalDate horizon, LocalDate day) {
    Timestamp start = Timestamp.from(day.atStartOfDay(ZoneOffset.UTC).toInstant());
    Timestamp end = Timestamp.from(day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
    return bronze
        .where(Lake.daysBetween(horizon, day.minusDays(1)))
        .where(col("received_at").geq(lit(start)).and(col("received_at").lt(lit(end))))
        .select(LakeTables.EVENT_DATE);
  }

  /** The de-duplicated contract rows of {@code days}, placed by their UTC event day. */
  static Dataset<Row> silver(Dataset<Row> bronze, StructType contract, Set<LocalDate> days) {
    List<String> columns = Arrays.asList(bronze.columns());
    Column[] contractCols = Arrays.stream(contract.fieldNames()).map(c -> col(c)).toArray(Column[]::new);
    Column inDays = null;
    for (LocalDate d : days) {
      Column c = Lake.day(d);
      inDays = inDays == null ? c : inDays.or(c);
    }
    List<Column> order = new ArrayList<>();
    order.add(col("received_at").asc_nulls_last());
    if (columns.contains("kafka_partition")) {
      order.add(col("kafka_partition").asc_nulls_last());
    }
    if (columns.contains("kafka_offset")) {
      order.add(col("kafka_offset").asc_nulls_last());
    }
    order.add(to_json(struct(contractCols)).asc_nulls_last());
    Column placed = to_date(col("event_time"));
    WindowSpec w = Window.partitionBy(placed, col("event_id")).orderBy(order.toArray(Column[]::new));

    Column inPlacedDays = null;
    for (LocalDate d : days) {
      Column c = placed.equalTo(lit(java.sql.Date.valueOf(d)));
      inPlacedDays = inPlacedDays == null ? c : inPlacedDays.or(c);
    }
    List<Column> out = new ArrayList<>(Arrays.asList(contractCols));
    out.add(placed.as(LakeTables.EVENT_DATE));
    return bronze
        .where(inDays)
        .where(inPlacedDays)
        .withColumn("_rank", row_number().over(w))
        .where(col("_rank").equalTo(1))
        .select(out.toArray(Column[]::new));
  }
}
