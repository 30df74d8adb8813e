package io.touchpoint.cli;

import io.touchpoint.batch.cli.BatchCommand;
import io.touchpoint.bench.BenchCommand;
import io.touchpoint.bench.chaos.ChaosCommand;
import io.touchpoint.local.cli.DownCommand;
import io.touchpoint.local.cli.StatusCommand;
import io.touchpoint.local.cli.UpCommand;
import io.touchpoint.serving.cli.QueryCommand;
import io.touchpoint.serving.cli.ServeCommand;
import io.touchpoint.simulator.cli.SimulateCommand;
import io.touchpoint.streaming.cli.StreamCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The root of {@code ./touchpoint}: one subcommand per job an operator or analyst runs. */
@Command(
    name = "touchpoint",
    mixinStandardHelpOptions = true,
    version = "touchpoint 0.1.0",
    description =
        "Open mobile attribution: simulate traffic, run the speed and batch layers, serve reports.",
    subcommands = {
      DemoCommand.class,
      UpCommand.class,
      DownCommand.class,
      StatusCommand.class,
      SimulateCommand.class,
      CheckTruthCommand.class,
      StreamCommand.class,
      BatchCommand.class,
      ServeCommand.class,
      QueryCommand.class,
      EraseCommand.class,
      BenchCommand.class,
      ChaosCommand.class,
      NotebooksCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Touchpoint implements Runnable {
  /** The commands' descriptions are written in lines of up to 100 characters. */
  private static final int USAGE_WIDTH = 100;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line: bad arguments and failures print a message, not a stack trace. */
  public static CommandLine commandLine() {
    return new CommandLine(new Touchpoint())
        .setExecutionExceptionHandler(new FailureMessages())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setUsageHelpWidth(USAGE_WIDTH);
  }
}
