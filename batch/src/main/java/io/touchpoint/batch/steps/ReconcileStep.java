package io.touchpoint.batch.steps;

import static org.apache.spark.sql.functions.array_contains;
import static org.apache.spark.sql.functions.array_join;
import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

import io.touchpoint.batch.BatchContext;
import io.touchpoint.batch.BatchTables;
import io.touchpoint.batch.Lake;
import io.touchpoint.model.LakeTables;
import io.touchpoint.model.spark.ContractSchemas;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.storage.StorageLevel;

/**
 * Speed ({@link LakeTables#SPEED_ATTRIBUTIONS}) against batch ({@link
 * LakeTables#SILVER_ATTRIBUTIONS}) for day D: a full outer join on {@code attribution_id} (both
 * layers derive it from the candidate's event id). Every difference gets one class, checked in this
 * order: DUPLICATE (the speed table holds the verdict more than once), BATCH_ONLY_FRAUD_SIGNAL
 * (batch added the whole-day CLICK_FLOODING_SITE reason), TOUCH_ARRIVED_AFTER_INSTALL (the batch
 * winner reached the collector after the candidate did), LATE_INSTALL (the candidate arrived more
 * than {@code reconcile.late-threshold} after its event time, or its previous install arrived after
 * it), OTHER.
 */
public final class ReconcileStep {
  public static final List<String> CLASSES =
      List.of(
          "TOUCH_ARRIVED_AFTER_INSTALL",
          "LATE_INSTALL",
          "DUPLICATE",
          "BATCH_ONLY_FRAUD_SIGNAL",
          "OTHER");
  private static final String[] COMPARED = {
    "kind",
    "outcome",
    "media_source",
    "campaign_id",
    "site_id",
    "match_type",
    "touch_type",
    "touch_event_id",
    "re_engagement"
  };

