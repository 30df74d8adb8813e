package io.touchpoint.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.touchpoint.local.Service;
import io.touchpoint.local.test.EmbeddedStack;
import io.touchpoint.local.test.StackHandle;
import io.touchpoint.serving.cli.ServeCommand;
import io.touchpoint.serving.clickhouse.BatchLoader;
import io.touchpoint.serving.clickhouse.ClickHouseHttp;
import io.touchpoint.serving.clickhouse.Migrations;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/** The ClickHouse side on the real engine: migrations, batch loads, named queries, cluster DDL. */
@EmbeddedStack(services = {Service.S3, Service.CLICKHOUSE})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClickHouseServingIT {
  static final LocalDate DAY = LocalDate.now(ZoneOffset.UTC).minusDays(1);

  ServingConfig config;
  ClickHouseHttp ch;
  GoldFixture gold;
  final List<String> log = new ArrayList<>();

  @BeforeAll
  void setUp(StackHandle stack) {
    config = ServingTestSupport.config(stack, stack.uniqueName("tp_ch"), Map.of());
    ch = ServingTestSupport.clickhouse(config);
    gold = new GoldFixture(DAY, 42);
    gold.writeTo(ch, config);
  }

  @AfterAll
  void dropDatabase() {
    ch.execute("DROP DATABASE IF EXISTS " + config.database());
  }

  Migrations migrations() {
    return new Migrations(ch, config.database(), "", "", log::add);
  }

  @Test
  @Order(1)
  void migrationsApplyOnceAndRerunIsANoOp() {
    Migrations.Outcome first = migrations().run();
    assertThat(first.applied())
        .hasSize(Migrations.available().size())
        .first()
        .asString()
        .startsWith("0001_");
    Migrations.Outcome second = migrations().run();
    assertThat(second.applied()).isEmpty();
    assertThat(second.skipped()).hasSize(first.applied().size());
    assertThat(ch.scalar("SELECT count() FROM " + config.database() + ".schema_migrations FINAL"))
        .isEqualTo(Integer.toString(first.applied().size()));
  }

  @Test
  @Order(2)
  void aChangedMigrationIsAClearError() {
    String other = config.database() + "_changed";
    Migrations m = new Migrations(ch, other, "", "", log::add);
    m.run();
    ch.execute(
        "INSERT INTO "
            + other
            + ".schema_migrations (version, name, checksum) VALUES (1, 'bookkeeping', 'deadbeefdeadbeef')");
    assertThatThrownBy(m::run)
        .hasMessageContaining("0001_bookkeeping.sql was changed after it was applied")
        .hasMessageContaining("add a new one");
    ch.execute("DROP DATABASE " + other);
  }

  @Test
  @Order(3)
  void loadThenEveryNamedQueryReturnsTheGoldNumbers() {
    BatchLoader.Report r = new BatchLoader(ch, config, log::add).load(DAY);
    assertThat(r.tables())
        .extracting(BatchLoader.TableLoad::rows)
        .containsExactly(
            count("daily_installs"),
            count("daily_events"),
            count("retention"),
            count("ltv"),
            count("ctit_histogram"),
            count("speed_vs_batch"));
    assertThat(new BatchLoader(ch, config, log::add).watermarks())
        .containsEntry("daily_installs", DAY.toString());
    for (String q : NamedQueries.NAMES) {
      NamedQueries.Table t =
          NamedQueries.clickhouse(ch, config.database(), q, new NamedQueries.Params(DAY, 7, ""));
      GoldFixture.assertMatches(q, t, gold.expected(q, DAY, 7));
    }
    // speed vs batch agreement: matched / (matched + every classified difference)
    long matched = sum("speed_vs_batch", "matched");
    long candidates =
        matched + sum("speed_vs_batch", "late_install") + sum("speed_vs_batch", "other");
    NamedQueries.Table report =
        NamedQueries.clickhouse(
            ch, config.database(), "demo_report", new NamedQueries.Params(DAY, 1, ""));
    List<String> cols = report.columns();
    assertThat(report.rows()).hasSize(1);
    assertThat(report.rows().get(0).get(cols.indexOf("reconciled")).toString())
        .isEqualTo(Long.toString(candidates));
    assertThat(
            Double.parseDouble(
                report.rows().get(0).get(cols.indexOf("speed_batch_agreement")).toString()))
        .isCloseTo((double) matched / candidates, org.assertj.core.data.Offset.offset(1e-4));
    // one app only
    String app = GoldFixture.APPS[1];
    NamedQueries.Table t =
        NamedQueries.clickhouse(
            ch, config.database(), "today_so_far", new NamedQueries.Params(DAY, 1, app));
    assertThat(t.rows()).isNotEmpty().allSatisfy(row -> assertThat(row.get(0)).isEqualTo(app));
  }

  @Test
  @Order(4)
  void loadingTheSameDayTwiceLeavesIdenticalTables() {
    Map<String, String> before = fingerprints();
    new BatchLoader(ch, config, log::add).load(DAY);
    assertThat(fingerprints()).isEqualTo(before);
    assertThat(
            ch.scalar(
                "SELECT count() FROM "
                    + config.database()
                    + ".batch_loads WHERE table_name = 'daily_installs'"))
        .isEqualTo("2");
    assertThat(ch.scalar("SELECT sum(installs) FROM " + config.database() + ".installs_daily"))
        .isEqualTo(
            gold.tables.get("daily_installs").stream()
                    .mapToLong(x -> (Long) x.get("installs"))
                    .sum()
                + "");
  }

  @Test
  @Order(5)
  void aMissingExportIsAClearError() {
    assertThatThrownBy(
            () ->
                new BatchLoader(ch, config, log::add)
                    .loadTable("daily_installs", DAY.minusDays(40)))
        .hasMessageContaining("no gold export of daily_installs for " + DAY.minusDays(40));
    // and nothing changed
    assertThat(
            ch.scalar(
                "SELECT count() FROM system.tables WHERE database = '"
                    + config.database()
                    + "' AND name LIKE '%staging%'"))
        .isEqualTo("0");
  }

  @Test
  @Order(6)
  void clusterDdlAndServerOnlyDdlParse() {
    List<String> cluster = ServeCommand.statements(config, "touchpoint_cluster", true, true);
    List<String> single = ServeCommand.statements(config, "", true, true);
    assertThat(cluster.size()).isGreaterThan(single.size());
    assertThat(String.join("\n", cluster))
        .contains(
            "ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/daily_installs_local', '{replica}')")
        .contains(
            "ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/rt_attributions_local', '{replica}', ingested_at)")
        .contains(
            "ENGINE = Distributed(touchpoint_cluster, "
                + config.database()
                + ", daily_installs_local, cityHash64(")
        .contains("TO " + config.database() + ".rt_attributions_local AS")
        .contains(
            "GRANT ON CLUSTER touchpoint_cluster SELECT ON "
                + config.database()
                + ".* TO touchpoint_analyst");
    List<String> all = new ArrayList<>(cluster);
    all.addAll(single);
    for (String st : all) {
      String formatted =
          ch.scalar(
              "SELECT formatQuerySingleLine('"
                  + st.replace("\\", "\\\\").replace("'", "\\'")
                  + "')");
      assertThat(formatted).as(st).isNotBlank();
    }
  }

  private long sum(String table, String column) {
    return gold.tables.get(table).stream().mapToLong(x -> (Long) x.get(column)).sum();
  }

  private long count(String table) {
    return gold.tables.get(table).size();
  }

  private Map<String, String> fingerprints() {
    Map<String, String> m = new java.util.TreeMap<>();
    for (String t : BatchLoader.TABLES) {
      m.put(
          t,
          ch.scalar(
              "SELECT count(), groupBitXor(cityHash64(*)), sum(cityHash64(*)) FROM "
                  + config.database()
                  + "."
                  + t));
      m.put(
          t + ".parts",
          ch.scalar(
              "SELECT groupArray(partition) FROM (SELECT DISTINCT partition FROM system.parts WHERE active AND database = '"
                  + config.database()
                  + "' AND table = '"
                  + t
                  + "' ORDER BY partition)"));
    }
    return m;
  }
}
