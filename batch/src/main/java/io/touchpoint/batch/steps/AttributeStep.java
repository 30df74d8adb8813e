package io.touchpoint.batch.steps;

import static io.touchpoint.batch.BatchFunctions.countsAsClick;
import static io.touchpoint.batch.BatchFunctions.countsForSite;
import static io.touchpoint.batch.BatchFunctions.deviceKey;
import static io.touchpoint.batch.BatchFunctions.isLink;
import static io.touchpoint.batch.BatchFunctions.withinFirstHour;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.touchpoint.attribution.AttributionEngine;
import io.touchpoint.attribution.ClickFloodingDetector;
import io.touchpoint.attribution.EventCrediting;
import io.touchpoint.attribution.FloodingRules;
import io.touchpoint.attribution.SiteDayStats;
import io.touchpoint.batch.BatchContext;
import io.touchpoint.batch.BatchTables;
import io.touchpoint.batch.CompileBudget;
import io.touchpoint.batch.Lake;
import io.touchpoint.batch.Rules;
import io.touchpoint.model.AttributedEvent;
import io.touchpoint.model.Attribution;
import io.touchpoint.model.EventType;
import io.touchpoint.model.InAppEvent;
import io.touchpoint.model.LakeTables;
import io.touchpoint.model.spark.ContractRows;
import io.touchpoint.model.spark.ContractSchemas;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * The authoritative attribution of day D, in about one shuffle of the touches: D's candidates
 * (installs and deep-linked sessions) and the touches of [D - horizon, D] are co-partitioned by
 * 64-bit match-key hashes ({@link io.touchpoint.attribution.MatchKeys} through {@link
 * io.touchpoint.batch.BatchFunctions}), sorted within partitions by key ({@link KeyGroups}: each
 * key's rows in time order), and each key is walked once ({@link KeyWalk}), handing each candidate
 * its touches and the install that opened the device's re-attribution window (shared-model's {@code
 * ReAttributionWindow.anchorFor} over the device's earlier installs of the last {@link
 * Rules#installHistory()}) to {@link AttributionEngine}. A candidate is walked under its device's
 * key (the advertising-id match key when it has one), where that key's touches and the device's
 * earlier installs meet; touches under its other keys (store referrer / deep-link click id,
 * probabilistic) are first brought there by a small walk over those keys ({@link LinkWalk}), run
 * only when some candidate asks for such a key. Before the shuffle, {@link WalkKeys} drops the
 * touches and earlier installs no candidate can ask for: exactly (a touch travels only when a
 * candidate on its key lies within the horizon after it) up to a configured number of candidates,
 * by Bloom filters of the keys above it.
 *
 * <p>The whole-day click-flooding signal per (app, site) comes from {@link SiteDayStats} and {@link
 * ClickFloodingDetector} over D's clicks and D's verdicts: for a day of up to {@code
 * attribute.verdicts-kept-max-candidates} candidates, on the verdicts kept before their one write
 * (a flagged site's verdicts are written rejected); above it, on the verdicts just written, and
 * only when a site is flagged are that site's verdicts rewritten (a second commit). D's in-app
 * events are credited with {@link EventCrediting} against the device's verdicts of every day up to
 * D.
 */
public final class AttributeStep {
  /**
   * Silver attributions: the contract's columns, then what reconciliation needs to explain
   * differences.
   */
  public static final StructType SILVER_ATTRIBUTIONS =
      ContractSchemas.ATTRIBUTIONS
          .add("prior_install_event_id", DataTypes.StringType, true)
          .add("prior_install_time", DataTypes.TimestampType, true)
          .add("prior_install_received_at", DataTypes.TimestampType, true)
          .add("touch_received_at", DataTypes.TimestampType, true);

  /**
   * The columns of silver attributions whose Delta statistics are kept: those a reader selects by
   * value (the aggregate step's kind, a flagged site's app and site, an erasure's app and device).
   * The ids and times, never selected by range, were 4.6 % of the walk stage's CPU at 50 M touches.
   */
  static final String VERDICT_STATS_COLUMNS = "app_id,kind,site_id,device_key";

  public static final StructType SITE_DAY_STATS =
      new StructType()
          .add("app_id", DataTypes.StringType, false)
          .add("site_id", DataTypes.StringType, true)
          .add("clicks", DataTypes.LongType, false)
          .add("installs", DataTypes.LongType, false)
          .add("installs_within_first_hour", DataTypes.LongType, false)
          .add("conversion_rate", DataTypes.DoubleType, false)
          .add("share_within_first_hour", DataTypes.DoubleType, false)
          .add("flooding", DataTypes.BooleanType, false);

  public record Result(LocalDate day, long verdicts, long floodingSites, long inAppEvents) {}

  /** A publisher site of one app. */
  private record Site(String appId, String siteId) implements java.io.Serializable {}

  private AttributeStep() {}

  public static Result run(BatchContext ctx, LocalDate day) {
    ctx.mark();
    Lake lake = ctx.lake();
    Rules rules = ctx.rules();
    Instant start = day.atStartOfDay(ZoneOffset.UTC).toInstant();
    Instant end = start.plus(Duration.ofDays(1));
    Duration horizon = rules.touchHorizon();

    Dataset<Row> appEvents =
        lake.readOrEmpty(LakeTables.SILVER_APP_EVENTS, ContractSchemas.APP_EVENTS);
    Dataset<Row> touchTable =
        lake.readOrEmpty(LakeTables.SILVER_TOUCHPOINTS, ContractSchemas.TOUCHPOINTS);
    Dataset<Row> installs =
        appEvents
            .where(Lake.daysBetween(utcDay(start.minus(rules.installHistory())), day))
            .where(col("event_type").equalTo(EventType.INSTALL.wireName()))
            .withColumn("is_day", Lake.day(day));
    Dataset<Row> sessions =
        appEvents
            .where(Lake.day(day))
            .where(
                col("event_type")
                    .equalTo(EventType.SESSION.wireName())
                    .and(isLink(col("deep_link_click_id"))));
    Dataset<Row> candidates =
        installs
            .where(col("is_day"))
            .drop("is_day")
            .unionByName(sessions)
            .withColumn(
                "link_click_id",
                when(
                        col("event_type").equalTo(EventType.INSTALL.wireName()),
                        col("referrer_click_id"))
                    .otherwise(col("deep_link_click_id")));

    WalkLayout.Layout layout =
        ctx.config().attributeReadByBucket()
            ? WalkLayout.check(
                ctx.spark(),
                lake.path(LakeTables.SILVER_TOUCHPOINTS),
                utcDay(start.minus(horizon)),
                day,
                ctx.config().walkBuckets())
            : WalkLayout.Layout.refused(0, "attribute.read-by-bucket = false");
    // read by bucket, no touch is filtered before the walk: the earlier installs are, by a Bloom
    // filter of the candidates' keys (the exact filter's table is for the touches)
    WalkKeys keys =
        WalkKeys.of(
            ctx.spark(),
            candidates,
            horizon,
            layout.usable() ? 0 : ctx.config().attributeExactFilterMaxCandidates(),
            CompileBudget.plannedOnce(ctx.spark()));
    ctx.log(
        "attribute %s: %d candidates asking %d link keys; %s",
        day,
        keys.candidates(),
        keys.linkKeys(),
        layout.usable()
            ? "touches read by walk-key bucket: %d file(s) of %s..%s, one-bucket files merged in %d bucket(s), no touch shuffle"
                .formatted(layout.fileCount(), utcDay(start.minus(horizon)), day, layout.buckets())
            : "touches kept by " + keys.plan() + " (not read by bucket: " + layout.reason() + ")");
    Dataset<Row> verdicts;
    BucketWalk bucketWalk = null;
    if (keys.candidates() == 0) {
      verdicts = ctx.spark().createDataFrame(List.of(), SILVER_ATTRIBUTIONS);
    } else {
      Dataset<Row> touches =
          touchTable
              .where(Lake.daysBetween(utcDay(start.minus(horizon)), day))
              .where(
                  col("event_time")
                      .geq(lit(Timestamp.from(start.minus(horizon))))
                      .and(col("event_time").lt(lit(Timestamp.from(end)))));
      Dataset<Row> walk =
          layout.usable()
              ? WalkRows.events(installs, sessions, keys.primaryFilter())
              : WalkRows.primaryTouches(touches, keys.touchKey())
                  .unionByName(WalkRows.events(installs, sessions, keys.primaryFilter()));
      if (keys.linkKeys() > 0) {
        Dataset<Row> linked =
            WalkRows.secondaryTouches(touches, keys.linkFilter())
                .unionByName(WalkRows.linkLookups(candidates))
                .repartition(col("k"))
                .sortWithinPartitions(KeyGroups.SORT)
                .mapPartitions(new LinkWalk(horizon), ContractRows.encoder(WalkRows.SCHEMA));
        walk = walk.unionByName(linked);
      }
      // the walk reads the sorted rows as Spark holds them (InternalRow): converting every column
      // of every row into a Row first was a tenth of the step's CPU
      if (layout.usable()) {
        bucketWalk =
            new BucketWalk(
                ctx.spark(),
                rules,
                horizon,
                layout.files(),
                micros(start.minus(horizon)),
                micros(end));
        verdicts =
            verdictFrame(
                ctx.spark(),
                WalkLayout.byBucket(
                        ctx.spark(),
                        walk.withColumn(
                            "b", pmod(col("k"), lit((long) layout.buckets())).cast("int")),
                        "b",
                        layout.buckets())
                    .sortWithinPartitions(col("k"))
                    .queryExecution()
                    .toRdd()
                    .toJavaRDD()
                    .mapPartitions(bucketWalk));
      } else {
        verdicts =
            verdictFrame(
                ctx.spark(),
                walk.repartition(col("k"))
                    .sortWithinPartitions(KeyGroups.SORT)
                    .queryExecution()
                    .toRdd()
                    .toJavaRDD()
                    .mapPartitions(new KeyWalk(rules, horizon)));
      }
    }
    List<Site> flagged;
    long written;
    if (keys.candidates() <= ctx.config().attributeVerdictsKeptMaxCandidates()) {
      // a day that fits: its click-flooding sites decided on the kept verdicts, which are then
      // written once (a second commit would make every later step rebuild the table's snapshot)
      Dataset<Row> kept = verdicts.persist(StorageLevel.MEMORY_AND_DISK());
      try {
        Flooding sites = flooding(ctx, touchTable, day, kept);
        flagged = sites.flagged();
        Dataset<Row> judged =
            flagged.isEmpty()
                ? kept
                : kept.mapPartitions(
                    rejectForSites(new HashSet<>(flagged)), ContractRows.encoder(kept.schema()));
        // two tables, two commits, independent of one another: written at once
        // (concurrent-writes)
        written =
            ctx.all(
                    List.<java.util.concurrent.Callable<Long>>of(
                        () -> writeVerdicts(lake, judged, day),
                        () -> writeSiteStats(ctx, day, sites.stats())))
                .get(0);
      } finally {
        kept.unpersist();
      }
      if (!flagged.isEmpty()) {
        ctx.log(
            "attribute %s: %d flooding site(s) flagged, their verdicts rejected before the write",
            day, flagged.size());
      }
    } else {
      written = writeVerdicts(lake, verdicts, day);
      Flooding sites =
          flooding(
              ctx, touchTable, day, lake.read(LakeTables.SILVER_ATTRIBUTIONS).where(Lake.day(day)));
      writeSiteStats(ctx, day, sites.stats());
      flagged = sites.flagged();
      rewriteFlagged(ctx, day, flagged);
    }
    long verdictCount =
        keys.candidates() == 0 ? 0 : written; // an empty write's commit carries no row count
    ctx.log(
        "attribute %s: %d verdicts%s",
        day, verdictCount, bucketWalk == null ? "" : "; " + bucketWalk.summary());

    long events = credit(ctx, appEvents, day);
    Result result = new Result(day, verdictCount, flagged.size(), events);
    ctx.log(
        "attribute %s: %d verdicts, %d flooding site(s), %d in-app events credited",
        day, verdictCount, flagged.size(), events);
    return result;
  }

  /**
   * The walk's verdicts, made by the walk in Spark's internal form ({@link KeyWalk}), as a frame of
   * {@link #SILVER_ATTRIBUTIONS} (no per-row encoding of external rows).
   */
  private static Dataset<Row> verdictFrame(
      org.apache.spark.sql.SparkSession spark,
      org.apache.spark.api.java.JavaRDD<org.apache.spark.sql.catalyst.InternalRow> rows) {
    return ((org.apache.spark.sql.classic.SparkSession) spark)
        .internalCreateDataFrame(rows.rdd(), SILVER_ATTRIBUTIONS, false);
  }

  private static long writeVerdicts(Lake lake, Dataset<Row> verdicts, LocalDate day) {
    // statistics only where readers select: set by the write that creates the table
    return lake.replaceDays(
        verdicts.withColumn(LakeTables.EVENT_DATE, lit(java.sql.Date.valueOf(day))),
        LakeTables.SILVER_ATTRIBUTIONS,
        List.of(day),
        false,
        VERDICT_STATS_COLUMNS);
  }

  /** D's site stats ({@link #SITE_DAY_STATS} rows + event_date) and the flagged sites. */
  private record Flooding(List<Row> stats, List<Site> flagged) {}

  /**
   * The whole-day signal: D's clicks per site and D's installs won by them, from D's verdicts
   * (kept, or a column-pruned read of the day just written): the site stats to write ({@link
   * #writeSiteStats}) and the flagged sites.
   */
  private static Flooding flooding(
      BatchContext ctx, Dataset<Row> touchTable, LocalDate day, Dataset<Row> dayVerdicts) {
    Map<Site, long[]> sites =
        new LinkedHashMap<>(); // clicks, installs, installs within the first hour
    for (Row r :
        touchTable
            .where(Lake.day(day))
            .where(countsAsClick(col("event_type"), col("click_id")))
            .groupBy("app_id", "site_id")
            .agg(count(lit(1)))
            .collectAsList()) {
      sites.put(new Site(r.getString(0), r.getString(1)), new long[] {r.getLong(2), 0, 0});
    }
    if (!sites.isEmpty()) {
      for (Row r :
          dayVerdicts
              .where(countsForSite(col("touch_type"), col("site_id"), col("kind"), col("outcome")))
              .groupBy("app_id", "site_id")
              .agg(count(lit(1)), sum(when(withinFirstHour(col("ctit_seconds")), 1L).otherwise(0L)))
              .collectAsList()) {
        long[] n = sites.get(new Site(r.getString(0), r.getString(1)));
        if (n != null) {
          n[1] = r.getLong(2);
          n[2] = r.getLong(3);
        }
      }
    }
    FloodingRules rules = ctx.rules().config().flooding();
    List<Row> stats = new ArrayList<>(sites.size());
    List<Site> flagged = new ArrayList<>();
    sites.forEach(
        (site, n) -> {
          SiteDayStats s = new SiteDayStats(site.appId(), site.siteId(), day, n[0], n[1], n[2]);
          boolean flooding = ClickFloodingDetector.isFlooding(s, rules);
          if (flooding) {
            flagged.add(site);
          }
          stats.add(
              RowFactory.create(
                  s.appId(),
                  s.siteId(),
                  s.clicks(),
                  s.installs(),
                  s.installsWithinFirstHour(),
                  s.conversionRate(),
                  s.shareWithinFirstHour(),
                  flooding,
                  java.sql.Date.valueOf(day)));
        });
    return new Flooding(stats, flagged);
  }

  /** Replaces D's site stats with {@code stats}; returns the rows written. */
  private static long writeSiteStats(BatchContext ctx, LocalDate day, List<Row> stats) {
    return ctx.lake()
        .replaceDays(
            ctx.spark()
                .createDataFrame(
                    stats, SITE_DAY_STATS.add(LakeTables.EVENT_DATE, DataTypes.DateType)),
            BatchTables.SITE_DAY_STATS,
            List.of(day));
  }

  /** The written day's verdicts of the flagged sites rejected, in a second commit. */
  private static void rewriteFlagged(BatchContext ctx, LocalDate day, List<Site> flagged) {
    if (flagged.isEmpty()) {
      return;
    }
    Lake lake = ctx.lake();
    String where =
        Lake.replaceWhere(List.of(day))
            + " AND ("
            + flagged.stream()
                .map(
                    s ->
                        "(app_id = "
                            + sqlString(s.appId())
                            + " AND site_id "
                            + (s.siteId() == null ? "IS NULL" : "= " + sqlString(s.siteId()))
                            + ")")
                .collect(Collectors.joining(" OR "))
            + ")";
    Dataset<Row> table = lake.read(LakeTables.SILVER_ATTRIBUTIONS);
    long rewritten =
        lake.replaceWhere(
            table.where(where).mapPartitions(applyFlooding(), ContractRows.encoder(table.schema())),
            LakeTables.SILVER_ATTRIBUTIONS,
            where);
    ctx.log(
        "attribute %s: %d flooding site(s) flagged, their verdicts rejected (%d rows rewritten with the files holding them)",
        day, flagged.size(), rewritten);
  }

  private static String sqlString(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  /** Rejects the verdicts that count for their (flagged) site; keeps the reconciliation columns. */
  private static MapPartitionsFunction<Row, Row> applyFlooding() {
    return rows -> map(rows, AttributeStep::reject);
  }

  /** {@link #applyFlooding} for the rows of the flagged sites, the others as they are. */
  private static MapPartitionsFunction<Row, Row> rejectForSites(Set<Site> flagged) {
    return rows ->
        map(
            rows,
            row ->
                flagged.contains(new Site(row.getAs("app_id"), row.getAs("site_id")))
                    ? reject(row)
                    : row);
  }

  private static Row reject(Row row) {
    Attribution a = ContractRows.attribution(row);
    if (!ClickFloodingDetector.countsForSite(a)) {
      return row;
    }
    Row rejected = ContractRows.attributionRow(ClickFloodingDetector.reject(a));
    Object[] values = new Object[row.length()];
    for (int i = 0; i < values.length; i++) {
      values[i] = i < rejected.length() ? rejected.get(i) : row.get(i);
    }
    return new org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema(values, row.schema());
  }

  private static Iterator<Row> map(Iterator<Row> rows, UnaryOperator<Row> f) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return rows.hasNext();
      }

      @Override
      public Row next() {
        return f.apply(rows.next());
      }
    };
  }

  /** D's in-app events credited against the device's verdicts of every day up to D. */
  private static long credit(BatchContext ctx, Dataset<Row> appEvents, LocalDate day) {
    Rules rules = ctx.rules();
    Dataset<Row> events =
        appEvents
            .where(Lake.day(day))
            .where(col("event_type").equalTo("in_app_event"))
            .withColumn(
                "device_key", deviceKey(col("device_advertising_id"), col("device_vendor_id")));
    if (events.isEmpty()) {
      // nothing to credit: the day is emptied (a rerun after an erasure must not keep old rows)
      // without reading the verdicts of every day up to D
      ctx.lake()
          .replaceDays(
              ctx.spark()
                  .createDataFrame(
                      List.of(),
                      ContractSchemas.ATTRIBUTED_EVENTS.add(
                          LakeTables.EVENT_DATE, DataTypes.DateType)),
              LakeTables.SILVER_ATTRIBUTED_EVENTS,
              List.of(day));
      return 0;
    }
    Dataset<Row> devices = events.select("app_id", "device_key").distinct();
    Dataset<Row> deviceVerdicts =
        ctx.lake()
            .read(LakeTables.SILVER_ATTRIBUTIONS)
            .where(col(LakeTables.EVENT_DATE).leq(lit(java.sql.Date.valueOf(day))))
            .join(devices, scala(List.of("app_id", "device_key")), "left_semi")
            .groupBy("app_id", "device_key")
            .agg(collect_list(struct(columns(ContractSchemas.ATTRIBUTIONS))).as("verdicts"));
    Dataset<Row> credited =
        events
            .join(deviceVerdicts, scala(List.of("app_id", "device_key")), "left")
            .mapPartitions(creditor(rules), ContractRows.encoder(ContractSchemas.ATTRIBUTED_EVENTS))
            .withColumn(LakeTables.EVENT_DATE, lit(java.sql.Date.valueOf(day)));
    return ctx.lake().replaceDays(credited, LakeTables.SILVER_ATTRIBUTED_EVENTS, List.of(day));
  }

  private static MapPartitionsFunction<Row, Row> creditor(Rules rules) {
    return rows ->
        new Iterator<>() {
          @Override
          public boolean hasNext() {
            return rows.hasNext();
          }

          @Override
          public Row next() {
            Row row = rows.next();
            InAppEvent event = (InAppEvent) ContractRows.appEvent(row);
            List<Attribution> verdicts = new ArrayList<>();
            int idx = row.fieldIndex("verdicts");
            if (!row.isNullAt(idx)) {
              for (Row v : row.<Row>getList(idx)) {
                verdicts.add(ContractRows.attribution(v));
              }
            }
            AttributedEvent e =
                EventCrediting.credit(event, verdicts, rules.rulesFor(event.appId()));
            return ContractRows.attributedEventRow(e);
          }
        };
  }

  static Column[] columns(StructType schema) {
    return Arrays.stream(schema.fieldNames()).map(c -> col(c)).toArray(Column[]::new);
  }

  static scala.collection.immutable.Seq<String> scala(List<String> names) {
    return scala.jdk.javaapi.CollectionConverters.asScala(names).toList();
  }

  private static long micros(Instant t) {
    return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
  }

  static LocalDate utcDay(Instant t) {
    return LocalDate.ofInstant(t, ZoneOffset.UTC);
  }
}
