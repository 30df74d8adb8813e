package io.touchpoint.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.touchpoint.attribution.InMemoryAttributor;
import io.touchpoint.attribution.Retention;
import io.touchpoint.attribution.RulesConfig;
import io.touchpoint.batch.steps.ExportStep;
import io.touchpoint.batch.steps.ReconcileStep;
import io.touchpoint.model.AttributedEvent;
import io.touchpoint.model.Attribution;
import io.touchpoint.model.AttributionKind;
import io.touchpoint.model.Event;
import io.touchpoint.model.FraudReason;
import io.touchpoint.model.LakeTables;
import io.touchpoint.model.MatchType;
import io.touchpoint.model.Outcome;
import io.touchpoint.model.TouchType;
import io.touchpoint.model.spark.ContractRows;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The nightly flow over a simulated multi-day scenario with late events, duplicates and fraud: each
 * night the collector's deliveries of that day are appended to bronze, then the whole batch runs
 * for the day (recomputing the days late arrivals touched). Verdicts must equal the reference over
 * the whole data set; gold must equal totals computed independently; reruns, and a run killed
 * midway then rerun, must leave identical tables.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BatchPipelineTest {
  private static final LocalDate FIRST = LocalDate.of(2026, 3, 1);
  private static final int DAYS = 3;

  private SparkSession spark;
  private ScenarioData scenario;
  private InMemoryAttributor.Result truth;
  private RulesConfig rules;
  private String lake;
  private Path rulesFile;
  private Path dir;
  private BatchConfig config;
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();
  private PrintStream out;

  @BeforeAll
  void nightlyRuns() throws Exception {
    spark = TestLake.spark();
    scenario = new ScenarioData(FIRST, DAYS, 42);
    truth = scenario.truth();
    rules = scenario.rules();
    dir = TestLake.tempDir("batch-pipeline");
    lake = dir.resolve("lake").toString();
    rulesFile = dir.resolve("rules.conf");
    Files.writeString(rulesFile, ScenarioData.RULES);
    config =
        BatchConfig.load(
            Map.of("lake", lake, "rules-file", rulesFile.toString(), "recompute-marked", "true"));
    out = new PrintStream(log, true, StandardCharsets.UTF_8);
    for (int d = 0; d < DAYS; d++) {
      Instant from = d == 0 ? Instant.EPOCH : scenario.dayStart(d);
      Instant to = scenario.dayStart(d + 1);
      TestLake.appendBronze(
          spark,
          lake,
          scenario.deliveries.stream()
              .filter(
                  x ->
                      !x.event().receivedAt().isBefore(from) && x.event().receivedAt().isBefore(to))
              .toList());
      BatchJob.run(
          spark, config, FIRST.plusDays(d), FIRST.plusDays(d), EnumSet.allOf(Step.class), out);
    }
  }

  @AfterAll
  void stop() {
    System.out.println(log.toString(StandardCharsets.UTF_8));
    spark.stop();
    TestLake.delete(dir);
  }

  @Test
  @Order(1)
  void theScenarioCoversEveryRuleAndDefect() {
    List<Attribution> v = truth.attributions();
    assertThat(v).extracting(Attribution::kind).contains(AttributionKind.values());
    assertThat(v).extracting(Attribution::outcome).contains(Outcome.values());
    assertThat(v).extracting(Attribution::matchType).contains(MatchType.values());
    assertThat(v).extracting(Attribution::touchType).contains(TouchType.values());
    assertThat(v).flatExtracting(Attribution::fraudReasons).contains(FraudReason.values());
    assertThat(v).filteredOn(a -> !a.contributors().isEmpty()).isNotEmpty();
    assertThat(truth.floodingSites()).hasSize(DAYS);
    long late =
        scenario.events.stream()
            .filter(e -> !day(e.receivedAt()).equals(day(e.eventTime())))
            .count();
    long duplicates = scenario.deliveries.size() - scenario.events.size();
    assertThat(late).isGreaterThan(10);
    assertThat(duplicates).isGreaterThan(50);
  }

  @Test
  @Order(2)
  void silverHoldsEachEventOnceInItsEventDay() {
    Lake l = new Lake(spark, lake);
    long events =
        l.read(LakeTables.SILVER_TOUCHPOINTS).count()
            + l.read(LakeTables.SILVER_APP_EVENTS).count();
    assertThat(events).isEqualTo(scenario.events.size());
    assertThat(
            l.read(LakeTables.SILVER_APP_EVENTS).where("to_date(event_time) <> event_date").count())
        .isZero();
    // the earliest delivery was kept: silver received_at is the original one
    Map<String, Instant> received =
        scenario.events.stream().collect(Collectors.toMap(Event::eventId, Event::receivedAt));
    for (Row r :
        l.read(LakeTables.SILVER_APP_EVENTS).select("event_id", "received_at").collectAsList()) {
      assertThat(r.getTimestamp(1).toInstant()).isEqualTo(received.get(r.getString(0)));
    }
    List<Row> marks = l.read(BatchTables.RECOMPUTE_MARKS).collectAsList();
    assertThat(marks).isNotEmpty();
  }

  @Test
  @Order(3)
  void verdictsAgreeWithTheReference() {
    List<Attribution> batch =
        new Lake(spark, lake)
            .read(LakeTables.SILVER_ATTRIBUTIONS).collectAsList().stream()
                .map(ContractRows::attribution)
                .sorted(Comparator.comparing(Attribution::candidateEventId))
                .toList();
    List<Attribution> expected =
        truth.attributions().stream()
            .sorted(Comparator.comparing(Attribution::candidateEventId))
            .toList();
    assertThat(batch).hasSameSizeAs(expected);
    for (int i = 0; i < expected.size(); i++) {
      assertThat(batch.get(i)).as("verdict %d", i).isEqualTo(expected.get(i));
    }
  }

  @Test
  @Order(4)
  void inAppEventsAreCreditedAsTheReferenceDoes() {
    List<AttributedEvent> batch =
        new Lake(spark, lake)
            .read(LakeTables.SILVER_ATTRIBUTED_EVENTS).collectAsList().stream()
                .map(ContractRows::attributedEvent)
                .sorted(Comparator.comparing(AttributedEvent::eventId))
                .toList();
    List<AttributedEvent> expected =
        truth.attributedEvents().stream()
            .sorted(Comparator.comparing(AttributedEvent::eventId))
            .toList();
    assertThat(batch).containsExactlyElementsOf(expected);
    assertThat(expected).filteredOn(e -> e.installOutcome() == Outcome.ATTRIBUTED).isNotEmpty();
  }

  @Test
  @Order(5)
  void goldEqualsTotalsComputedIndependentlyFromTheReference() {
    Lake l = new Lake(spark, lake);
    List<Attribution> v = truth.attributions();

    // daily installs by app x local day x source
    Map<String, List<Long>> installs = new TreeMap<>();
    for (Attribution a : v) {
      if (a.kind() == AttributionKind.RE_ENGAGEMENT && a.outcome() != Outcome.ATTRIBUTED) {
        continue;
      }
      List<Long> m =
          installs.computeIfAbsent(
              key(
                  a.appId(),
                  localDay(a.appId(), a.eventTime()),
                  a.mediaSource() == null ? "organic" : a.mediaSource()),
              k -> new ArrayList<>(List.of(0L, 0L, 0L, 0L, 0L, 0L)));
      add(m, 0, a.kind() == AttributionKind.INSTALL && a.outcome() != Outcome.REJECTED);
      add(m, 1, a.kind() == AttributionKind.RE_ATTRIBUTION && a.outcome() == Outcome.ATTRIBUTED);
      add(m, 2, a.kind() == AttributionKind.REINSTALL);
      add(m, 3, a.kind() == AttributionKind.RE_ENGAGEMENT);
      add(m, 4, a.outcome() == Outcome.REJECTED);
      add(m, 5, a.fraudReasons().contains(FraudReason.CLICK_FLOODING_SITE));
    }
    Map<String, List<Long>> gold = new TreeMap<>();
    for (Row r :
        l.read(BatchTables.gold(BatchTables.GOLD_INSTALLS))
            .groupBy("app_id", "day", "media_source")
            .agg(
                org.apache.spark.sql.functions.sum("installs"),
                org.apache.spark.sql.functions.sum("re_attributions"),
                org.apache.spark.sql.functions.sum("reinstalls"),
                org.apache.spark.sql.functions.sum("re_engagements"),
                org.apache.spark.sql.functions.sum("rejected"),
                org.apache.spark.sql.functions.sum("rejected_click_flooding"))
            .collectAsList()) {
      gold.put(
          key(r.getString(0), r.getDate(1).toLocalDate(), r.getString(2)),
          List.of(
              r.getLong(3), r.getLong(4), r.getLong(5), r.getLong(6), r.getLong(7), r.getLong(8)));
    }
    assertThat(gold).isEqualTo(installs);
    assertThat(installs.keySet()).anyMatch(k -> k.startsWith(ScenarioData.SHOP));

    // in-app events and revenue by app x local day x source x currency
    Rates rates = Rates.builtIn();
    Map<String, BigDecimal> revenue = new TreeMap<>();
    Map<String, Long> eventCounts = new TreeMap<>();
    for (AttributedEvent e : truth.attributedEvents()) {
      LocalDate d = localDay(e.appId(), e.eventTime());
      String k =
          key(e.appId(), d, e.mediaSource() == null ? "organic" : e.mediaSource())
              + "|"
              + e.currency();
      eventCounts.merge(k, 1L, Long::sum);
      Double usd = rates.toUsd(e.revenue(), e.currency(), d);
      revenue.merge(k, usd == null ? BigDecimal.ZERO.setScale(6) : money(usd), BigDecimal::add);
    }
    Map<String, BigDecimal> goldRevenue = new TreeMap<>();
    Map<String, Long> goldCounts = new TreeMap<>();
    for (Row r :
        l.read(BatchTables.gold(BatchTables.GOLD_EVENTS))
            .groupBy("app_id", "day", "media_source", "currency")
            .agg(
                org.apache.spark.sql.functions.sum("events"),
                org.apache.spark.sql.functions.sum("revenue_usd"))
            .collectAsList()) {
      String k =
          key(r.getString(0), r.getDate(1).toLocalDate(), r.getString(2)) + "|" + r.getString(3);
      goldCounts.put(k, r.getLong(4));
      goldRevenue.put(k, r.isNullAt(5) ? BigDecimal.ZERO.setScale(6) : r.getDecimal(5).setScale(6));
    }
    assertThat(goldCounts).isEqualTo(eventCounts);
    assertThat(goldRevenue).isEqualTo(revenue);
    assertThat(revenue.values()).anyMatch(x -> x.signum() > 0);

    // cohorts (day 0) and day-N retention: shared-model's Retention rule over the same events,
    // as InMemoryAttributor counts it (each cohort's retained days)
    Map<String, Long> expectedRetention = new TreeMap<>();
    for (Attribution a : v) {
      if (Retention.startsCohort(a)) {
        String cohort =
            key(
                a.appId(),
                Retention.calendarDay(a.eventTime(), rules.rulesFor(a.appId())),
                credited(a));
        expectedRetention.merge(cohort + "|0", 1L, Long::sum);
        truth
            .retainedDays()
            .get(a.candidateEventId())
            .forEach(n -> expectedRetention.merge(cohort + "|" + n, 1L, Long::sum));
      }
    }
    Map<String, Long> goldRetention = new TreeMap<>();
    for (Row r :
        l.read(BatchTables.gold(BatchTables.GOLD_RETENTION))
            .groupBy("app_id", "cohort_day", "media_source", "day_n")
            .agg(org.apache.spark.sql.functions.sum("users"))
            .collectAsList()) {
      goldRetention.put(
          key(r.getString(0), r.getDate(1).toLocalDate(), r.getString(2)) + "|" + r.getInt(3),
          r.getLong(4));
    }
    assertThat(goldRetention).isEqualTo(expectedRetention);
    assertThat(expectedRetention.keySet()).anyMatch(k -> k.endsWith("|1"));

    // LTV: revenue by cohort day and age
    Map<String, BigDecimal> ltv = new TreeMap<>();
    for (AttributedEvent e : truth.attributedEvents()) {
      if (e.installAttributionId() == null) {
        continue;
      }
      LocalDate cohortDay = localDay(e.appId(), e.installTime());
      LocalDate d = localDay(e.appId(), e.eventTime());
      Double usd = rates.toUsd(e.revenue(), e.currency(), d);
      ltv.merge(
          key(e.appId(), cohortDay, e.mediaSource() == null ? "organic" : e.mediaSource())
              + "|"
              + ChronoUnit.DAYS.between(cohortDay, d),
          usd == null ? BigDecimal.ZERO.setScale(6) : money(usd),
          BigDecimal::add);
    }
    Map<String, BigDecimal> goldLtv = new TreeMap<>();
    for (Row r :
        l.read(BatchTables.gold(BatchTables.GOLD_LTV))
            .groupBy("app_id", "cohort_day", "media_source", "age_days")
            .agg(org.apache.spark.sql.functions.sum("revenue_usd"))
            .collectAsList()) {
      goldLtv.put(
          key(r.getString(0), r.getDate(1).toLocalDate(), r.getString(2)) + "|" + r.getInt(3),
          r.isNullAt(4) ? BigDecimal.ZERO.setScale(6) : r.getDecimal(4).setScale(6));
    }
    assertThat(goldLtv).isEqualTo(ltv);

    // CTIT histogram: installs won by a click, per source, site and bucket
    Map<String, Long> ctit = new TreeMap<>();
    for (Attribution a : v) {
      if (a.touchType() == TouchType.CLICK
          && a.ctitSeconds() != null
          && (a.kind() == AttributionKind.INSTALL || a.kind() == AttributionKind.RE_ATTRIBUTION)) {
        ctit.merge(
            a.appId() + "|" + a.mediaSource() + "|" + a.siteId() + "|" + bucket(a.ctitSeconds()),
            1L,
            Long::sum);
      }
    }
    Map<String, Long> goldCtit = new TreeMap<>();
    for (Row r :
        l.read(BatchTables.gold(BatchTables.GOLD_CTIT))
            .groupBy("app_id", "media_source", "site_id", "bucket_start_seconds")
            .agg(org.apache.spark.sql.functions.sum("installs"))
            .collectAsList()) {
      goldCtit.put(
          r.getString(0) + "|" + r.getString(1) + "|" + r.getString(2) + "|" + r.getInt(3),
          r.getLong(4));
    }
    assertThat(goldCtit).isEqualTo(ctit);
  }

  @Test
  @Order(6)
  void exportHoldsEachGoldTablesDayAsParquet() {
    Lake l = new Lake(spark, lake);
    for (int d = 0; d < DAYS; d++) {
      LocalDate day = FIRST.plusDays(d);
      for (String t : BatchTables.GOLD) {
        List<String> exported =
            spark.read().parquet(ExportStep.folder(l, t, day)).collectAsList().stream()
                .map(Row::toString)
                .sorted()
                .toList();
        List<String> gold =
            l.read(BatchTables.gold(t)).where(Lake.day(day)).collectAsList().stream()
                .map(Row::toString)
                .sorted()
                .toList();
        assertThat(exported).as("%s %s", t, day).isEqualTo(gold);
      }
    }
  }

  @Test
  @Order(10)
  void reconciliationExplainsEveryDifferenceByClass() {
    LocalDate day = FIRST.plusDays(1);
    Map<String, Event> byId =
        scenario.events.stream().collect(Collectors.toMap(Event::eventId, e -> e));
    List<Attribution> ofDay =
        truth.attributions().stream()
            .filter(a -> day(a.eventTime()).equals(day))
            .sorted(Comparator.comparing(Attribution::candidateEventId))
            .toList();
    java.util.function.Predicate<Attribution> touchLate =
        a ->
            a.touchEventId() != null
                && byId.get(a.touchEventId()).receivedAt().isAfter(a.receivedAt());
    java.util.function.Predicate<Attribution> candidateLate =
        a -> Duration.between(a.eventTime(), a.receivedAt()).compareTo(Duration.ofHours(1)) > 0;
    java.util.function.Predicate<Attribution> flooding =
        a -> a.fraudReasons().contains(FraudReason.CLICK_FLOODING_SITE);
    java.util.function.Predicate<Attribution> plain =
        a ->
            a.kind() == AttributionKind.INSTALL
                && !touchLate.test(a)
                && !candidateLate.test(a)
                && !flooding.test(a);

    Attribution flooded = ofDay.stream().filter(flooding).findFirst().orElseThrow();
    Attribution lateTouch =
        ofDay.stream().filter(touchLate.and(flooding.negate())).findFirst().orElseThrow();
    Attribution lateInstall =
        ofDay.stream()
            .filter(candidateLate.and(touchLate.negate()).and(flooding.negate()))
            .findFirst()
            .orElseThrow();
    List<Attribution> plainOnes = ofDay.stream().filter(plain).toList();
    Attribution duplicated = plainOnes.get(0);
    Attribution other = plainOnes.get(1);

    List<Attribution> speed = new ArrayList<>();
    for (Attribution a : ofDay) {
      if (a == lateInstall) {
        continue; // the stream never produced it
      } else if (a == flooded) {
        List<FraudReason> reasons =
            a.fraudReasons().stream().filter(r -> r != FraudReason.CLICK_FLOODING_SITE).toList();
        speed.add(
            copy(
                a,
                reasons.isEmpty() ? Outcome.ATTRIBUTED : Outcome.REJECTED,
                a.mediaSource(),
                reasons));
      } else if (a == lateTouch) {
        speed.add(
            new Attribution(
                a.attributionId(),
                a.candidateEventId(),
                a.appId(),
                a.kind(),
                Outcome.ORGANIC,
                a.eventTime(),
                a.receivedAt(),
                a.deviceKey(),
                a.platform(),
                a.country(),
                null,
                null,
                null,
                null,
                null,
                MatchType.NONE,
                TouchType.NONE,
                null,
                null,
                null,
                List.of(),
                List.of(),
                a.reEngagement()));
      } else if (a == other) {
        speed.add(copy(a, a.outcome(), "netZ", a.fraudReasons()));
      } else {
        speed.add(a);
      }
    }
    speed.add(duplicated);
    Attribution phantom = copy(other, Outcome.ORGANIC, null, List.of());
    speed.add(
        new Attribution(
            "00000000-0000-3000-8000-000000000001",
            "phantom-candidate",
            phantom.appId(),
            phantom.kind(),
            phantom.outcome(),
            phantom.eventTime(),
            phantom.receivedAt(),
            phantom.deviceKey(),
            phantom.platform(),
            phantom.country(),
            null,
            null,
            null,
            null,
            null,
            MatchType.NONE,
            TouchType.NONE,
            null,
            null,
            null,
            List.of(),
            List.of(),
            false));
    List<Row> rows =
        speed.stream()
            .map(
                a -> {
                  Row r = ContractRows.attributionRow(a);
                  Object[] values = new Object[r.length() + 1];
                  for (int i = 0; i < r.length(); i++) {
                    values[i] = r.get(i);
                  }
                  values[r.length()] = java.sql.Date.valueOf(day);
                  return (Row) org.apache.spark.sql.RowFactory.create(values);
                })
            .toList();
    spark
        .createDataFrame(
            rows,
            io.touchpoint.model.spark.ContractSchemas.ATTRIBUTIONS.add(
                LakeTables.EVENT_DATE, "date"))
        .write()
        .format("delta")
        .mode(SaveMode.Overwrite)
        .partitionBy(LakeTables.EVENT_DATE)
        .save(LakeTables.path(lake, LakeTables.SPEED_ATTRIBUTIONS));

    ReconcileStep.Report report = ReconcileStep.run(BatchJob.context(spark, config, out), day);
    System.out.println(report.text());
    assertThat(report.speedAvailable()).isTrue();
    assertThat(report.batchVerdicts()).isEqualTo(ofDay.size());
    assertThat(report.speedRows()).isEqualTo(speed.size());
    assertThat(report.differencesByClass())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "BATCH_ONLY_FRAUD_SIGNAL",
                1L,
                "TOUCH_ARRIVED_AFTER_INSTALL",
                1L,
                "LATE_INSTALL",
                1L,
                "DUPLICATE",
                1L,
                "OTHER",
                2L));
    assertThat(report.matched()).isEqualTo(ofDay.size() - 5);
    assertThat(report.text())
        .contains("touch arrived after install", "batch only fraud signal", "agree");
    Map<String, String> classOf =
        new Lake(spark, lake)
                .read(BatchTables.RECONCILIATION_DIFFERENCES)
                .where(Lake.day(day))
                .collectAsList()
                .stream()
                .collect(
                    Collectors.toMap(
                        r -> r.<String>getAs("candidate_event_id"), r -> r.<String>getAs("class")));
    assertThat(classOf)
        .containsEntry(flooded.candidateEventId(), "BATCH_ONLY_FRAUD_SIGNAL")
        .containsEntry(lateTouch.candidateEventId(), "TOUCH_ARRIVED_AFTER_INSTALL")
        .containsEntry(lateInstall.candidateEventId(), "LATE_INSTALL")
        .containsEntry(duplicated.candidateEventId(), "DUPLICATE")
        .containsEntry(other.candidateEventId(), "OTHER")
        .containsEntry("phantom-candidate", "OTHER");
    // the summary's export for the serving layer: per app, matched + one class per difference
    Row exported =
        spark
            .read()
            .parquet(
                io.touchpoint.batch.steps.ExportStep.folder(
                    new Lake(spark, lake), BatchTables.SPEED_VS_BATCH_EXPORT, day))
            .selectExpr(
                "sum(matched)",
                "sum(duplicate + batch_only_fraud_signal + touch_arrived_after_install"
                    + " + late_install + other)")
            .first();
    assertThat(exported.getLong(0)).isEqualTo(report.matched());
    assertThat(exported.getLong(1)).isEqualTo(6L);
  }

  @Test
  @Order(8)
  void runningADayThreeTimesLeavesIdenticalTables() {
    TreeMap<String, List<String>> before = TestLake.snapshot(spark, lake, TestLake.batchTables());
    LocalDate day = FIRST.plusDays(1);
    // the second run plans adaptively with generated code, as a step above codegen-min-input and
    // adaptive-min-input does (the nightly runs, a few kB each, ran Spark's interpreted operators
    // in queries planned once, reading the touches by walk-key bucket); the third takes the plans
    // of a large day without the walk-key layout: touches shuffled, kept by Bloom filters of the
    // candidates' keys instead of the exact key/time table (above
    // attribute.exact-filter-max-candidates), the verdicts written, then the flooding sites'
    // verdicts rewritten (above attribute.verdicts-kept-max-candidates), and every table written
    // one after another (concurrent-writes = 1; the nightly runs wrote up to 3 at once): the same
    // tables
    BatchConfig generatedCode =
        BatchConfig.load(
            Map.of(
                "lake",
                lake,
                "rules-file",
                rulesFile.toString(),
                "codegen-min-input",
                "0",
                "adaptive-min-input",
                "0"));
    BatchConfig bloomPlan =
        BatchConfig.load(
            Map.of(
                "lake",
                lake,
                "rules-file",
                rulesFile.toString(),
                "attribute.exact-filter-max-candidates",
                "0",
                "attribute.verdicts-kept-max-candidates",
                "0",
                "attribute.read-by-bucket",
                "false",
                "concurrent-writes",
                "1"));
    for (int i = 2; i <= 3; i++) { // the nightly run was the first
      BatchJob.run(
          spark, i == 2 ? generatedCode : bloomPlan, day, day, EnumSet.allOf(Step.class), out);
      TestLake.assertSameContents(
          TestLake.snapshot(spark, lake, TestLake.batchTables()),
          before,
          i == 2 ? "run 2 (generated code)" : "run 3 (Bloom plan)");
    }
    assertThat(log.toString(StandardCharsets.UTF_8))
        .contains(
            "touches read by walk-key bucket",
            "touches kept by Bloom filter",
            "their verdicts rejected before the write",
            "rows rewritten with the files holding them",
            "MiB: interpreted",
            "MiB: generated code",
            "MiB: planned once",
            "MiB: adaptive");
  }

  @Test
  @Order(9)
  void aRunKilledMidwayThenRerunLeavesIdenticalTables() throws Exception {
    TreeMap<String, List<String>> before = TestLake.snapshot(spark, lake, TestLake.batchTables());
    LocalDate day = FIRST.plusDays(DAYS - 1);
    // SIGKILL in the middle of the day: attribute committed, aggregate running
    String childLog =
        KilledChild.runUntil(
            BatchJob.class,
            List.of("--date", day.toString(), "--lake", lake, "--rules", rulesFile.toString()),
            "batch: attribute");
    assertThat(childLog).as(childLog).contains("batch: compact", "batch: attribute");
    assertThat(childLog).doesNotContain("done in");
    // the run's own process (the batch command, here its spark-submit main) sizes its JVM's JIT:
    // a few kB of bronze leave C2 out; the library calls in this shared test JVM never touch it
    assertThat(childLog).contains("batch: compile work: run input", "JIT without C2 in this JVM");
    assertThat(log.toString(StandardCharsets.UTF_8)).doesNotContain("compile work");
    assertThat(CompileBudget.c1Only()).isFalse();

    BatchJob.run(
        spark, config.withRecomputeMarked(false), day, day, EnumSet.allOf(Step.class), out);
    TestLake.assertSameContents(
        TestLake.snapshot(spark, lake, TestLake.batchTables()), before, "killed, then rerun");
  }

  private static Attribution copy(
      Attribution a, Outcome outcome, String source, List<FraudReason> reasons) {
    return new Attribution(
        a.attributionId(),
        a.candidateEventId(),
        a.appId(),
        a.kind(),
        outcome,
        a.eventTime(),
        a.receivedAt(),
        a.deviceKey(),
        a.platform(),
        a.country(),
        source,
        a.campaignId(),
        a.campaign(),
        a.adset(),
        a.siteId(),
        a.matchType(),
        a.touchType(),
        a.touchEventId(),
        a.touchTime(),
        a.ctitSeconds(),
        a.contributors(),
        reasons,
        a.reEngagement());
  }

  private LocalDate localDay(String app, Instant t) {
    return LocalDate.ofInstant(t, rules.rulesFor(app).timeZone());
  }

  private static String credited(Attribution a) {
    return a.outcome() == Outcome.ATTRIBUTED ? a.mediaSource() : "organic";
  }

  private static String key(String app, LocalDate day, String source) {
    return app + "|" + day + "|" + source;
  }

  private static void add(List<Long> m, int i, boolean yes) {
    if (yes) {
      m.set(i, m.get(i) + 1);
    }
  }

  private static BigDecimal money(double usd) {
    return BigDecimal.valueOf(usd).setScale(6, RoundingMode.HALF_UP);
  }

  private static int bucket(long s) {
    long[] starts = {0, 10, 60, 600, 3600, 21600, 86400, 259200, 604800};
    int b = 0;
    for (long start : starts) {
      if (s >= start) {
        b = (int) start;
      }
    }
    return b;
  }

  private static LocalDate day(Instant t) {
    return LocalDate.ofInstant(t, ZoneOffset.UTC);
  }
}
