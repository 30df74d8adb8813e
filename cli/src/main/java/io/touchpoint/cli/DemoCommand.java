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
import java.time.temporal.ChronoUnit;
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
 * the speed layer until it has caught up, run the nightly Airflow DAG for that day ({@code
 * touchpoint_nightly}, runner=local: the batch steps, ClickHouse load, Druid re-index, data-quality
 * checks), and print the report read back from ClickHouse and Druid. Each step is the same
 * subcommand an operator would run by hand. The last screen compares the totals ClickHouse and
 * Druid serve (exit 1 if they differ) and shows speed vs batch agreement with its differences by
 * class.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Run the platform end to end on the embedded stack: up, simulate one day into Kafka, "
            + "stream until caught up, the nightly Airflow DAG (batch, load ClickHouse and Druid, "
            + "checks), report.",
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
  private record Step(String title, Supplier<List<String>> command, boolean external) {
    Step(String title, List<String> command) {
      this(title, () -> command, false);
    }

    Step(String title, Supplier<List<String>> command) {
      this(title, command, false);
    }

    /** A program outside the launcher (argv as given), e.g. the Airflow DAG run. */
    static Step external(String title, List<String> argv) {
      return new Step(title, () -> argv, true);
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
                // the stream marks every drained day complete in the lake (what the nightly DAG
                // waits for); look back far enough to mark the simulated day too
                List.of(
                    "stream",
                    "--until-caught-up",
                    "--rules",
                    rules,
                    "--conf",
                    "ingest.day-complete.lookback-days="
                        + (ChronoUnit.DAYS.between(date, LocalDate.now(ZoneOffset.UTC)) + 2))),
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
            // the night's work through Airflow: the nightly DAG with runner=local runs the batch
            // steps as ./touchpoint commands, loads ClickHouse, re-indexes Druid and checks the day
            Step.external(
                "nightly batch through Airflow (touchpoint_nightly, runner=local)",
                List.of(
                    venvPython(),
                    "-m",
                    "touchpoint_dags.run_local",
                    "--date",
                    day,
                    "--rules",
                    rules)),
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
          "[demo %d/%d] %s: %s%s%n",
          i + 1,
          total,
          step.title(),
          step.external() ? "" : "./touchpoint ",
          String.join(" ", command));
      out.flush();
      long start = System.nanoTime();
      int exit = step.external() ? runExternal(command) : runSubcommand(command);
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

  private int runSubcommand(List<String> command) {
    CommandLine sub = spec.root().subcommands().get(command.get(0));
    return sub.execute(command.subList(1, command.size()).toArray(String[]::new));
  }

  /**
   * Runs a program with this terminal, the DAG folder and the stack's Python helpers on its path.
   */
  private static int runExternal(List<String> argv) {
    String home = System.getProperty("touchpoint.home", ".");
    ProcessBuilder pb = new ProcessBuilder(argv).inheritIO().directory(Path.of(home).toFile());
    pb.environment()
        .put(
            "PYTHONPATH",
            Path.of(home, "airflow-dags")
                + java.io.File.pathSeparator
                + Path.of(home, "local", "python"));
    pb.environment().put("TOUCHPOINT_REPO", Path.of(home).toAbsolutePath().toString());
    try {
      return pb.start().waitFor();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + argv.get(0), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 130;
    }
  }

  /** The project virtualenv's Python (where `up` installed Airflow): $TOUCHPOINT_VENV or .venv. */
  private static String venvPython() {
    String home = System.getProperty("touchpoint.home", ".");
    String venv = System.getenv().getOrDefault("TOUCHPOINT_VENV", ".venv");
    Path p = Path.of(venv).isAbsolute() ? Path.of(venv) : Path.of(home, venv);
    return p.resolve("bin").resolve("python").toString();
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