  /** The day's figures, summed over apps, and the printed report. */
  public record Report(
      LocalDate day,
      boolean speedAvailable,
      long batchVerdicts,
      long speedVerdicts,
      long speedRows,
      long matched,
      Map<String, Long> differencesByClass,
      String text) {
    public long differences() {
      return differencesByClass.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /** The summary's count columns: four totals, then one per class (lower case). */
  private static final List<String> COUNTS =
      java.util.stream.Stream.concat(
              java.util.stream.Stream.of(
                  "batch_verdicts", "speed_verdicts", "speed_rows", "matched"),
              CLASSES.stream().map(c -> c.toLowerCase(Locale.ROOT)))
          .toList();

  private ReconcileStep() {}

  public static Report run(BatchContext ctx, LocalDate day) {
    ctx.mark();
    Lake lake = ctx.lake();
    Dataset<Row> batch =
        lake.readOrEmpty(LakeTables.SILVER_ATTRIBUTIONS, AttributeStep.SILVER_ATTRIBUTIONS)
            .where(Lake.day(day));
    boolean speedAvailable = lake.exists(LakeTables.SPEED_ATTRIBUTIONS);
    Dataset<Row> speedRaw =
        lake.readOrEmpty(LakeTables.SPEED_ATTRIBUTIONS, ContractSchemas.ATTRIBUTIONS);
    Column speedDay =
        Arrays.asList(speedRaw.columns()).contains(LakeTables.EVENT_DATE)
            ? Lake.day(day)
            : to_date(col("event_time")).equalTo(lit(java.sql.Date.valueOf(day)));
    Column[] contract = AttributeStep.columns(ContractSchemas.ATTRIBUTIONS);
    Dataset<Row> speed =
        speedRaw
            .where(speedDay)
            .select(contract)
            .withColumn("copies", count(lit(1)).over(Window.partitionBy("attribution_id")))
            .withColumn(
                "rn",
                row_number()
                    .over(
                        Window.partitionBy("attribution_id")
                            .orderBy(col("received_at"), to_json(struct(contract)))))
            .where(col("rn").equalTo(1))
            .drop("rn");

    Dataset<Row> s = speed.alias("s");
    Dataset<Row> b = batch.alias("b");
    Dataset<Row> j =
        s.join(b, col("s.attribution_id").equalTo(col("b.attribution_id")), "full_outer");

    Column same = lit(true);
    for (String c : COMPARED) {
      same = same.and(col("s." + c).eqNullSafe(col("b." + c)));
    }
    same =
        same.and(array_sort(col("s.fraud_reasons")).eqNullSafe(array_sort(col("b.fraud_reasons"))));
    Column speedMissing = col("s.attribution_id").isNull();
    Column batchMissing = col("b.attribution_id").isNull();
    Column copies = coalesce(col("s.copies"), lit(0L));
    Column status =
        when(speedMissing, "BATCH_ONLY")
            .when(batchMissing, "SPEED_ONLY")
            .when(same.and(copies.gt(1)), "DUPLICATE_COPIES")
            .when(same, "MATCH")
            .otherwise("DIFFERENT");
    long lateSeconds = ctx.config().reconcileLateThreshold().toSeconds();
    Column flooding = array_contains(col("b.fraud_reasons"), "CLICK_FLOODING_SITE");
    Column speedFlooding =
        coalesce(array_contains(col("s.fraud_reasons"), "CLICK_FLOODING_SITE"), lit(false));
    Column lateInstall =
        col("b.received_at")
            .cast("long")
            .minus(col("b.event_time").cast("long"))
            .gt(lateSeconds)
            .or(coalesce(col("b.prior_install_received_at").gt(col("b.received_at")), lit(false)));
    Column cls =
        when(copies.gt(1), "DUPLICATE")
            .when(
                coalesce(flooding, lit(false)).and(speedFlooding.unary_$bang()),
                "BATCH_ONLY_FRAUD_SIGNAL")
            .when(
                coalesce(col("b.touch_received_at").gt(col("b.received_at")), lit(false)),
                "TOUCH_ARRIVED_AFTER_INSTALL")
            .when(coalesce(lateInstall, lit(false)), "LATE_INSTALL")
            .otherwise("OTHER");

    Dataset<Row> compared =
        j.select(
            coalesce(col("s.attribution_id"), col("b.attribution_id")).as("attribution_id"),
            coalesce(col("s.candidate_event_id"), col("b.candidate_event_id"))
                .as("candidate_event_id"),
            coalesce(col("s.app_id"), col("b.app_id")).as("app_id"),
            status.as("status"),
            when(status.equalTo("MATCH"), lit(null).cast("string")).otherwise(cls).as("class"),
            copies.as("speed_copies"),
            col("s.kind").as("speed_kind"),
            col("s.outcome").as("speed_outcome"),
            col("s.media_source").as("speed_media_source"),
            col("s.touch_event_id").as("speed_touch_event_id"),
            array_join(array_sort(col("s.fraud_reasons")), ",").as("speed_fraud_reasons"),
            col("b.kind").as("batch_kind"),
            col("b.outcome").as("batch_outcome"),
            col("b.media_source").as("batch_media_source"),
            col("b.touch_event_id").as("batch_touch_event_id"),
            array_join(array_sort(col("b.fraud_reasons")), ",").as("batch_fraud_reasons"),
            col("b.event_time").as("candidate_time"),
            col("b.received_at").as("candidate_received_at"),
            col("b.touch_received_at").as("touch_received_at"),
            col("b.prior_install_received_at").as("prior_install_received_at"));

    // the comparison feeds the differences and the summary: joined once (D's candidates)
    compared = compared.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      return store(ctx, day, speedAvailable, compared);
    } finally {
      compared.unpersist();
    }
  }

  private static Report store(
      BatchContext ctx, LocalDate day, boolean speedAvailable, Dataset<Row> compared) {
    Lake lake = ctx.lake();
    Dataset<Row> differences =
        compared
            .where(col("status").notEqual("MATCH"))
            .withColumn(LakeTables.EVENT_DATE, lit(java.sql.Date.valueOf(day)));
    lake.replaceDays(differences, BatchTables.RECONCILIATION_DIFFERENCES, List.of(day));

    List<Column> aggs = new ArrayList<>();
    aggs.add(sum(when(col("batch_kind").isNotNull(), 1L).otherwise(0L)).as("batch_verdicts"));
    aggs.add(sum(when(col("speed_copies").gt(0), 1L).otherwise(0L)).as("speed_verdicts"));
    aggs.add(sum(col("speed_copies")).as("speed_rows"));
    aggs.add(sum(when(col("status").equalTo("MATCH"), 1L).otherwise(0L)).as("matched"));
    for (String c : CLASSES) {
      aggs.add(sum(when(col("class").equalTo(c), 1L).otherwise(0L)).as(c.toLowerCase(Locale.ROOT)));
    }
    // the per-app summary is a handful of rows: collected once, then stored, exported and reported
    // from the driver (no re-read of the tables just written)
    Dataset<Row> perApp =
        compared
            .groupBy("app_id")
            .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new))
            .withColumn("speed_available", lit(speedAvailable))
            .withColumn(LakeTables.EVENT_DATE, lit(java.sql.Date.valueOf(day)));
    List<Row> summaryRows = perApp.collectAsList();
    Dataset<Row> summary = ctx.spark().createDataFrame(summaryRows, perApp.schema());
    lake.replaceDays(summary, BatchTables.RECONCILIATION_SUMMARY, List.of(day));
    // the day's summary as plain Parquet beside the gold exports: the serving layer loads it
    // (ClickHouse speed_vs_batch) so dashboards and the demo show the agreement
    summary
        .coalesce(1)
        .write()
        .mode(SaveMode.Overwrite)
        .parquet(ExportStep.folder(lake, BatchTables.SPEED_VS_BATCH_EXPORT, day));

