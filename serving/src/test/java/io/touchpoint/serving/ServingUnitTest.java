package io.touchpoint.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.touchpoint.serving.cli.QueryCommand;
import io.touchpoint.serving.cli.ServeCommand;
import io.touchpoint.serving.clickhouse.ClickHouseHttp;
import io.touchpoint.serving.clickhouse.ClusterDdl;
import io.touchpoint.serving.clickhouse.Migrations;
import io.touchpoint.serving.clickhouse.SqlScript;
import io.touchpoint.serving.druid.DruidSpecs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * No engine needed: SQL splitting, templates, the cluster generator, specs, the commands'
 * arguments.
 */
class ServingUnitTest {

  @Test
  void splitsOnSemicolonsOutsideQuotesAndComments() {
    List<String> s =
        SqlScript.split(
            "-- a; comment\nSELECT 'a;b';\n/* x; y */ SELECT `c;d`; -- only a comment;\n;");
    assertThat(s).containsExactly("-- a; comment\nSELECT 'a;b'", "/* x; y */ SELECT `c;d`");
  }

  @Test
  void templatesFailOnUnknownPlaceholdersAndKeepClickHouseParameters() {
    assertThat(Template.fill("SELECT {date:Date} FROM ${db}.t", Map.of("db", "x")))
        .isEqualTo("SELECT {date:Date} FROM x.t");
    assertThatThrownBy(() -> Template.fill("${dbb}.t", Map.of("db", "x")))
        .hasMessageContaining("[dbb]");
  }

