package io.touchpoint.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.touchpoint.local.StackConfig;
import io.touchpoint.model.json.ContractJson;
import io.touchpoint.serving.NamedQueries;
import io.touchpoint.serving.ServingConfig;
import io.touchpoint.serving.cli.ServeCommand;
import io.touchpoint.serving.clickhouse.ClickHouseHttp;
import io.touchpoint.serving.druid.DruidClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The whole platform on one machine, end to end: start the stack, simulate one day into Kafka, run
 * the speed layer until it has caught up, run the batch for that day, load ClickHouse and Druid,
 * and print the report read back from them. Each step is the same subcommand an operator would run
 * by hand. The last screen compares the totals ClickHouse and Druid serve (exit 1 if they differ)
 * and shows speed vs batch agreement with its differences by class.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Run the platform end to end on the embedded stack: up, simulate one day into Kafka, "
            + "stream until caught up, batch, load ClickHouse and Druid, report.",
    sortOptions = false)
public final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--devices", description = "Devices to simulate (default: ${DEFAULT-VALUE}).")
  int devices = 20_000;

  @Option(
      names = "--date",
      paramLabel = "YYYY-MM-DD",
      description = "The demo day (default: ${DEFAULT-VALUE}).")
  LocalDate date = LocalDate.of(2026, 1, 1);

  @Option(names = "--seed", description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed = 42;

  @Option(
      names = "--rate",
      description =
          "Records per second into Kafka, 0 = as fast as possible (default: ${DEFAULT-VALUE}).")
  long rate = 0;

  /** How long Druid may take to serve segments the load just published. */
  private static final int DRUID_SETTLE_SECONDS = 60;

  /**
   * One step: what it does in words, and the subcommand with its arguments (built when the step
   * runs: later steps read what earlier ones wrote, e.g. the simulation's manifest).
   */
  private record Step(String title, Supplier<List<String>> command) {
    Step(String title, List<String> command) {
      this(title, () -> command);
    }
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    String day = date.toString();
    Path simulation = demoFolder();
    String rules = simulation.resolve("attribution-overlay.conf").toString();
    List<Step> steps =
        List.of(
            new Step("start the embedded stack", List.of("up")),
            new Step(
                "simulate one day into Kafka",
                List.of(
                    "simulate",
                    "--format",
                    "kafka",
                    "--days",
                    "1",
                    "--start-date",
                    day,
                    "--devices",
                    Integer.toString(devices),
                    "--seed",
                    Long.toString(seed),
                    "--rate",
                    Long.toString(rate),
                    "--out",
                    simulation.toString())),
            new Step(
                "speed layer until caught up",
                List.of("stream", "--until-caught-up", "--rules", rules)),
            // what the nightly runs of earlier days would have left in silver: the simulated
            // history
            // (prior installs for reinstall detection, the previous day's clicks), in one pass
            new Step(
                "backfill the history into silver",
                () ->
                    List.of(
                        "batch",
                        "--date",
                        historyStart(simulation),
                        "--through",
                        date.minusDays(1).toString(),
                        "--steps",
                        "compact",
                        "--rules",
                        rules)),
            new Step("batch for the day", List.of("batch", "--date", day, "--rules", rules)),
            new Step("apply ClickHouse migrations", List.of("serve", "migrate")),
            new Step("load ClickHouse and Druid", List.of("serve", "load", "--date", day)),
            new Step(
                "installs by media source (ClickHouse)",
                List.of("query", "installs_by_source", "--date", day, "--days", "1")),
            new Step(
                "fraud rejected by source and site (ClickHouse)",
                List.of("query", "fraud_by_source_site", "--date", day, "--days", "1")));

    long demoStart = System.nanoTime();
    int total = steps.size() + 1;
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      List<String> command = step.command().get();
      out.printf(
          Locale.ROOT,
          "[demo %d/%d] %s: ./touchpoint %s%n",
          i + 1,
          total,
          step.title(),
          String.join(" ", command));
      out.flush();
      long start = System.nanoTime();
      CommandLine sub = spec.root().subcommands().get(command.get(0));
      int exit = sub.execute(command.subList(1, command.size()).toArray(String[]::new));
      out.printf(
          Locale.ROOT,
          "[demo %d/%d] %s in %.1f s%n",
          i + 1,
          total,
          exit == 0 ? "done" : "FAILED (exit " + exit + ")",
          (System.nanoTime() - start) / 1e9);
      if (exit != 0) {
        return exit;
      }
    }
    out.printf(
        Locale.ROOT, "[demo %d/%d] report: demo_report from ClickHouse and Druid%n", total, total);
    DemoReport report = report();
    out.print(report.render(day));
    int notebooks = analystReports(out, day);
    out.printf(Locale.ROOT, "demo finished in %.1f s%n", (System.nanoTime() - demoStart) / 1e9);
    return report.disagreements().isEmpty() && notebooks == 0 ? 0 : 1;
  }

  /**
   * The day's totals from both engines. Druid makes freshly published segments queryable a moment
   * after the load returns, so a difference is re-read for a while before it counts.
   */
  private DemoReport report() {
    ServingConfig c = ServingConfig.load();
    NamedQueries.Params p = new NamedQueries.Params(date, 1, "");
    ClickHouseHttp ch = ServeCommand.clickhouse(c);
    DruidClient druid = new DruidClient(c.druidRouter());
    long deadline = System.nanoTime() + Duration.ofSeconds(DRUID_SETTLE_SECONDS).toNanos();
    while (true) {
      DemoReport r =
          new DemoReport(
              NamedQueries.clickhouse(ch, c.database(), "demo_report", p),
              NamedQueries.druid(druid, c, "demo_report", p));
      if (r.disagreements().isEmpty() || System.nanoTime() > deadline) {
        return r;
      }
      try {
        Thread.sleep(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return r;
      }
    }
  }

  /**
   * The analysts' view of the day: the notebooks executed on the week ending on the demo day, then
   * the dashboards' addresses (the bundle was imported by {@code up}) and the report folder.
   */
  private int analystReports(PrintWriter out, String day) {
    out.printf(Locale.ROOT, "notebooks: ./touchpoint notebooks --date %s --days 7%n", day);
    out.flush();
    int exit = spec.root().subcommands().get("notebooks").execute("--date", day, "--days", "7");
    StackConfig stack = StackConfig.load();
    out.println(
        "dashboards (Apache Superset; user analyst, password in "
            + stack.dataDir.resolve("superset/analyst.password")
            + "):");
    Path bundle = stack.repoRoot.resolve("serving/superset/bundle/dashboards");
    try (Stream<Path> files = Files.list(bundle)) {
      files
          .map(f -> f.getFileName().toString().replaceFirst("\\.yaml$", ""))
          .sorted()
          .forEach(
              slug ->
                  out.printf(
                      Locale.ROOT, "  %s/superset/dashboard/%s/%n", stack.supersetUrl(), slug));
    } catch (IOException e) {
      out.println("  (no dashboards bundle at " + bundle + ")");
    }
    out.println(
        "notebook reports (HTML, figures/*.png): "
            + NotebooksCommand.reportFolder(stack)
            + (exit == 0 ? "" : "  -- FAILED, see above"));
    out.flush();
    return exit;
  }

  /**
   * Where the demo keeps the simulated day's truth and manifest: inside the stack's data folder.
   */
  private static Path demoFolder() {
    String home = System.getProperty("touchpoint.home", ".");
    return Path.of(home, ".touchpoint", "demo", "simulation");
  }

  /**
   * The first day of the simulated history ({@code span.history_start} of the simulation's
   * manifest).
   */
  private static String historyStart(Path simulation) {
    Path manifest = simulation.resolve("manifest.json");
    try {
      JsonNode start = ContractJson.mapper().readTree(manifest.toFile()).at("/span/history_start");
      if (start.isMissingNode()) {
        throw new IllegalStateException(manifest + " names no span.history_start");
      }
      return Instant.parse(start.asText()).atZone(ZoneOffset.UTC).toLocalDate().toString();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the simulation's manifest " + manifest, e);
    }
  }
}
