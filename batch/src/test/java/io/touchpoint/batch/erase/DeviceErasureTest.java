package io.touchpoint.batch.erase;

import static org.assertj.core.api.Assertions.assertThat;

import io.touchpoint.batch.BatchConfig;
import io.touchpoint.batch.BatchJob;
import io.touchpoint.batch.BatchTables;
import io.touchpoint.batch.KilledChild;
import io.touchpoint.batch.ScenarioData;
import io.touchpoint.batch.Step;
import io.touchpoint.batch.TestLake;
import io.touchpoint.model.DeadLetter;
import io.touchpoint.model.Event;
import io.touchpoint.model.InAppEvent;
import io.touchpoint.model.Install;
import io.touchpoint.model.LakeTables;
import io.touchpoint.model.spark.ContractRows;
import io.touchpoint.model.spark.ContractSchemas;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;

/**
 * Erasure against an oracle: lake A receives a one-day scenario and is then erased of one device;
 * lake B receives the same scenario without that device's events. After the erasure and the
 * recompute of the days it touched, no table of A holds the device, and silver and gold of A equal
 * B's: every other number is what it would have been had the device never been seen. The request's
 * first run is SIGKILLed between its deletes and the recompute; the rerun must finish its work.
 */
class DeviceErasureTest {
  private static final LocalDate FIRST = LocalDate.of(2026, 3, 1);
  private static final int DAYS = 1;

