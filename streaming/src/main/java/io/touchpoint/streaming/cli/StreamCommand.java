package io.touchpoint.streaming.cli;

import io.touchpoint.streaming.StreamingConfig;
import io.touchpoint.streaming.StreamingJob;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.streaming.state.StateStore$;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./touchpoint stream}: runs the speed layer (the same code as the spark-submit main). */
@Command(
    name = "stream",
    mixinStandardHelpOptions = true,
    header = "Run the speed layer: Kafka to attribution in near real time.",
    description = {
      "Runs the speed layer: Kafka (touchpoints, app-events) -> validation -> stateful attribution ->",
      "attributions / attributed-events topics (the latency path); off that path, bronze, quarantine",
      "and the dead-letter topic from the inputs, the speed Delta tables from the output topics.",
      "Resumes from its checkpoints.",
      "Settings: streaming.conf (see docs/streaming.md); env TOUCHPOINT_* overrides; --conf wins."
    },
    sortOptions = false)
public final class StreamCommand implements Callable<Integer> {

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "HOCON file overlaying the defaults (else $TOUCHPOINT_STREAMING_CONF).")
  Path config;

  @Option(
      names = "--conf",
      paramLabel = "KEY=VALUE",
      description =
          "Override a setting: a key under touchpoint.streaming (e.g. kafka.bootstrap-servers=host:9092)"
              + " or a Spark setting (spark.sql.shuffle.partitions=4). Repeatable.")
  List<String> overrides = new ArrayList<>();

  @Option(
      names = "--rules",
      paramLabel = "FILE",
      description =
          "Attribution rules overlay (same as --conf rules-file=FILE or $TOUCHPOINT_RULES).")
  Path rules;

  @Option(
      names = "--until-caught-up",
      description = "Process what is in Kafka now (Trigger.AvailableNow), then stop.")
  boolean untilCaughtUp;

  @Option(
      names = "--max-seconds",
      paramLabel = "N",
      description = "Stop gracefully (after the batch in flight) after N seconds.")
  Long maxSeconds;

  @Option(
      names = "--queries",
      paramLabel = "WHICH",
      description = {
        "Which queries this process runs (same as --conf queries=WHICH or $TOUCHPOINT_STREAM_QUERIES;"
            + " default: streaming.conf's, all):",
        "  all         - the three queries in one Spark application",
        "  attribution - the latency path only: inputs -> attributions, attributed-events topics",
        "  lake        - ingest (bronze, quarantine, dead-letter topic) and speed tables (the output"
            + " topics into the speed Delta tables)",
        "attribution and lake, as two processes with the same settings, are the layer's two"
            + " applications: the lake's batches off the latency path's cores."
      })
  String queries;

  @Option(names = "--print-config", description = "Print the effective settings and exit.")
  boolean printConfig;

  @Override
  public Integer call() throws Exception {
    List<String> all = new ArrayList<>(overrides);
    if (rules != null) {
      all.add("rules-file=" + rules);
    }
    if (queries != null) {
      all.add("queries=" + StreamingConfig.Queries.parse(queries).label());
    }
    StreamingConfig cfg = StreamingConfig.load(config, all);
    if (printConfig) {
      cfg.describe().forEach((k, v) -> System.out.println(k + " = " + v));
      cfg.sparkDefaults.forEach(
          (k, v) -> System.out.println(k + " = " + (k.contains("secret") ? "***" : v)));
      cfg.sparkOverrides.forEach((k, v) -> System.out.println(k + " = " + v + " (--conf)"));
      return 0;
    }
    if (maxSeconds != null && maxSeconds <= 0) {
      throw new IllegalArgumentException("--max-seconds must be positive");
    }
    SparkSession spark = StreamingJob.session(cfg);
    try {
      return StreamingJob.run(
          spark,
          cfg,
          new StreamingJob.RunOptions(
              untilCaughtUp, maxSeconds == null ? null : Duration.ofSeconds(maxSeconds)));
    } finally {
      // unload the state stores and stop their maintenance thread while the session still runs:
      // left alive, it outlives the session and, in a JVM that goes on (the demo runs the batch
      // next), logs a stack trace per store once a minute
      StateStore$.MODULE$.stop();
      spark.stop();
    }
  }
}
