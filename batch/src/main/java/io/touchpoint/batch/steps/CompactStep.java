package io.touchpoint.batch.steps;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.xxhash64;

import io.touchpoint.batch.BatchContext;
import io.touchpoint.batch.BatchTables;
import io.touchpoint.batch.Lake;
import io.touchpoint.model.LakeTables;
import io.touchpoint.model.spark.ContractSchemas;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.StructType;

/**
 * Bronze to silver for day D, or for a range of days in one pass (a backfill): one row per {@code
 * event_id} and day, chosen deterministically (earliest {@code received_at}, then the smallest
 * Kafka partition/offset the speed layer recorded, then the smallest JSON of the row), each event
 * in the partition of its own UTC event day; touches laid out by walk-key bucket ({@link
 * WalkLayout}). Rows of earlier days that arrived within the range (late arrivals) make their days'
 * silver be rebuilt as well, and those days are recorded in {@link BatchTables#RECOMPUTE_MARKS}
 * (partition = the day they arrived) for the downstream steps.
 */
public final class CompactStep {
  /** The mark's partition: the UTC day the late rows arrived (the compacted day they belong to). */
  private static final String ARRIVED = LakeTables.EVENT_DATE + "_arrived";

  public static final StructType MARKS =
      new StructType()
          .add("marked_day", "date", false)
          .add("late_touchpoints", "long", false)
          .add("late_app_events", "long", false);

  /**
   * @param lateDays days before {@code from} that received rows within the range and were rebuilt
   *     too (their downstream steps are stale)
   */
  public record Result(
      LocalDate from,
      LocalDate through,
      Set<LocalDate> lateDays,
      long touchpoints,
      long appEvents) {}

  private CompactStep() {}

  public static Result run(BatchContext ctx, LocalDate day) {
    return run(ctx, day, day);
  }

  /** Compacts every day of {@code [from, through]} with one overwrite per table (a backfill). */
  public static Result run(BatchContext ctx, LocalDate from, LocalDate through) {
    ctx.mark();
    Lake lake = ctx.lake();
    Dataset<Row> bronzeTouches =
        lake.readOrEmpty(LakeTables.BRONZE_TOUCHPOINTS, ContractSchemas.TOUCHPOINTS);
    Dataset<Row> bronzeEvents =
        lake.readOrEmpty(LakeTables.BRONZE_APP_EVENTS, ContractSchemas.APP_EVENTS);

    LocalDate horizon = from.minusDays(Math.max(1, ctx.config().lateHorizon().toDays()));
    Dataset<Row> lateT =
        late(bronzeTouches, horizon, from, through)
            .withColumn("t", lit(1L))
            .withColumn("a", lit(0L));
    Dataset<Row> lateA =
        late(bronzeEvents, horizon, from, through)
            .withColumn("t", lit(0L))
            .withColumn("a", lit(1L));
    // a few rows (one per late day and arrival day): ordered here, not by Spark (a sort there is
    // a range-partitioning sample job of its own before the query's job)
    List<Row> late =
        new ArrayList<>(
            lateT
                .unionByName(lateA)
                .groupBy(col(LakeTables.EVENT_DATE).as("marked_day"), col(ARRIVED))
                .agg(sum("t").as("late_touchpoints"), sum("a").as("late_app_events"))
                .select("marked_day", "late_touchpoints", "late_app_events", ARRIVED)
                .collectAsList());
    late.sort(
        java.util.Comparator.comparing((Row r) -> (java.sql.Date) r.get(3))
            .thenComparing(r -> (java.sql.Date) r.get(0)));
    Set<LocalDate> range = new TreeSet<>();
    for (LocalDate d = from; !d.isAfter(through); d = d.plusDays(1)) {
      range.add(d);
    }
    Set<LocalDate> lateDays = new TreeSet<>();
    for (Row r : late) {
      LocalDate marked = ((java.sql.Date) r.get(0)).toLocalDate();
      if (marked.isBefore(from)) {
        lateDays.add(marked);
      }
    }
    Set<LocalDate> days = new TreeSet<>(range);
    days.addAll(lateDays);

    int maxBuckets = ctx.config().walkBuckets();
    Map<LocalDate, Integer> buckets = new TreeMap<>();
    for (LocalDate d : days) {
      buckets.put(
          d,
          maxBuckets == 0
              ? 0
              : WalkLayout.bucketsFor(
                  lake.bytes(LakeTables.BRONZE_TOUCHPOINTS, d, d),
                  maxBuckets,
                  ctx.config().walkBucketInput()));
    }
    boolean backfill = !from.equals(through);
    WalkLayout.prepare(ctx.spark(), lake.path(LakeTables.SILVER_TOUCHPOINTS));
    Dataset<Row> touches =
        WalkLayout.laidOut(
            ctx.spark(),
            silver(bronzeTouches, ContractSchemas.TOUCHPOINTS, days),
            buckets,
            backfill);
    Dataset<Row> events = silver(bronzeEvents, ContractSchemas.APP_EVENTS, days);
    // a backfill's de-duplication tasks each hold rows of every day of the range: an optimized
    // write (one more shuffle) bins them into about one file per day; a night's are D and its few
    // late days, written by each task as they come (no second shuffle of the day's rows). Touches
    // laid out by walk-key bucket are already one task per day and bucket, or a night's days of one
    // bucket each, one file per task and day.
    // three tables, three commits, independent of one another: written at once (concurrent-writes)
    Dataset<Row> marks =
        ctx.spark().createDataFrame(late, MARKS.add(LakeTables.EVENT_DATE, "date", false));
    List<Long> written =
        ctx.all(
            List.of(
                () ->
                    lake.replaceDays(
                        touches, LakeTables.SILVER_TOUCHPOINTS, days, backfill && maxBuckets == 0),
                () -> lake.replaceDays(events, LakeTables.SILVER_APP_EVENTS, days, backfill),
                () -> lake.replaceDays(marks, BatchTables.RECOMPUTE_MARKS, range)));
    long nt = written.get(0);
    long na = written.get(1);

    String span =
        from.equals(through)
            ? from.toString()
            : from + ".." + through + " (" + range.size() + " days, one pass)";
    ctx.log(
        "compact %s: %d touchpoints (%s), %d app events in silver; late arrivals rebuilt %s",
        span,
        nt,
        layoutSummary(buckets, backfill),
        na,
        lateDays.isEmpty() ? "no earlier day" : lateDays);
    return new Result(from, through, lateDays, nt, na);
  }