  @Test
  void theDeviceIsGoneFromEveryTableAndEveryOtherNumberIsAsIfItNeverCame() throws Exception {
    SparkSession spark = TestLake.spark();
    Path dir = TestLake.tempDir("erasure");
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
    try {
      ScenarioData scenario = new ScenarioData(FIRST, DAYS, 42);
      Event install =
          scenario.events.stream()
              .filter(e -> e instanceof Install && e.device().matchableAdvertisingId() != null)
              .filter(
                  e ->
                      scenario.events.stream()
                          .anyMatch(
                              o ->
                                  o instanceof InAppEvent
                                      && e.device()
                                          .matchableAdvertisingId()
                                          .equals(o.device().matchableAdvertisingId())))
              .findFirst()
              .orElseThrow();
      String app = install.appId();
      String device = install.device().matchableAdvertisingId();
      List<ScenarioData.Delivery> without =
          scenario.deliveries.stream().filter(d -> !mine(d.event(), app, device)).toList();
      assertThat(scenario.deliveries.size() - without.size())
          .as("the device's events")
          .isGreaterThan(2);

      Path rules = dir.resolve("rules.conf");
      Files.writeString(rules, ScenarioData.RULES);
      String erased = dir.resolve("erased").toString();
      String reference = dir.resolve("reference").toString();
      BatchConfig erasedConfig =
          BatchConfig.load(Map.of("lake", erased, "rules-file", rules.toString()));
      BatchConfig referenceConfig =
          BatchConfig.load(Map.of("lake", reference, "rules-file", rules.toString()));
      TestLake.appendBronze(spark, erased, scenario.deliveries);
      TestLake.appendBronze(spark, reference, without);
      BatchJob.run(
          spark, erasedConfig, FIRST, FIRST.plusDays(DAYS - 1), EnumSet.allOf(Step.class), out);
      BatchJob.run(
          spark, referenceConfig, FIRST, FIRST.plusDays(DAYS - 1), EnumSet.allOf(Step.class), out);
      // the speed layer's tables and the quarantine, as the stream would have left them
      for (String[] copy :
          new String[][] {
            {LakeTables.SILVER_ATTRIBUTIONS, LakeTables.SPEED_ATTRIBUTIONS},
            {LakeTables.SILVER_ATTRIBUTED_EVENTS, LakeTables.SPEED_ATTRIBUTED_EVENTS}
          }) {
        spark
            .read()
            .format("delta")
            .load(LakeTables.path(erased, copy[0]))
            .write()
            .format("delta")
            .partitionBy(LakeTables.EVENT_DATE)
            .save(LakeTables.path(erased, copy[1]));
      }
      String mineRaw =
          "{\"app_id\":\"" + app + "\",\"device\":{\"advertising_id\":\"" + device + "\"},\"x\":";
      List<Row> dead =
          List.of(
              ContractRows.deadLetterRow(
                  new DeadLetter(
                      (mineRaw + "}").getBytes(StandardCharsets.UTF_8),
                      List.of("MALFORMED_JSON"),
                      List.of("payload: x"),
                      "app-events",
                      0,
                      1L,
                      Instant.parse("2026-03-01T10:00:00Z"))),
              ContractRows.deadLetterRow(
                  new DeadLetter(
                      "{\"someone\":\"else\"".getBytes(StandardCharsets.UTF_8),
                      List.of("MALFORMED_JSON"),
                      List.of("payload: x"),
                      "app-events",
                      0,
                      2L,
                      Instant.parse("2026-03-01T10:00:00Z"))));
      spark
          .createDataFrame(dead, ContractSchemas.DEAD_LETTERS)
          .write()
          .format("delta")
          .save(LakeTables.path(erased, LakeTables.QUARANTINE));
      Set<String> othersVerdictsBefore =
          rows(
              spark,
              erased,
              LakeTables.SILVER_ATTRIBUTIONS,
              functions.col("device_key").notEqual("aid:" + device));

      // the request's first run (EraseJob, a JVM of its own) is SIGKILLed once its deletes are
      // done, before the recompute: gold still counts the device and no row is left to name its
      // days
      String crashed =
          KilledChild.runUntil(
              EraseJob.class,
              List.of(
                  "--app", app, "--device", device, "--lake", erased, "--rules", rules.toString()),
              "erase: request ");
      assertThat(crashed)
          .as(crashed)
          .contains("erase: " + LakeTables.QUARANTINE + ": 1 rows deleted")
          .doesNotContain(" complete (");
      assertNoRowOfTheDevice(spark, erased, app, device);
      assertThat(BatchTables.GOLD)
          .as("gold tables that still count the device before the rerun")
          .anyMatch(
              g ->
                  !rows(spark, erased, BatchTables.gold(g), null)
                      .equals(rows(spark, reference, BatchTables.gold(g), null)));

      // the rerun of the request finishes the crashed one: its days recomputed, then VACUUM 0,
      // which lists each table's folders in batch.conf's erase.vacuum-listing-tasks Spark tasks
      // (Spark's default is 10 000 tasks: ~20 s per table here)
      List<Integer> stageTasks = new java.util.concurrent.CopyOnWriteArrayList<>();
      SparkListener stages =
          new SparkListener() {
            @Override
            public void onStageSubmitted(SparkListenerStageSubmitted e) {
              stageTasks.add(e.stageInfo().numTasks());
            }
          };
      spark.sparkContext().addSparkListener(stages);
      DeviceErasure.Report report;
      try {
        report =
            ErasureRun.run(
                spark,
                erasedConfig,
                ErasureRequest.of(app, device, erased, rules.toString(), 0.0),
                out,
                r -> true);
        spark.sparkContext().listenerBus().waitUntilEmpty(60_000L);
      } finally {
        spark.sparkContext().removeSparkListener(stages);
      }
      assertThat(report.total()).as("rows left for the rerun").isZero();
      int listingTasks = erasedConfig.vacuumListingTasks();
      assertThat(listingTasks).isEqualTo(BatchConfig.load().vacuumListingTasks());
      assertThat(stageTasks).as("tasks per Spark stage of the rerun").contains(listingTasks);
      assertThat(stageTasks).as("tasks per Spark stage of the rerun").allMatch(n -> n < 10_000);
      assertThat(log.toString(StandardCharsets.UTF_8).lines())
          .filteredOn(l -> l.startsWith("erase: vacuumed "))
          .hasSize(DeviceErasure.TABLES.size())
          .allMatch(l -> l.contains("listed in " + listingTasks + " tasks"));
      assertThat(spark.conf().getAll().contains(DeviceErasure.LISTING_PARALLELISM))
          .as("the session's own listing setting back after the VACUUMs")
          .isFalse();

      // gone from every table, the quarantine's dead letter included, and the other one kept
      assertNoRowOfTheDevice(spark, erased, app, device);
      assertThat(
              spark
                  .read()
                  .format("delta")
                  .load(LakeTables.path(erased, LakeTables.QUARANTINE))
                  .count())
          .isEqualTo(1);
      // no file of the lake still holds the id (VACUUM 0 removed the deleted files)
      List<String> filesWithId = new ArrayList<>();
      try (var files = Files.walk(Path.of(erased))) {
        for (Path f :
            files
                .filter(Files::isRegularFile)
                .filter(f -> !f.toString().contains("_delta_log"))
                .toList()) {
          if (new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains(device)) {
            filesWithId.add(dir.relativize(f).toString());
          }
        }
      }
      assertThat(filesWithId).as("data files still holding the device id").isEmpty();

      // every other number: silver and gold equal the lake that never received the device
      for (String table :
          List.of(
              LakeTables.SILVER_TOUCHPOINTS,
              LakeTables.SILVER_APP_EVENTS,
              LakeTables.SILVER_ATTRIBUTIONS,
              LakeTables.SILVER_ATTRIBUTED_EVENTS)) {
        assertThat(rows(spark, erased, table, null))
            .as(table)
            .isEqualTo(rows(spark, reference, table, null));
      }
      for (String gold : BatchTables.GOLD) {
        assertThat(rows(spark, erased, BatchTables.gold(gold), null))
            .as("gold " + gold)
            .isEqualTo(rows(spark, reference, BatchTables.gold(gold), null))
            .isNotEmpty();
      }
      assertThat(rows(spark, erased, LakeTables.SILVER_ATTRIBUTIONS, null))
          .isEqualTo(othersVerdictsBefore);
      // ... because the rerun took up the crashed request: its days, its counts on record
      assertThat(report.resumed()).hasSize(1);
      assertThat(report.days()).isNotEmpty();
      Row crashedRecord =
          spark
              .read()
              .format("delta")
              .load(LakeTables.path(erased, DeviceErasure.AUDIT_TABLE))
              .where(functions.col("request_id").equalTo(report.resumed().get(0)))
              .first();
      Map<String, Long> deleted =
          crashedRecord.getJavaMap(crashedRecord.fieldIndex("rows_by_table"));
      assertThat(deleted.get(LakeTables.QUARANTINE)).isEqualTo(1);
      assertThat(deleted.get(LakeTables.SILVER_ATTRIBUTIONS)).isPositive();
      assertThat(deleted.get(LakeTables.SPEED_ATTRIBUTED_EVENTS)).isPositive();

      // a request after a completed one deletes nothing, recomputes nothing, resumes nothing
      DeviceErasure.Report again =
          ErasureRun.run(
              spark,
              erasedConfig,
              ErasureRequest.of(app, device, erased, rules.toString(), null),
              out,
              r -> true);
      assertThat(again.total()).isZero();
      assertThat(again.days()).isEmpty();
      assertThat(again.resumed()).isEmpty();

      // the audit records (crashed run, rerun, request after) name the requests, never the device
      Dataset<Row> audit =
          spark.read().format("delta").load(LakeTables.path(erased, DeviceErasure.AUDIT_TABLE));
      assertThat(audit.count()).isEqualTo(3);
      assertThat(audit.select("device_sha256").distinct().as(Encoders.STRING()).collectAsList())
          .containsExactly(DeviceErasure.sha256(device));
      assertThat(audit.toJSON().collectAsList()).noneMatch(j -> j.contains(device));
      Dataset<Row> completions =
          spark
              .read()
              .format("delta")
              .load(LakeTables.path(erased, DeviceErasure.COMPLETIONS_TABLE));
      assertThat(completions.select("request_id").as(Encoders.STRING()).collectAsList())
          .containsExactlyInAnyOrder(
              report.resumed().get(0), report.requestId(), again.requestId());
      assertThat(completions.toJSON().collectAsList()).noneMatch(j -> j.contains(device));
    } finally {
      System.out.println(log.toString(StandardCharsets.UTF_8));
      spark.stop();
      TestLake.delete(dir);
    }
  }

  private static void assertNoRowOfTheDevice(
      SparkSession spark, String lake, String app, String device) {
    for (Map.Entry<String, DeviceErasure.Kind> t : DeviceErasure.TABLES.entrySet()) {
      long left =
          spark
              .read()
              .format("delta")
              .load(LakeTables.path(lake, t.getKey()))
              .where(DeviceErasure.predicate(t.getValue(), app, device))
              .count();
      assertThat(left).as("%s rows of the device left", t.getKey()).isZero();
    }
  }

  private static boolean mine(Event e, String app, String device) {
    return e.appId().equals(app)
        && (device.equals(e.device().advertisingId()) || device.equals(e.device().vendorId()));
  }

  private static Set<String> rows(
      SparkSession spark, String lake, String table, org.apache.spark.sql.Column where) {
    Dataset<Row> d = spark.read().format("delta").load(LakeTables.path(lake, table));
    if (where != null) {
      d = d.where(where);
    }
    return d.toJSON().collectAsList().stream().collect(Collectors.toCollection(TreeSet::new));
  }
}