    // the report's examples come from the kept comparison, not from the table just written
    Report report = report(ctx, day, speedAvailable, totals(summaryRows), differences);
    ctx.log(
        "reconcile %s: %d batch, %d speed verdicts, %d agree",
        day, report.batchVerdicts(), report.speedVerdicts(), report.matched());
    ctx.out().println(report.text());
    ctx.out().flush();
    return report;
  }

  /** Reads the stored summary and differences of D back into the one-screen report. */
  public static Report report(BatchContext ctx, LocalDate day, boolean speedAvailable) {
    return report(
        ctx,
        day,
        speedAvailable,
        totals(
            ctx.lake()
                .read(BatchTables.RECONCILIATION_SUMMARY)
                .where(Lake.day(day))
                .select(COUNTS.stream().map(c -> col(c)).toArray(Column[]::new))
                .collectAsList()),
        ctx.lake().read(BatchTables.RECONCILIATION_DIFFERENCES).where(Lake.day(day)));
  }

  /** The day's summary rows summed over apps, by count column ({@link #COUNTS}). */
  private static Map<String, Long> totals(List<Row> summary) {
    Map<String, Long> sums = new LinkedHashMap<>();
    for (String c : COUNTS) {
      long n = 0;
      for (Row r : summary) {
        Long v = r.getAs(c);
        n += v == null ? 0L : v;
      }
      sums.put(c, n);
    }
    return sums;
  }

  /** The report of D from its summary totals and its differences (the examples' source). */
  private static Report report(
      BatchContext ctx,
      LocalDate day,
      boolean speedAvailable,
      Map<String, Long> t,
      Dataset<Row> differences) {
    Lake lake = ctx.lake();
    Map<String, Long> byClass = new LinkedHashMap<>();
    for (String c : CLASSES) {
      byClass.put(c, t.get(c.toLowerCase(Locale.ROOT)));
    }
    long batchN = t.get("batch_verdicts");
    long speedN = t.get("speed_verdicts");
    long speedRows = t.get("speed_rows");
    long matched = t.get("matched");
    // every stored difference has exactly one class: the differences are the classes' sum
    long union = matched + byClass.values().stream().mapToLong(Long::longValue).sum();

    StringBuilder out = new StringBuilder();
    out.append(String.format("Reconciliation %s: speed vs batch%n", day));
    if (!speedAvailable) {
      out.append("  (no speed table at ")
          .append(lake.path(LakeTables.SPEED_ATTRIBUTIONS))
          .append(": every batch verdict counts as batch-only)\n");
    }
    out.append(String.format("  batch verdicts   %10d%n", batchN));
    out.append(String.format("  speed verdicts   %10d   (%d rows)%n", speedN, speedRows));
    out.append(
        String.format(
            "  agree            %10d   (%.2f%% of %d candidates)%n",
            matched, union == 0 ? 100.0 : 100.0 * matched / union, union));
    out.append(
        String.format(
            "  differences      %10d%n",
            byClass.values().stream().mapToLong(Long::longValue).sum()));
    for (String c : CLASSES) {
      out.append(
          String.format(
              "    %-30s %8d%n", c.toLowerCase(Locale.ROOT).replace('_', ' '), byClass.get(c)));
    }
    int examples = ctx.config().reportExamples();
    if (examples > 0) {
      List<Row> rows =
          differences.orderBy("class", "candidate_event_id").limit(examples).collectAsList();
      if (!rows.isEmpty()) {
        out.append("  examples (status class candidate: speed -> batch):\n");
      }
      for (Row r : rows) {
        out.append(
            String.format(
                "    %-10s %-27s %s: %s -> %s%n",
                r.getAs("status"),
                r.getAs("class"),
                r.<String>getAs("candidate_event_id"),
                verdict(
                    r.getAs("speed_kind"),
                    r.getAs("speed_outcome"),
                    r.getAs("speed_media_source"),
                    r.getAs("speed_fraud_reasons")),
                verdict(
                    r.getAs("batch_kind"),
                    r.getAs("batch_outcome"),
                    r.getAs("batch_media_source"),
                    r.getAs("batch_fraud_reasons"))));
      }
    }
    out.append("  stored in ")
        .append(lake.path(BatchTables.RECONCILIATION_SUMMARY))
        .append(" and ")
        .append(lake.path(BatchTables.RECONCILIATION_DIFFERENCES));
    return new Report(
        day, speedAvailable, batchN, speedN, speedRows, matched, byClass, out.toString());
  }

  private static String verdict(String kind, String outcome, String source, String fraud) {
    if (kind == null) {
      return "(none)";
    }
    return kind
        + "/"
        + outcome
        + (source == null ? "" : "/" + source)
        + (fraud == null || fraud.isEmpty() ? "" : "[" + fraud + "]");
  }
}
