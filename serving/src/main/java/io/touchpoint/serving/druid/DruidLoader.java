package io.touchpoint.serving.druid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.touchpoint.serving.Resources;
import io.touchpoint.serving.ServingConfig;
import io.touchpoint.serving.Template;
import io.touchpoint.serving.clickhouse.BatchLoader;
import io.touchpoint.serving.clickhouse.ClickHouseHttp;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Re-indexes day D in Druid from the gold export. The embedded Druid has no Parquet reader, so
 * ClickHouse first writes each gold table's day as JSON lines beside the Parquet ({@code
 * export/druid/<table>/date=D/part-0.json}, read with {@code s3()}, written with {@code INSERT INTO
 * FUNCTION s3(... 'JSONEachRow')}); then one native {@code index_parallel} task per datasource
 * replaces exactly the interval [D, D+1) ({@code appendToExisting=false}, {@code
 * dropExisting=true}): its segments get a newer version and overshadow the realtime ones.
 */
public final class DruidLoader {
  private final ClickHouseHttp ch;
  private final DruidClient druid;
  private final ServingConfig config;
  private final BatchLoader parquet;
  private final Consumer<String> log;

  public DruidLoader(
      ClickHouseHttp ch, DruidClient druid, ServingConfig config, Consumer<String> log) {
    this.ch = ch;
    this.druid = druid;
    this.config = config;
    this.parquet = new BatchLoader(ch, config, log);
    this.log = log;
  }

  public record DatasourceLoad(
      String datasource, long rows, long exportMillis, long indexMillis, String taskId) {}

  public record Report(LocalDate day, List<DatasourceLoad> datasources, long millis) {}

  public String jsonKey(String table, LocalDate day) {
    return config.druidExportPrefix() + "/" + table + "/date=" + day + "/part-0.json";
  }

  /** Writes a gold table's day as JSON lines for Druid; returns the rows written. */
  public long exportJson(String table, LocalDate day) {
    String url = config.lakeEndpoint() + "/" + config.lakeBucket() + "/" + jsonKey(table, day);
    String select =
        Template.fill(
            Resources.text("druid/export/" + table + ".sql"),
            Map.of("rows", parquet.selectSql(table, day)));
    ch.execute(
        "INSERT INTO FUNCTION " + BatchLoader.s3(config, url, "JSONEachRow") + "\n" + select,
        Map.of(),
        Map.of(
            "s3_truncate_on_insert",
            "1",
            "output_format_json_quote_64bit_integers",
            "0",
            "output_format_json_quote_decimals",
            "0"));
    return Long.parseLong(ch.scalar("SELECT count() FROM (" + select + ")"));
  }

  public Report load(LocalDate day) {
    long t0 = System.nanoTime();
    List<DatasourceLoad> out = new ArrayList<>();
    for (String ds : DruidSpecs.DATASOURCES) {
      out.add(loadDatasource(ds, day));
    }
    awaitQueryable(out.stream().map(DatasourceLoad::datasource).toList(), Duration.ofMinutes(5));
    return new Report(day, out, (System.nanoTime() - t0) / 1_000_000);
  }

  /**
   * Waits until the historicals serve every published, not overshadowed segment of the datasources:
   * a load is done when analysts can query it (the coordinator assigns new segments within
   * seconds).
   */
  public void awaitQueryable(List<String> datasources, Duration timeout) {
    String in = String.join("', '", datasources);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      DruidClient.SqlResult r =
          druid.sql(
              "SELECT COUNT(*) FROM sys.segments WHERE datasource IN ('"
                  + in
                  + "') AND is_published = 1 AND is_overshadowed = 0 AND is_available = 0");
      if (r.rows().isEmpty() || "0".equals(String.valueOf(r.rows().get(0).get(0)))) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new io.touchpoint.serving.ServingException(
            "Druid segments of "
                + datasources
                + " still not served after "
                + timeout.toSeconds()
                + " s (is the historical up? coordinator console: "
                + druid.router()
                + ")");
      }
      DruidClient.sleep(500);
    }
  }

  public DatasourceLoad loadDatasource(String ds, LocalDate day) {
    long t0 = System.nanoTime();
    long rows = 0;
    ArrayNode uris = DruidClient.array();
    Map<String, Long> perTable = new LinkedHashMap<>();
    for (String table : DruidSpecs.BATCH_SOURCES.get(ds)) {
      long n = exportJson(table, day);
      perTable.put(table, n);
      rows += n;
      if (n > 0) {
        uris.add("s3://" + config.lakeBucket() + "/" + jsonKey(table, day));
      }
    }
    long exported = System.nanoTime();
    ObjectNode input = DruidClient.JSON.createObjectNode();
    if (uris.isEmpty()) {
      // nothing for the day: an empty inline input still replaces (drops) the interval
      input.put("type", "inline").put("data", "");
    } else {
      input.put("type", "s3").set("uris", uris);
    }
    JsonNode spec = DruidSpecs.batch(config, ds, day, input);
    String task = druid.submitTask(spec);
    druid.awaitTask(task, config.druidTaskTimeout());
    long done = System.nanoTime();
    DatasourceLoad l =
        new DatasourceLoad(
            config.datasource(ds),
            rows,
            (exported - t0) / 1_000_000,
            (done - exported) / 1_000_000,
            task);
    log.accept(
        String.format(
            "druid:      %-15s %s  %,8d rows  export %5d ms, index %6d ms  %s",
            l.datasource(), day, rows, l.exportMillis(), l.indexMillis(), perTable));
    return l;
  }

  /** Submits (or updates) the Kafka supervisors; returns their ids. */
  public List<String> startSupervisors() {
    List<String> ids = new ArrayList<>();
    for (String which : List.of("attributions", "attributed-events")) {
      ids.add(druid.submitSupervisor(DruidSpecs.supervisor(config, which)));
    }
    return ids;
  }
}
