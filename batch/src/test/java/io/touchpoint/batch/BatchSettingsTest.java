package io.touchpoint.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.touchpoint.attribution.RulesConfigException;
import io.touchpoint.batch.cli.BatchCommand;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Configuration, arguments, rules horizons and rates: no Spark needed. */
class BatchSettingsTest {

  @Test
  void stepsParseInAnyCaseAndOrderAndRejectUnknownNames() {
    assertThat(Step.parse("Reconcile, compact")).containsExactly(Step.COMPACT, Step.RECONCILE);
    assertThat(Step.parse(null)).isEqualTo(EnumSet.allOf(Step.class));
    assertThatThrownBy(() -> Step.parse("compact,dedupe")).hasMessageContaining("dedupe");
  }

  @Test
  void configComesFromBatchConfThenOverrides() {
    BatchConfig defaults = BatchConfig.load();
    assertThat(defaults.lateHorizon()).isEqualTo(Duration.ofDays(30));
    assertThat(defaults.reconcileLateThreshold()).isEqualTo(Duration.ofHours(1));
    assertThat(defaults.sparkConf())
        .containsEntry("spark.sql.session.timeZone", "UTC")
        .containsKey("spark.sql.extensions");
    assertThat(defaults.localStackS3a()).containsEntry("fs.s3a.path.style.access", "true");
    assertThat(defaults.smallInput()).isEqualTo(32L << 20);
    assertThat(defaults.codegenMinInput()).isEqualTo(1L << 20);
    assertThat(defaults.adaptiveMinInput()).isEqualTo(64L << 20);
    assertThat(defaults.attributeVerdictsKeptMaxCandidates()).isEqualTo(500_000L);
    assertThat(defaults.walkBuckets()).isEqualTo(32);
    assertThat(defaults.walkBucketInput()).isEqualTo(32L << 20);
    assertThat(defaults.attributeReadByBucket()).isTrue();
    assertThat(defaults.concurrentWrites()).isEqualTo(3);
    assertThat(defaults.vacuumListingTasks()).isEqualTo(32);

    BatchConfig c =
        BatchConfig.load(
            Map.of(
                "lake",
                "/tmp/lake",
                "touchpoint.batch.reconcile.late-threshold",
                "15m",
                "s3a.endpoint",
                "http://127.0.0.1:9000",
                "small-input",
                "1g",
                "codegen-min-input",
                "0",
                "walk-buckets",
                "8",
                "walk-bucket-input",
                "0",
                "attribute.read-by-bucket",
                "false",
                "concurrent-writes",
                "1",
                "erase.vacuum-listing-tasks",
                "4"));
    assertThat(c.lake()).isEqualTo("/tmp/lake");
    assertThat(c.concurrentWrites()).isEqualTo(1);
    assertThat(c.vacuumListingTasks()).isEqualTo(4);
    assertThat(c.smallInput()).isEqualTo(1L << 30);
    assertThat(c.codegenMinInput()).isZero();
    assertThat(c.walkBuckets()).isEqualTo(8);
    assertThat(c.walkBucketInput()).isZero();
    assertThat(c.attributeReadByBucket()).isFalse();
    assertThat(c.reconcileLateThreshold()).isEqualTo(Duration.ofMinutes(15));
    assertThat(c.s3a())
        .containsEntry("fs.s3a.endpoint", "http://127.0.0.1:9000")
        .containsEntry("fs.s3a.connection.ssl.enabled", "false");
    assertThatThrownBy(() -> BatchConfig.load(Map.of("export.files-per-table", "0")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BatchConfig.load(Map.of("small-input", "-1")))
        .hasMessageContaining("small-input");
    assertThatThrownBy(
            () -> BatchConfig.load(Map.of("attribute.verdicts-kept-max-candidates", "-1")))
        .hasMessageContaining("verdicts-kept-max-candidates");
    assertThatThrownBy(() -> BatchConfig.load(Map.of("walk-buckets", "-1")))
        .hasMessageContaining("walk-buckets");
    assertThatThrownBy(() -> BatchConfig.load(Map.of("walk-buckets", "5000")))
        .hasMessageContaining("walk-buckets");
    assertThatThrownBy(() -> BatchConfig.load(Map.of("walk-bucket-input", "-1")))
        .hasMessageContaining("walk-bucket-input");
    assertThatThrownBy(() -> BatchConfig.load(Map.of("concurrent-writes", "0")))
        .hasMessageContaining("concurrent-writes");
    assertThatThrownBy(() -> BatchConfig.load(Map.of("erase.vacuum-listing-tasks", "0")))
        .hasMessageContaining("vacuum-listing-tasks");
  }

  @Test
  void theSparkSubmitMainTakesTheCommandsOptions() {
    BatchCommand command = BatchCommand.forSparkSubmit(System.out);
    new CommandLine(command)
        .parseArgs(
            "--date",
            "2026-03-01",
            "--steps",
            "compact,attribute",
            "--lake",
            "s3a://lake",
            "--recompute-marked",
            "--conf",
            "reconcile.report-examples=3",
            "--conf",
            "spark.sql.shuffle.partitions=7");
    assertThat(command.steps()).containsExactly(Step.COMPACT, Step.ATTRIBUTE);
    BatchConfig c = command.config();
    assertThat(c.lake()).isEqualTo("s3a://lake");
    assertThat(c.recomputeMarked()).isTrue();
    assertThat(c.reportExamples()).isEqualTo(3);
    assertThat(c.sparkConf())
        .containsEntry("spark.sql.shuffle.partitions", "7")
        .doesNotContainKey("spark.ui.enabled");
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(BatchCommand.forSparkSubmit(System.out));
    cli.setErr(new PrintWriter(err));
    assertThat(cli.execute("--steps", "compact")).isEqualTo(2);
    assertThat(err.toString()).contains("--date");
    assertThat(cli.execute("--date", "March 1")).isEqualTo(2);
    assertThat(err.toString()).contains("not a date");
  }

  @Test
  void historyHorizonsCoverEveryAppsWindows() {
    Rules defaults = Rules.defaults();
    assertThat(defaults.touchHorizon()).isEqualTo(Duration.ofDays(7));
    assertThat(defaults.longestReAttributionWindow()).isEqualTo(Duration.ofDays(90));
    Rules custom =
        Rules.of(
            """
        touchpoint.attribution.defaults { click-lookback = 2h }
        touchpoint.attribution.apps {
          "a" { re-attribution-window = 180d, media-sources { "net" { click-lookback = 20d } } }
        }
        """,
            "test");
    assertThat(custom.touchHorizon()).isEqualTo(Duration.ofDays(20));
    assertThat(custom.longestReAttributionWindow()).isEqualTo(Duration.ofDays(180));
    assertThat(custom.installHistory())
        .as("two windows of installs, for the window's anchor")
        .isEqualTo(Duration.ofDays(360));
    Rules earlier =
        Rules.of(
            """
        touchpoint.attribution.apps."b" {
          re-attribution-window = 30d
          re-attribution-window-before = [{ until = "2026-09-02T00:00:00Z", window = 400d }]
        }
        """,
            "test");
    assertThat(earlier.longestReAttributionWindow())
        .as("an earlier, longer setting still judges old installs")
        .isEqualTo(Duration.ofDays(400));
    assertThat(
            Rules.of("touchpoint.attribution.defaults { click-lookback = 1h }", "t").touchHorizon())
        .as("view-through can reach 24 h")
        .isEqualTo(Duration.ofDays(1));
    assertThatThrownBy(
            () -> Rules.of("touchpoint.attribution.defaults { click-lookback = 40d }", "bad"))
        .isInstanceOf(RulesConfigException.class);
  }

  @Test
  void ratesTakeTheLatestValidRow() throws Exception {
    Rates rates =
        Rates.parse(
            new ByteArrayInputStream(
                """
        currency,rate_to_usd,valid_from
        EUR,1.10,2026-01-01
        EUR,1.20,2026-03-01
        """
                    .getBytes(StandardCharsets.UTF_8)),
            "test");
    assertThat(rates.rate("EUR", LocalDate.of(2026, 2, 28))).isEqualTo(1.10);
    assertThat(rates.rate("EUR", LocalDate.of(2026, 3, 1))).isEqualTo(1.20);
    assertThat(rates.rate("EUR", LocalDate.of(2025, 12, 31))).isNull();
    assertThat(rates.toUsd(10.0, "XAF", LocalDate.of(2026, 3, 1))).isNull();
    assertThat(Rates.builtIn().toUsd(100.0, "USD", LocalDate.of(2026, 3, 1))).isEqualTo(100.0);
    assertThatThrownBy(
            () ->
                Rates.parse(
                    new ByteArrayInputStream("EUR,-1,2026-01-01".getBytes(StandardCharsets.UTF_8)),
                    "bad"))
        .hasMessageContaining("positive");
  }

  @Test
  void replaceWhereNamesExactlyTheDays() {
    assertThat(Lake.replaceWhere(List.of(LocalDate.of(2026, 3, 2))))
        .isEqualTo("event_date = DATE'2026-03-02'");
    assertThat(Lake.replaceWhere(List.of(LocalDate.of(2026, 3, 2), LocalDate.of(2026, 2, 27))))
        .isEqualTo("event_date IN (DATE'2026-02-27', DATE'2026-03-02')");
  }
}