  /**
   * How the days' touches were laid out: "no walk-key layout", "walk-key buckets per day: 1 (2
   * days, one file per de-duplication task)", "walk-key buckets per day: 32 (1 day), 1 (1 day)".
   */
  static String layoutSummary(Map<LocalDate, Integer> buckets, boolean backfill) {
    Map<Integer, Long> days =
        buckets.values().stream()
            .collect(
                java.util.stream.Collectors.groupingBy(
                    n -> n,
                    () -> new TreeMap<Integer, Long>(java.util.Comparator.reverseOrder()),
                    java.util.stream.Collectors.counting()));
    if (days.keySet().equals(Set.of(0))) {
      return "no walk-key layout";
    }
    StringBuilder s = new StringBuilder("walk-key buckets per day: ");
    days.forEach(
        (n, k) -> s.append(n).append(" (").append(k).append(k == 1 ? " day), " : " days), "));
    s.setLength(s.length() - 2);
    if (!backfill && days.keySet().equals(Set.of(1))) {
      s.append(", one file per de-duplication task");
    }
    return s.toString();
  }

  /** Days marked for recompute by the compaction of {@code day} (empty if none or never run). */
  public static Set<LocalDate> marks(BatchContext ctx, LocalDate day) {
    Set<LocalDate> days = new TreeSet<>();
    ctx.lake()
        .readIfExists(BatchTables.RECOMPUTE_MARKS)
        .ifPresent(
            m -> {
              for (Row r : m.where(Lake.day(day)).select("marked_day").collectAsList()) {
                days.add(((java.sql.Date) r.get(0)).toLocalDate());
              }
            });
    return days;
  }

  /**
   * Bronze rows (within the horizon) that the collector received on a day of {@code [from,
   * through]} after their own event day, with that arrival day as {@code event_date} of the mark.
   */
  private static Dataset<Row> late(
      Dataset<Row> bronze, LocalDate horizon, LocalDate from, LocalDate through) {
    Column arrived = to_date(col("received_at"));
    // a range on the bare column (not on to_date of it) lets Delta skip, by the files' min/max
    // received_at, every bronze file written before `from` (the session zone is UTC)
    Column receivedInRange =
        col("received_at")
            .geq(lit(java.sql.Timestamp.from(from.atStartOfDay(ZoneOffset.UTC).toInstant())))
            .and(
                col("received_at")
                    .lt(
                        lit(
                            java.sql.Timestamp.from(
                                through.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()))));
    return bronze
        .where(Lake.daysBetween(horizon, through.minusDays(1)))
        .where(receivedInRange)
        .where(col(LakeTables.EVENT_DATE).lt(arrived))
        .select(col(LakeTables.EVENT_DATE), arrived.as(ARRIVED));
  }

  /** The de-duplicated contract rows of {@code days}, placed by their UTC event day. */
  static Dataset<Row> silver(Dataset<Row> bronze, StructType contract, Set<LocalDate> days) {
    List<String> columns = Arrays.asList(bronze.columns());
    Column[] contractCols =
        Arrays.stream(contract.fieldNames()).map(c -> col(c)).toArray(Column[]::new);
    Object[] dates = days.stream().map(java.sql.Date::valueOf).toArray();
    List<Column> order = new ArrayList<>();
    order.add(col("received_at").asc_nulls_last());
    for (String kafka :
        List.of(LakeTables.BRONZE_KAFKA_PARTITION, LakeTables.BRONZE_KAFKA_OFFSET)) {
      if (columns.contains(kafka)) {
        order.add(col(kafka).asc_nulls_last());
      }
    }
    // last, a 64-bit hash of the row: copies that tie this far are the same Kafka record (same
    // partition and offset) when bronze has those columns, so the same row whichever is kept; a
    // row's JSON (the order before) cost more than the rest of the compaction on a big day
    order.add(xxhash64(contractCols).asc_nulls_last());
    Column placed = to_date(col("event_time"));
    WindowSpec w =
        Window.partitionBy(placed, col("event_id")).orderBy(order.toArray(Column[]::new));

    List<Column> out = new ArrayList<>(Arrays.asList(contractCols));
    out.add(placed.as(LakeTables.EVENT_DATE));
    return bronze
        .where(col(LakeTables.EVENT_DATE).isin(dates))
        .where(placed.isin(dates))
        .withColumn("_rank", row_number().over(w))
        .where(col("_rank").equalTo(1))
        .select(out.toArray(Column[]::new));
  }
}
