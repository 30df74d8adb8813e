package io.touchpoint.simulator.cli;

import io.touchpoint.model.Topics;
import io.touchpoint.simulator.SimulationParams;
import io.touchpoint.simulator.SimulationResult;
import io.touchpoint.simulator.Simulator;
import io.touchpoint.simulator.output.OutputFormat;
import io.touchpoint.simulator.output.OutputOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code touchpoint simulate}: deterministic traffic with ground truth. */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    header = "Generate deterministic attribution traffic with its ground truth.",
    description = {
      "Generates deterministic mobile-attribution traffic (impressions, clicks, installs, sessions,",
      "in-app events) with fraud, reinstalls, re-engagements, late, duplicate and malformed records,",
      "and the ground truth of every install and re-engagement (truth.jsonl). Same seed and",
      "parameters give byte-identical output, whatever the format or rate. See docs/simulator.md."
    },
    sortOptions = false)
public final class SimulateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--seed", description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed = SimulationParams.DEFAULT_SEED;

  @Option(
      names = "--devices",
      description = "Devices in the population (default: ${DEFAULT-VALUE}).")
  int devices = SimulationParams.DEFAULT_DEVICES;

  @Option(names = "--days", description = "Reported UTC days (default: ${DEFAULT-VALUE}).")
  int days = SimulationParams.DEFAULT_DAYS;

  @Option(
      names = "--start-date",
      paramLabel = "YYYY-MM-DD",
      description = "First reported day, UTC (default: ${DEFAULT-VALUE}).")
  LocalDate startDate = SimulationParams.DEFAULT_START_DATE;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      required = true,
      description =
          "Output folder: JSONL files, truth files and manifest.json (truth is written for every format).")
  Path out;

  @Option(names = "--format", description = "jsonl, kafka or parquet (default: ${DEFAULT-VALUE}).")
  OutputFormat format = OutputFormat.JSONL;

  // the embedded stack's broker unless told otherwise: $TOUCHPOINT_KAFKA_BOOTSTRAP, else its port
  @Option(
      names = "--bootstrap-servers",
      defaultValue =
          "${env:TOUCHPOINT_KAFKA_BOOTSTRAP:-127.0.0.1:${env:TOUCHPOINT_KAFKA_PORT:-9092}}",
      description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
  String bootstrapServers;

  @Option(
      names = "--rate",
      description =
          "Kafka records per second, 0 = as fast as possible (default: ${DEFAULT-VALUE}).")
  double rate = 0;

  @Option(
      names = "--touchpoints-topic",
      description = "Topic for impressions and clicks (default: ${DEFAULT-VALUE}).")
  String touchpointsTopic = Topics.TOUCHPOINTS;

  @Option(
      names = "--app-events-topic",
      description = "Topic for installs, sessions, in-app events (default: ${DEFAULT-VALUE}).")
  String appEventsTopic = Topics.APP_EVENTS;

  @Option(
      names = "--malformed-share",
      description = "Share of records that are malformed (default: ${DEFAULT-VALUE}).")
  double malformedShare = SimulationParams.DEFAULT_MALFORMED_SHARE;

  @Option(
      names = "--late-share",
      description = "Share of events delivered hours to days late (default: ${DEFAULT-VALUE}).")
  double lateShare = SimulationParams.DEFAULT_LATE_SHARE;

  @Option(
      names = "--duplicate-share",
      description = "Share of records that are exact re-sends (default: ${DEFAULT-VALUE}).")
  double duplicateShare = SimulationParams.DEFAULT_DUPLICATE_SHARE;

  @Option(names = "--quiet", description = "No progress bars on stderr.")
  boolean quiet;

  @Override
  public Integer call() throws Exception {
    SimulationParams params;
    OutputOptions options;
    try {
      params =
          new SimulationParams(
              seed, devices, days, startDate, malformedShare, lateShare, duplicateShare);
      options =
          new OutputOptions(out, format, bootstrapServers, rate, touchpointsTopic, appEventsTopic);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    SimulationResult result = new Simulator(params, options, quiet ? null : System.err).run();
    print(spec.commandLine().getOut(), result);
    return 0;
  }

  static void print(PrintWriter w, SimulationResult r) {
    w.printf(
        Locale.ROOT,
        "simulated in %.1f s (generate %.1f s, write %.1f s) -> %s%n",
        (r.generation().toMillis() + r.writing().toMillis()) / 1000.0,
        r.generation().toMillis() / 1000.0,
        r.writing().toMillis() / 1000.0,
        r.outDir());
    section(w, "records by topic", r.recordsByTopic());
    section(w, "valid events by type", r.eventsByType());
    w.printf(
        Locale.ROOT,
        "delivery: %,d late, %,d duplicates, %,d malformed%n",
        r.count("delivery.late"),
        r.count("delivery.duplicates"),
        r.malformedByReason().values().stream().mapToLong(Long::longValue).sum());
    section(w, "malformed by reason", r.malformedByReason());
    section(w, "candidates by scenario", r.candidatesByScenario());
    section(w, "verdicts (kind.outcome)", r.verdicts());
    w.printf(
        Locale.ROOT,
        "click flooding: %s%n",
        r.floodingEnabled()
            ? r.count("flooding.flagged_site_days")
                + " flagged site-days, "
                + r.count("flood.sprayed")
                + " sprayed clicks"
            : "off (fewer than 1000 devices)");
    w.flush();
  }

  private static void section(PrintWriter w, String title, Map<String, Long> counts) {
    w.println(title + ":");
    counts.forEach((k, v) -> w.printf(Locale.ROOT, "  %-32s %,12d%n", k, v));
  }

  /** Standalone entry point; the launcher registers the command as {@code touchpoint simulate}. */
  public static void main(String[] args) {
    CommandLine cli =
        new CommandLine(new SimulateCommand())
            .setCaseInsensitiveEnumValuesAllowed(true)
            .setExecutionExceptionHandler(
                (e, cmd, parsed) -> {
                  cmd.getErr()
                      .println(
                          "simulate: "
                              + (e.getMessage() == null
                                  ? e.getClass().getSimpleName()
                                  : e.getMessage()));
                  return 1;
                });
    System.exit(cli.execute(args));
  }
}