  @Test
  void productionSettingsHaveNoEndpointOrKeyAndFailAtStartNamingEachMissingOne() throws Exception {
    String production = Resources.text("serving.conf");
    assertThat(production).doesNotContain("127.0.0.1", "localhost", "touchpoint-secret");
    ServingException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            ServingException.class, () -> ServingConfig.load(null, false));
    for (Map.Entry<String, String> required : ServingConfig.REQUIRED.entrySet()) {
      if (System.getenv(required.getValue()) == null) {
        assertThat(e.getMessage())
            .contains(
                "touchpoint.serving."
                    + required.getKey()
                    + " (environment "
                    + required.getValue()
                    + ")");
      }
    }
    // the embedded stack's profile fills them all
    ServingConfig local = ServingConfig.load(null, true);
    assertThat(local.clickhouseUrl()).startsWith("http://127.0.0.1:");
    assertThat(local.lakeSecretKey()).isNotEmpty();
  }

  @Test
  void migrationsAreNumberedAndEveryStatementHasAClusterVariant() {
    List<Migrations.Migration> all = Migrations.available();
    assertThat(all).extracting(Migrations.Migration::version).startsWith(1, 2, 3, 4).isSorted();
    List<String> cluster =
        ServeCommand.statements(ServingConfig.load(null, true), "prod", true, true);
    // DDL runs on every node; a migration's one-time data fill (INSERT) once, through the
    // Distributed tables
    assertThat(cluster)
        .filteredOn(st -> !st.startsWith("INSERT"))
        .allSatisfy(st -> assertThat(st).containsAnyOf("ON CLUSTER prod"));
    assertThat(cluster)
        .filteredOn(st -> st.startsWith("INSERT"))
        .isNotEmpty()
        .allSatisfy(st -> assertThat(st).doesNotContain("_local"));
    assertThat(String.join("\n", cluster)).doesNotContain("${");
  }

  @Test
  void clusterVariantOfAReplacingTable() {
    List<String> out =
        ClusterDdl.transform(
            "CREATE TABLE IF NOT EXISTS db.t\n(\n    id UUID,\n    d Date\n)\n"
                + "ENGINE = ReplacingMergeTree(v)\nPARTITION BY d\nORDER BY (d, id)\nTTL d + INTERVAL 1 DAY",
            "c1");
    assertThat(out).hasSize(2);
    assertThat(out.get(0))
        .startsWith("CREATE TABLE IF NOT EXISTS db.t_local ON CLUSTER c1")
        .contains(
            "ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/t_local', '{replica}', v)");
    assertThat(out.get(1))
        .isEqualTo(
            "CREATE TABLE IF NOT EXISTS db.t ON CLUSTER c1 AS db.t_local\n"
                + "ENGINE = Distributed(c1, db, t_local, cityHash64(d, id))");
  }

  @Test
  void clusterVariantOfAnAlterTargetsTheLocalTable() {
    assertThat(
            ClusterDdl.transform(
                "ALTER TABLE db.rt MODIFY TTL toDateTime(ingested_at) + INTERVAL 35 DAY", "c1"))
        .containsExactly(
            "ALTER TABLE db.rt_local ON CLUSTER c1 MODIFY TTL toDateTime(ingested_at) + INTERVAL 35 DAY");
  }

  @Test
  void secretsAreRedactedFromMessages() {
    assertThat(
            ClickHouseHttp.redact("SELECT * FROM s3('http://h/b/k', 'key', 'secret', 'Parquet')"))
        .isEqualTo("SELECT * FROM s3('http://h/b/k', '***', '***', 'Parquet')");
  }

  @Test
  void druidSpecsAreFilledIn() {
    ServingConfig c = ServingConfig.withOverrides(Map.of("druid.datasource-prefix", "x_"));
    JsonNode sup = DruidSpecs.supervisor(c, "attributions");
    assertThat(sup.at("/spec/dataSchema/dataSource").asText()).isEqualTo("x_attributions");
    assertThat(sup.at("/spec/ioConfig/topic").asText()).isEqualTo("attributions");
    JsonNode batch =
        DruidSpecs.batch(
            c,
            "events",
            LocalDate.parse("2026-01-02"),
            new com.fasterxml.jackson.databind.ObjectMapper()
                .createObjectNode()
                .put("type", "inline")
                .put("data", ""));
    assertThat(batch.at("/spec/dataSchema/granularitySpec/intervals/0").asText())
        .isEqualTo("2026-01-02T00:00:00Z/2026-01-03T00:00:00Z");
    assertThat(batch.at("/spec/ioConfig/inputSource/type").asText()).isEqualTo("inline");
    assertThat(batch.at("/spec/ioConfig/appendToExisting").asBoolean()).isFalse();
    assertThat(batch.at("/spec/ioConfig/dropExisting").asBoolean()).isTrue();
    for (String q : NamedQueries.NAMES) {
      assertThat(
              NamedQueries.druidSql(
                  q, c, new NamedQueries.Params(LocalDate.parse("2026-01-02"), 7, "a.b")))
          .doesNotContain("${");
    }
  }

  @Test
  void badArgumentsGiveAMessageNotATrace() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CommandLine cl = new CommandLine(new QueryCommand(new PrintStream(out), new PrintStream(err)));
    cl.setErr(new java.io.PrintWriter(err, true));
    assertThat(cl.execute("nope")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("unknown query 'nope'")
        .doesNotContain("Exception");
    err.reset();
    assertThat(cl.execute("today_so_far", "--date", "2026-13-01")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("not a date").doesNotContain("\tat ");
    err.reset();
    assertThat(cl.execute("today_so_far", "--app", "x'; DROP")).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--app may hold");
    err.reset();
    // an unreachable engine is a message too
    assertThat(cl.execute("today_so_far", "--config", "/nonexistent.conf")).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("configuration file not found");
    ByteArrayOutputStream help = new ByteArrayOutputStream();
    CommandLine serve = new CommandLine(new ServeCommand());
    serve.setOut(new java.io.PrintWriter(help, true));
    assertThat(serve.execute("load", "--help")).isZero();
    assertThat(help.toString(StandardCharsets.UTF_8)).contains("--date").contains("--engine");
    serve.setErr(new java.io.PrintWriter(err, true));
    assertThat(serve.execute("load", "--date", "2026-01-02", "--engine", "oracle")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--engine");
  }

  @Test
  void tablesAreAligned() {
    String t =
        TablePrinter.render(
            List.of("day", "installs"),
            List.of(List.of("2026-01-01", 5), List.of("2026-01-02", 1234)));
    assertThat(t)
        .isEqualTo(
            "day         installs\n----------  --------\n2026-01-01         5\n2026-01-02      1234\n2 rows\n");
  }
}
