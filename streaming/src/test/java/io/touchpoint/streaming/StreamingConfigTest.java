package io.touchpoint.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.touchpoint.model.LakeTables;
import io.touchpoint.model.config.JobSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamingConfigTest {

  @Test
  void defaultsTargetTheEmbeddedStackWithRocksDbAndTheLongestLookbackAsTouchTtl() {
    StreamingConfig c = StreamingConfig.load(null, List.of());
    assertThat(c.touchpointsTopic).isEqualTo("touchpoints");
    assertThat(c.appEventsTopic).isEqualTo("app-events");
    assertThat(c.deadLetterTopic).isEqualTo("dead-letter");
    // tests run under the embedded stack's profile (the build sets it): local-disk checkpoints
    assertThat(c.checkpoint).startsWith("file:/").endsWith(".touchpoint/checkpoints/speed-layer");
    assertThat(c.ingestCheckpoint)
        .as("the ingest query's own checkpoint")
        .isEqualTo(c.checkpoint + "-ingest");
    assertThat(c.speedTablesCheckpoint)
        .as("the speed-tables query's own")
        .isEqualTo(c.checkpoint + "-speed-tables");
    assertThat(c.triggerInterval).as("the latency path runs as fast as it can").isZero();
    assertThat(c.table(LakeTables.SPEED_ATTRIBUTIONS))
        .isEqualTo(c.lakeRoot + "/speed/attributions");
    assertThat(c.touchTtl).isEqualTo(Duration.ofDays(7));
    assertThat(c.sparkDefaults)
        .containsEntry("spark.sql.streaming.stateStore.providerClass", StreamingJob.ROCKSDB)
        .containsEntry("spark.sql.shuffle.partitions", "2")
        // a quoted key with dots and '#' (a Parquet column setting) becomes one Spark key
        .containsEntry("spark.hadoop.parquet.enable.dictionary#event_id", "false")
        .containsEntry("spark.hadoop.parquet.column.statistics.enabled#raw_payload", "false")
        .containsEntry("spark.hadoop.parquet.size.statistics.enabled", "false")
        .containsKey("spark.hadoop.fs.s3a.endpoint");
    assertThat(c.maxPayloadBytes).isEqualTo(64 * 1024);
    assertThat(c.ingestRowsPerTask).as("short lake tasks beside the latency path").isPositive();
  }

  /**
   * A count cap is split over the partitions in proportion to their backlogs: the demo's backlog
   * (four months of app-event history, touches mostly of the last day) was cut at 01:47 in
   * touchpoints and at 07:25 in app-events, and the 28 installs and deep links received in between
   * were decided before their winning touches were read (speed vs batch 89.31 %, docs/streaming.md,
   * Ordering). By default the attribution query reads a backlog whole.
   */
  @Test
  void theAttributionQueryReadsABacklogWholeSoThatTouchesAreNeverReadAfterLaterCandidates() {
    StreamingConfig c = StreamingConfig.load(null, List.of());
    assertThat(c.maxOffsetsPerTrigger).as("no cap on the attribution query").isZero();
    assertThat(c.describe()).containsEntry("max-offsets-per-trigger", "0");
  }

  @Test
  void theProductionFileHoldsNoAddressOrKeyOfTheEmbeddedStack() throws Exception {
    String production =
        new String(
            StreamingConfig.class.getResourceAsStream("/streaming.conf").readAllBytes(),
            java.nio.charset.StandardCharsets.UTF_8);
    assertThat(production)
        .doesNotContain("127.0.0.1", "localhost", "touchpoint-secret", "touchpoint-lake");
  }

  @Test
  void confOverridesWinOverTheFileWhichWinsOverDefaults(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("prod.conf");
    Files.writeString(
        file,
        """
        touchpoint.streaming {
          kafka.bootstrap-servers = "broker-a:9092"
          kafka.topics.attributions = "attributions-v2"
          lake { root = "s3a://prod-lake/", s3a.endpoint = "" }
          trigger-interval = 5s
        }
        """);
    StreamingConfig c =
        StreamingConfig.load(
            file,
            List.of(
                "kafka.bootstrap-servers=broker-b:9092",
                "spark.sql.shuffle.partitions=64",
                "touchpoint.streaming.state.max-touches-per-key=50"));
    assertThat(c.bootstrapServers).isEqualTo("broker-b:9092");
    assertThat(c.attributionsTopic).isEqualTo("attributions-v2");
    assertThat(c.lakeRoot).isEqualTo("s3a://prod-lake");
    assertThat(c.triggerInterval).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.maxTouchesPerKey).isEqualTo(50);
    assertThat(c.sparkOverrides).containsEntry("spark.sql.shuffle.partitions", "64");
    // an empty endpoint means AWS itself: no static keys, no endpoint
    assertThat(c.sparkDefaults)
        .doesNotContainKey("spark.hadoop.fs.s3a.endpoint")
        .doesNotContainKey("spark.hadoop.fs.s3a.access.key");
  }

  @Test
  void theLauncherSelectsLocalDiskCheckpointsUnderTheStackHomeAndACluster_TheLake(
      @TempDir Path repo) {
    String home = System.getProperty(JobSettings.LAUNCHER_HOME);
    String profile = System.getProperty(JobSettings.PROFILE);
    try {
      System.clearProperty(JobSettings.PROFILE);
      System.clearProperty(JobSettings.LAUNCHER_HOME);
      StreamingConfig cluster =
          StreamingConfig.load(
              null, List.of("lake.root=s3a://prod-lake", "kafka.bootstrap-servers=broker:9092"));
      // production settings: no endpoint or key of the embedded stack, and no default for the
      // required ones
      assertThat(cluster.sparkDefaults)
          .doesNotContainKey("spark.hadoop.fs.s3a.endpoint")
          .doesNotContainKey("spark.hadoop.fs.s3a.secret.key");
      if (System.getenv("TOUCHPOINT_KAFKA_BOOTSTRAP") == null
          && System.getenv("TOUCHPOINT_LAKE_ROOT") == null) {
        assertThatThrownBy(() -> StreamingConfig.load(null, List.of()))
            .hasMessageContaining(
                "touchpoint.streaming.kafka.bootstrap-servers (environment TOUCHPOINT_KAFKA_BOOTSTRAP)")
            .hasMessageContaining(
                "touchpoint.streaming.lake.root (environment TOUCHPOINT_LAKE_ROOT)");
      }
      assertThat(cluster.checkpoint).isEqualTo("s3a://prod-lake/_checkpoints/speed-layer");
      System.setProperty(JobSettings.LAUNCHER_HOME, repo.toString());
      StreamingConfig c = StreamingConfig.load(null, List.of());
      String expected =
          repo.resolve(".touchpoint/checkpoints/speed-layer")
              .toUri()
              .toString()
              .replaceAll("/$", "");
      assertThat(c.checkpoint).isEqualTo(expected);
      assertThat(c.ingestCheckpoint).isEqualTo(expected + "-ingest");
      assertThat(c.speedTablesCheckpoint).isEqualTo(expected + "-speed-tables");
      assertThat(StreamingConfig.load(null, List.of("checkpoint=s3a://lake/ck")).checkpoint)
          .isEqualTo("s3a://lake/ck");
    } finally {
      restore(JobSettings.LAUNCHER_HOME, home);
      restore(JobSettings.PROFILE, profile);
    }
  }

  private static void restore(String property, String value) {
    if (value == null) {
      System.clearProperty(property);
    } else {
      System.setProperty(property, value);
    }
  }

  @Test
  void localCheckpointsKeepTheirScheme() {
    StreamingConfig c =
        StreamingConfig.load(
            null, List.of("checkpoint=file:///data/ckpt/", "lake.root=file:///data/lake"));
    assertThat(c.checkpoint).isEqualTo("file:///data/ckpt");
    assertThat(c.table(LakeTables.BRONZE_TOUCHPOINTS))
        .isEqualTo("file:///data/lake/bronze/touchpoints");
  }

  @Test
  void aRulesOverlayTravelsAsTextAndSetsTheTouchTtl(@TempDir Path dir) throws Exception {
    Path rules = dir.resolve("rules.conf");
    Files.writeString(rules, "touchpoint.attribution.apps.\"app.x\" { click-lookback = 21d }\n");
    StreamingConfig c = StreamingConfig.load(null, List.of("rules-file=" + rules));
    assertThat(c.rulesText).contains("21d");
    assertThat(c.touchTtl).isEqualTo(Duration.ofDays(21));
    assertThat(c.rules().rulesFor("app.x").clickLookback()).isEqualTo(Duration.ofDays(21));
  }

  @Test
  void aShortClickLookbackStillKeepsImpressionsForTheirViewThroughWindow(@TempDir Path dir)
      throws Exception {
    Path rules = dir.resolve("rules.conf");
    Files.writeString(rules, "touchpoint.attribution.defaults { click-lookback = 2h }\n");
    assertThat(StreamingConfig.load(null, List.of("rules-file=" + rules)).touchTtl)
        .isEqualTo(Duration.ofDays(1));
  }

  @Test
  void badSettingsAreRejectedWithTheirName() {
    assertThatThrownBy(() -> StreamingConfig.load(null, List.of("state.max-touches-per-key=0")))
        .hasMessageContaining("max-touches-per-key");
    assertThatThrownBy(() -> StreamingConfig.load(null, List.of("trigger-interval=soon")))
        .hasMessageContaining("trigger-interval");
    assertThatThrownBy(() -> StreamingConfig.load(null, List.of("ingest.rows-per-task=-1")))
        .hasMessageContaining("ingest.rows-per-task");
    assertThatThrownBy(() -> StreamingConfig.load(null, List.of("no-equals-sign")))
        .hasMessageContaining("key=value");
    assertThatThrownBy(() -> StreamingConfig.load(Path.of("/nonexistent.conf"), List.of()))
        .hasMessageContaining("not found");
    assertThatThrownBy(
            () -> StreamingConfig.load(null, List.of("rules-file=/nonexistent-rules.conf")))
        .hasMessageContaining("rules");
  }

  @Test
  void oneApplicationRunsAllThreeQueriesUnlessSplit() {
    assertThat(StreamingConfig.load(null, List.of()).queries)
        .isEqualTo(StreamingConfig.Queries.ALL);
    StreamingConfig lake = StreamingConfig.load(null, List.of("queries=LAKE"));
    assertThat(lake.queries.attribution()).isFalse();
    assertThat(lake.queries.lake()).isTrue();
    assertThat(lake.describe()).containsEntry("queries", "lake");
    assertThatThrownBy(() -> StreamingConfig.load(null, List.of("queries=bronze")))
        .hasMessageContaining("queries must be all, attribution or lake");
  }
}
