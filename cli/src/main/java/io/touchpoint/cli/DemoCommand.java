package io.touchpoint.cli;

import java.io.PrintWriter;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The whole platform on one machine, end to end: start the stack, simulate one day into Kafka,
 * run the speed layer until it has caught up, run the batch for that day, load ClickHouse and
 * Druid, and print the report read back from them. Each step is the same subcommand an
 * operator would run by hand; a step whose command has not landed yet is reported as pending.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Run the platform end to end on the embedded stack: up, simulate one day into Kafka, "
        + "stream until caught up, batch, load ClickHouse and Druid, report.",
    sortOptions = false)
public final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--devices", description = "Devices to simulate (default: ${DEFAULT-VALUE}).")
  int devices = 20_000;

  @Option(names = "--date", paramLabel = "YYYY-MM-DD", description = "The demo day (default: ${DEFAULT-VALUE}).")
  LocalDate date = LocalDate.of(2026, 1, 1);

  @Option(names = "--seed", description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed = 42;

  @Option(names = "--rate", description = "Records per second into Kafka, 0 = as fast as possible (default: ${DEFAULT-VALUE}).")
  long rate = 0;

  /** One step: the subcommand and its arguments, and what it does in words. */
  private record Step(String title, List<String> command) {}

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    String day = date.toString();
    List<Step> steps = List.of(
        new Step("start the embedded stack", List.of("up")),
        new Step("simulate one day into Kafka", List.of("simulate", "--format", "kafka", "--days", "1",
            "--start-date", day, "--devices", Integer.toString(devices), "--seed", Long.toString(seed),
            "--rate", Long.toString(rate), "--out", demoFolder())),
        new Step("speed layer until caught up", List.of("stream", "--until-caught-up")),
        new Step("batch for the day", List.of("batch", "--date", day)),
        new Step("apply ClickHouse migrations", List.of("serve", "migrate")),
        new Step("load ClickHouse and Druid", List.of("serve", "load", "--date", day)),
        new Step("installs by media source (ClickHouse)", List.of("query", "installs_by_source", "--date", day)),
        new Step("organic vs paid (ClickHouse)", List.of("query", "organic_vs_paid", "--date", day)),
        new Step("fraud rejected by source and site (ClickHouse)", List.of("query", "fraud_by_source_site", "--date", day)),
        new Step("revenue and LTV (ClickHouse)", List.of("query", "revenue_ltv_by_cohort", "--date", day)),
        new Step("installs by media source (Druid)", List.of("query", "installs_by_source", "--date", day,
            "--engine", "druid")),
        new Step("organic vs paid (Druid)", List.of("query", "organic_vs_paid", "--date", day, "--engine", "druid")));

    List<String> pending = new ArrayList<>();
    long demoStart = System.nanoTime();
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      String name = step.command().get(0);
      CommandLine sub = spec.root().subcommands().get(name);
      String header = String.format(Locale.ROOT, "[demo %d/%d] %s: ./touchpoint %s", i + 1, steps.size(),
          step.title(), String.join(" ", step.command()));
      if (sub == null) {
        out.println(header + "  -> PENDING (the '" + name + "' command has not landed yet)");
        pending.add(name);
        continue;
      }
      out.println(header);
      out.flush();
      long start = System.nanoTime();
      int exit = sub.execute(step.command().subList(1, step.command().size()).toArray(String[]::new));
      out.printf(Locale.ROOT, "[demo %d/%d] %s in %.1f s%n", i + 1, steps.size(),
          exit == 0 ? "done" : "FAILED (exit " + exit + ")", (System.nanoTime() - start) / 1e9);
      if (exit != 0) {
        return exit;
      }
    }
    out.printf(Locale.ROOT, "demo finished in %.1f s%s%n", (System.nanoTime() - demoStart) / 1e9,
        pending.isEmpty() ? "" : "; pending steps (their issues are open): " + String.join(", ", pending));
    return 0;
  }

  /** Where the demo keeps the simulated day's truth and manifest: inside the stack's data folder. */
  private static String demoFolder() {
    String home = System.getProperty("touchpoint.home", ".");
    return java.nio.file.Path.of(home, ".touchpoint", "demo", "simulation").toString();
  }
}
