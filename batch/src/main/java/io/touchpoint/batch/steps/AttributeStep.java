package io.touchpoint.batch.steps;

import static io.touchpoint.batch.BatchFunctions.deviceKey;
import static io.touchpoint.batch.BatchFunctions.isLink;
import static io.touchpoint.batch.BatchFunctions.matchableAid;
import static io.touchpoint.batch.BatchFunctions.uaFamily;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.touchpoint.attribution.AppRules;
import io.touchpoint.attribution.AttributionEngine;
import io.touchpoint.attribution.Candidate;
import io.touchpoint.attribution.ClickFloodingDetector;
import io.touchpoint.attribution.EventCrediting;
import io.touchpoint.attribution.FloodingRules;
import io.touchpoint.attribution.ReAttributionWindow;
import io.touchpoint.attribution.SiteDayStats;
import io.touchpoint.batch.BatchContext;
import io.touchpoint.batch.BatchTables;
import io.touchpoint.batch.Lake;
import io.touchpoint.batch.Rules;
import io.touchpoint.model.Attribution;
import io.touchpoint.model.AttributedEvent;
import io.touchpoint.model.Event;
import io.touchpoint.model.InAppEvent;
import io.touchpoint.model.Install;
import io.touchpoint.model.LakeTables;
import io.touchpoint.model.Session;
import io.touchpoint.model.Touchpoint;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * The authoritative attribution of day D. Candidates are D's installs and deep-linked sessions;
 * each one's possible touches are gathered through the three match keys exactly as
 * {@code InMemoryAttributor} does (app + matchable advertising id; app + click id for the store
 * referrer or deep link; app + IP + user-agent family for clicks without an advertising id),
 * from touches in [D - longest lookback, D]; the install that opened the device's re-attribution
 * window is {@link ReAttributionWindow#anchorFor} over the device's earlier silver installs of
 * the last {@link Rules#installHistory()}. Each candidate is then decided by shared-model's
 * {@link AttributionEngine}; the whole-day click-flooding signal per (app, site) is computed with
 * {@link SiteDayStats} and {@link ClickFloodingDetector}; D's in-app events are credited with
 * {@link EventCrediting} against the device's verdicts of every day up to D.
 */
public final class AttributeStep {
  /** Silver attributions: the contract's columns, then what reconciliation needs to explain differences. */
  public static final StructType SILVER_ATTRIBUTIONS = ContractSchemas.ATTRIBUTIONS
      .add("prior_install_event_id", DataTypes.StringType, true)
      .add("prior_install_time", DataTypes.TimestampType, true)
      .add("prior_install_received_at", DataTypes.TimestampType, true)
      .add("touch_received_at", DataTypes.TimestampType, true);

  public static final StructType SITE_DAY_STATS = new StructType()
      .add("app_id", DataTypes.StringType, false)
      .add("site_id", DataTypes.StringType, true)
      .add("clicks", DataTypes.LongType, false)
      .add("installs", DataTypes.LongType, false)
      .add("installs_within_first_hour", DataTypes.LongType, false)
      .add("conversion_rate", DataTypes.DoubleType, false)
      .add("share_within_first_hour", DataTypes.DoubleType, false)
      .add("flooding", DataTypes.BooleanType, false);

  private static final String SEP = "\u0001";
  private static final String[] EXTRA = {
    "prior_install_event_id", "prior_install_time", "prior_install_received_at", "touch_received_at"
  };

  public record Result(LocalDate day, long verdicts, long floodingSites, long inAppEvents) {}

  private AttributeStep() {}

  public static Result run(BatchContext ctx, LocalDate day) {
    ctx.mark();
    Lake lake = ctx.lake();
    Rules rules = ctx.rules();
    Instant start = day.atStartOfDay(ZoneOffset.UTC).toInstant();
    Instant end = start.plus(Duration.ofDays(1));
    Duration horizon = rules.touchHorizon();

    Dataset<Row> appEvents = lake.readOrEmpty(LakeTables.SILVER_APP_EVENTS, ContractSchemas.APP_EVENTS);
    Dataset<Row> touchTable = lake.readOrEmpty(LakeTables.SILVER_TOUCHPOINTS, ContractSchemas.TOUCHPOINTS);

    Dataset<Row> candidates = candidates(appEvents, day, start, rules.installHistory())
        .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> touches = touchTable
        .where(Lake.daysBetween(utcDay(start.minus(horizon)), day))
        .where(col("event_time").geq(lit(Timestamp.from(start.minus(horizon))))
            .and(col("event_time").lt(lit(Timestamp.from(end)))));
    Dataset<Row> gathered = gather(candidates, touches, horizon);

    Column[] appCols = columns(ContractSchemas.APP_EVENTS);
    Dataset<Row> joined = candidates
        .join(gathered, candidates.col("event_id").equalTo(gathered.col("cand_id")), "left")
        .select(struct(appCols).as("cand"), col("prior_install_event_id"), col("prior_install_time"),
            col("prior_install_received_at"), col("touches"), col("earlier_install_times"));
    Dataset<Row> verdicts = joined
        .mapPartitions(decide(rules), ContractRows.encoder(SILVER_ATTRIBUTIONS))
        .persist(StorageLevel.MEMORY_AND_DISK());

    // the whole-day signal: D's clicks per site and D's installs won by them
    Dataset<Row> clicks = touchTable.where(Lake.day(day))
        .where(col("event_type").equalTo("click").and(col("click_id").isNotNull()))
        .groupBy("app_id", "site_id").agg(count(lit(1)).as("clicks"));
    Dataset<Row> siteInstalls = verdicts
        .where(col("touch_type").equalTo("CLICK").and(col("site_id").isNotNull())
            .and(col("kind").isin("INSTALL", "RE_ATTRIBUTION"))
            .and(col("outcome").isin("ATTRIBUTED", "REJECTED")))
        .groupBy("app_id", "site_id")
        .agg(count(lit(1)).as("installs"),
            sum(when(col("ctit_seconds").leq(ClickFloodingDetector.FIRST_HOUR.toSeconds()), 1L).otherwise(0L))
                .as("installs_within_first_hour"));
    Dataset<Row> stats = clicks.join(siteInstalls, scala(List.of("app_id", "site_id")), "left")
        .na().fill(0L, new String[] {"installs", "installs_within_first_hour"})
        .mapPartitions(flooding(rules, day), ContractRows.encoder(SITE_DAY_STATS))
        .withColumn(LakeTables.EVENT_DATE, lit(java.sql.Date.valueOf(day)));
    lake.replaceDays(stats, BatchTables.SITE_DAY_STATS, List.of(day));
    Set<String> flagged = new HashSet<>();
    for (Row r : lake.read(BatchTables.SITE_DAY_STATS).where(Lake.day(day)).where(col("flooding"))
        .select("app_id", "site_id").collectAsList()) {
      flagged.add(r.getString(0) + SEP + r.getString(1));
    }

    Dataset<Row> finalVerdicts = verdicts
        .mapPartitions(applyFlooding(flagged), ContractRows.encoder(SILVER_ATTRIBUTIONS))
        .withColumn(LakeTables.EVENT_DATE, lit(java.sql.Date.valueOf(day)));
    long verdictCount = lake.replaceDays(finalVerdicts, LakeTables.SILVER_ATTRIBUTIONS, List.of(day));
    verdicts.unpersist();
    candidates.unpersist();

    long events = credit(ctx, appEvents, day);
    Result result = new Result(day, verdictCount, flagged.size(), events);
    ctx.log("attribute %s: %d verdicts, %d flooding site(s), %d in-app events credited",
        day, verdictCount, flagged.size(), events);
    return result;
  }

  /**
   * D's installs (with the device's previous install, and its earlier install times for the
   * window's anchor) and deep-linked sessions.
   */
  static Dataset<Row> candidates(Dataset<Row> appEvents, LocalDate day, Instant start, Duration installHistory) {
    WindowSpec byDevice = Window.partitionBy("app_id", "device_key").orderBy("event_time", "event_id");
    Dataset<Row> installs = appEvents
        .where(Lake.daysBetween(utcDay(start.minus(installHistory)), day))
        .where(col("event_type").equalTo("install"))
        .withColumn("device_key", deviceKey(col("device_advertising_id"), col("device_vendor_id")))
        .withColumn("prior_install_event_id", lag("event_id", 1).over(byDevice))
        .withColumn("prior_install_time", lag("event_time", 1).over(byDevice))
        .withColumn("prior_install_received_at", lag("received_at", 1).over(byDevice))
        .withColumn("earlier_install_times",
            collect_list("event_time").over(byDevice.rowsBetween(Window.unboundedPreceding(), -1)))
        .where(Lake.day(day));
    Dataset<Row> sessions = appEvents.where(Lake.day(day))
        .where(col("event_type").equalTo("session").and(isLink(col("deep_link_click_id"))))
        .withColumn("device_key", deviceKey(col("device_advertising_id"), col("device_vendor_id")))
        .withColumn("prior_install_event_id", lit(null).cast(DataTypes.StringType))
        .withColumn("prior_install_time", lit(null).cast(DataTypes.TimestampType))
        .withColumn("prior_install_received_at", lit(null).cast(DataTypes.TimestampType))
        .withColumn("earlier_install_times", lit(null).cast(DataTypes.createArrayType(DataTypes.TimestampType)));
    return installs.unionByName(sessions)
        .withColumn("link_click_id",
            when(col("event_type").equalTo("install"), col("referrer_click_id")).otherwise(col("deep_link_click_id")));
  }

  /**
   * Every candidate's possible touches: a superset, as the engine wants, found through the three
   * match keys and bounded to [candidate time - horizon, candidate time).
   */
  static Dataset<Row> gather(Dataset<Row> candidates, Dataset<Row> touches, Duration horizon) {
    Column candAid = matchableAid(col("device_advertising_id"));
    Column candUa = uaFamily(col("device_user_agent"));
    Dataset<Row> candKeys = candidates
        .select(col("event_id").as("cand_id"), col("event_time").as("cand_time"),
            explode(array(
                when(candAid.isNotNull(), concat_ws(SEP, lit("A"), col("app_id"), candAid)),
                when(col("link_click_id").isNotNull(), concat_ws(SEP, lit("C"), col("app_id"), col("link_click_id"))),
                when(col("device_ip").isNotNull().and(candUa.isNotNull()),
                    concat_ws(SEP, lit("P"), col("app_id"), col("device_ip"), candUa))))
                .as("k"))
        .where(col("k").isNotNull());

    Column touchAid = matchableAid(col("device_advertising_id"));
    Column isClick = col("event_type").equalTo("click");
    Column touchUa = uaFamily(col("device_user_agent"));
    Dataset<Row> touchKeys = touches
        .select(col("event_time").as("t_time"), struct(columns(ContractSchemas.TOUCHPOINTS)).as("touch"),
            explode(array(
                when(touchAid.isNotNull(), concat_ws(SEP, lit("A"), col("app_id"), touchAid)),
                when(isClick.and(col("click_id").isNotNull()), concat_ws(SEP, lit("C"), col("app_id"), col("click_id"))),
                when(isClick.and(touchAid.isNull()).and(col("device_ip").isNotNull()).and(touchUa.isNotNull()),
                    concat_ws(SEP, lit("P"), col("app_id"), col("device_ip"), touchUa))))
                .as("k"))
        .where(col("k").isNotNull());

    return candKeys
        .join(touchKeys, candKeys.col("k").equalTo(touchKeys.col("k"))
            .and(col("t_time").lt(col("cand_time")))
            .and(col("t_time").geq(col("cand_time").minus(expr("INTERVAL " + horizon.toSeconds() + " SECONDS")))))
        .groupBy("cand_id")
        .agg(collect_list("touch").as("touches"));
  }

  private static MapPartitionsFunction<Row, Row> decide(Rules rules) {
    return rows -> new Iterator<>() {
      @Override
      public boolean hasNext() {
        return rows.hasNext();
      }

      @Override
      public Row next() {
        Row row = rows.next();
        Event event = ContractRows.appEvent(row.getStruct(0));
        Candidate candidate = event instanceof Install i ? Candidate.of(i) : Candidate.of((Session) event);
        Set<Touchpoint> touches = new LinkedHashSet<>();
        if (!row.isNullAt(4)) {
          for (Row t : row.<Row>getList(4)) {
            touches.add(ContractRows.touchpoint(t));
          }
        }
        AppRules appRules = rules.rulesFor(candidate.appId());
        List<Instant> earlier = new ArrayList<>();
        if (!row.isNullAt(5)) {
          for (Object t : row.getList(5)) {
            earlier.add(instant(t));
          }
        }
        Instant anchor = ReAttributionWindow.anchorFor(earlier, candidate.time(), appRules);
        Attribution a = AttributionEngine.attribute(candidate, touches, anchor, appRules);
        Instant touchReceived = null;
        for (Touchpoint t : touches) {
          if (t.eventId().equals(a.touchEventId()) && t.eventTime().equals(a.touchTime())) {
            touchReceived = t.receivedAt();
            break;
          }
        }
        return withExtras(ContractRows.attributionRow(a),
            row.get(1), row.get(2), row.get(3), touchReceived == null ? null : Timestamp.from(touchReceived));
      }
    };
  }

  private static MapPartitionsFunction<Row, Row> flooding(Rules rules, LocalDate day) {
    return rows -> new Iterator<>() {
      private final FloodingRules floodingRules = rules.config().flooding();

      @Override
      public boolean hasNext() {
        return rows.hasNext();
      }

      @Override
      public Row next() {
        Row r = rows.next();
        SiteDayStats s = new SiteDayStats(r.getAs("app_id"), r.getAs("site_id"), day,
            r.<Long>getAs("clicks"), r.<Long>getAs("installs"), r.<Long>getAs("installs_within_first_hour"));
        return new GenericRowWithSchema(new Object[] {
          s.appId(), s.siteId(), s.clicks(), s.installs(), s.installsWithinFirstHour(), s.conversionRate(),
          s.shareWithinFirstHour(), ClickFloodingDetector.isFlooding(s, floodingRules)
        }, SITE_DAY_STATS);
      }
    };
  }

  private static MapPartitionsFunction<Row, Row> applyFlooding(Set<String> flagged) {
    return rows -> new Iterator<>() {
      @Override
      public boolean hasNext() {
        return rows.hasNext();
      }

      @Override
      public Row next() {
        Row row = rows.next();
        Attribution a = ContractRows.attribution(row);
        if (!ClickFloodingDetector.countsForSite(a) || !flagged.contains(a.appId() + SEP + a.siteId())) {
          return row;
        }
        Object[] extras = new Object[EXTRA.length];
        for (int i = 0; i < EXTRA.length; i++) {
          extras[i] = row.get(row.fieldIndex(EXTRA[i]));
        }
        return withExtras(ContractRows.attributionRow(ClickFloodingDetector.reject(a)), extras);
      }
    };
  }

  /** D's in-app events credited against the device's verdicts of every day up to D. */
  private static long credit(BatchContext ctx, Dataset<Row> appEvents, LocalDate day) {
    Rules rules = ctx.rules();
    Dataset<Row> events = appEvents.where(Lake.day(day)).where(col("event_type").equalTo("in_app_event"))
        .withColumn("device_key", deviceKey(col("device_advertising_id"), col("device_vendor_id")));
    Dataset<Row> devices = events.select("app_id", "device_key").distinct();
    Dataset<Row> deviceVerdicts = ctx.lake().read(LakeTables.SILVER_ATTRIBUTIONS)
        .where(col(LakeTables.EVENT_DATE).leq(lit(java.sql.Date.valueOf(day))))
        .join(devices, scala(List.of("app_id", "device_key")), "left_semi")
        .groupBy("app_id", "device_key")
        .agg(collect_list(struct(columns(ContractSchemas.ATTRIBUTIONS))).as("verdicts"));
    Dataset<Row> credited = events.join(deviceVerdicts, scala(List.of("app_id", "device_key")), "left")
        .mapPartitions(creditor(rules), ContractRows.encoder(ContractSchemas.ATTRIBUTED_EVENTS))
        .withColumn(LakeTables.EVENT_DATE, lit(java.sql.Date.valueOf(day)));
    return ctx.lake().replaceDays(credited, LakeTables.SILVER_ATTRIBUTED_EVENTS, List.of(day));
  }

  private static MapPartitionsFunction<Row, Row> creditor(Rules rules) {
    return rows -> new Iterator<>() {
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
        AttributedEvent e = EventCrediting.credit(event, verdicts, rules.rulesFor(event.appId()));
        return ContractRows.attributedEventRow(e);
      }
    };
  }

  private static Row withExtras(Row base, Object... extras) {
    Object[] values = new Object[base.length() + extras.length];
    for (int i = 0; i < base.length(); i++) {
      values[i] = base.get(i);
    }
    System.arraycopy(extras, 0, values, base.length(), extras.length);
    return new GenericRowWithSchema(values, SILVER_ATTRIBUTIONS);
  }

  static Column[] columns(StructType schema) {
    return Arrays.stream(schema.fieldNames()).map(c -> col(c)).toArray(Column[]::new);
  }

  static scala.collection.immutable.Seq<String> scala(List<String> names) {
    return scala.jdk.javaapi.CollectionConverters.asScala(names).toList();
  }

  static Instant instant(Object ts) {
    if (ts == null) {
      return null;
    }
    return ts instanceof Timestamp t ? t.toInstant() : (Instant) ts;
  }

  static LocalDate utcDay(Instant t) {
    return LocalDate.ofInstant(t, ZoneOffset.UTC);
  }
}
