package io.touchpoint.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.touchpoint.simulator.output.OutputFormat;
import io.touchpoint.simulator.output.OutputOptions;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parquet holds every valid record (duplicates included) with the contract's schemas. */
class ParquetOutputTest {
  @TempDir Path tmp;

  @Test
  void writesTheValidRecordsWithTheContractSchemas() throws Exception {
    SimulationParams p = SimulationParams.defaults().withSize(300, 1).withSeed(2);
    Path out = tmp.resolve("parquet");
    OutputOptions parquet =
        new OutputOptions(out, OutputFormat.PARQUET, null, 0, "touchpoints", "app-events");
    SimulationResult r = new Simulator(p, parquet, null).run();
    SimulationResult jsonl =
        new Simulator(p, OutputOptions.jsonl(tmp.resolve("jsonl")), null).run();

    SparkSession spark =
        SparkSession.builder().master("local[1]").config("spark.ui.enabled", "false").getOrCreate();
    try {
      Dataset<Row> touches = spark.read().parquet(out.resolve("touchpoints.parquet").toString());
      Dataset<Row> appEvents = spark.read().parquet(out.resolve("app-events.parquet").toString());
      long validTouches = r.eventsByType().get("impression") + r.eventsByType().get("click");
      long malformed = r.malformedByReason().values().stream().mapToLong(Long::longValue).sum();
      assertThat(touches.count()).isGreaterThanOrEqualTo(validTouches);
      assertThat(touches.count() + appEvents.count()).isEqualTo(r.totalRecords() - malformed);
      assertThat(touches.columns())
          .contains("event_id", "device_advertising_id", "media_source", "retargeting");
      assertThat(appEvents.columns())
          .contains("referrer_click_id", "install_begin_time", "revenue");
      assertThat(r.totalRecords()).isEqualTo(jsonl.totalRecords());
    } finally {
      spark.stop();
    }
  }
}
