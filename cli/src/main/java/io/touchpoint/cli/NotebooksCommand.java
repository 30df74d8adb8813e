package io.touchpoint.cli;

import io.touchpoint.local.Console;
import io.touchpoint.local.Downloads;
import io.touchpoint.local.StackConfig;
import io.touchpoint.local.StackException;
import io.touchpoint.serving.ServingConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Executes the analyst notebooks (notebooks/*.ipynb) with papermill against the serving ClickHouse
 * and writes one report folder: HTML per notebook, the executed notebooks, figures/*.png and each
 * notebook's headline numbers. The Python side is notebooks/run_reports.py in the project
 * virtualenv (notebooks/requirements.txt installed on first use).
 */
@Command(
    name = "notebooks",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Execute the analyst notebooks against ClickHouse and write HTML reports and PNG figures.",
      "Uses the serving configuration's ClickHouse (TOUCHPOINT_CLICKHOUSE_URL, _DATABASE)."
    })
public final class NotebooksCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--date",
      paramLabel = "YYYY-MM-DD",
      description = "Last report day of the window (default: today in --time-zone).")
  LocalDate date;

  @Option(
      names = "--days",
      description = "Report days (install cohorts) in the window (default: ${DEFAULT-VALUE}).")
  int days = 7;

  @Option(names = "--app", description = "One app id (default: all apps).")
  String app = "";

  @Option(names = "--time-zone", description = "Time zone of 'today' (default: ${DEFAULT-VALUE}).")
  String timeZone = "UTC";

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Report folder (default: <stack data dir>/reports/notebooks).")
  Path out;

  @Option(
      names = "--only",
      paramLabel = "NOTEBOOK",
      description =
          "Only this notebook (repeatable): attribution_overview, retention_cohorts, revenue_ltv, fraud, speed_vs_batch.")
  List<String> only = new ArrayList<>();

  @Override
  public Integer call() {
    if (days < 1) {
      spec.commandLine().getErr().println("error: --days must be at least 1");
      return 2;
    }
    try {
      StackConfig stack = StackConfig.load();
      ServingConfig serving = ServingConfig.load();
      new Downloads(stack, Console.stdout())
          .pip("notebooks", stack.repoRoot.resolve("notebooks/requirements.txt"));
      Path folder = out != null ? out.toAbsolutePath() : reportFolder(stack);
      List<String> cmd =
          new ArrayList<>(
              List.of(
                  stack.venvBin("python").toString(),
                  stack.repoRoot.resolve("notebooks/run_reports.py").toString(),
                  "--out",
                  folder.toString(),
                  "--database",
                  serving.database(),
                  "--days",
                  Integer.toString(days),
                  "--app",
                  app,
                  "--time-zone",
                  timeZone));
      if (date != null) {
        cmd.addAll(List.of("--date", date.toString()));
      }
      for (String name : only) {
        cmd.addAll(List.of("--only", name));
      }
      ProcessBuilder pb = new ProcessBuilder(cmd).directory(stack.repoRoot.toFile()).inheritIO();
      // in the environment, not on the command line: the URL may carry a password
      pb.environment().put("TOUCHPOINT_CLICKHOUSE_URL", withCredentials(serving));
      Process p = pb.start();
      return p.waitFor() == 0 ? 0 : 1;
    } catch (StackException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return 1;
    } catch (IOException e) {
      spec.commandLine().getErr().println("error: cannot run the notebooks: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 130;
    }
  }

  /** Where the demo and the default run put the reports: inside the stack's data folder. */
  static Path reportFolder(StackConfig stack) {
    return stack.dataDir.resolve("reports/notebooks");
  }

  /** The serving ClickHouse URL with its user and password, as the notebooks' helper takes it. */
  private static String withCredentials(ServingConfig c) {
    if (c.clickhousePassword().isEmpty() && "default".equals(c.clickhouseUser())) {
      return c.clickhouseUrl();
    }
    URI u = URI.create(c.clickhouseUrl());
    String userInfo =
        c.clickhouseUser() + (c.clickhousePassword().isEmpty() ? "" : ":" + c.clickhousePassword());
    return u.getScheme() + "://" + userInfo + "@" + u.getAuthority() + u.getPath();
  }
}
