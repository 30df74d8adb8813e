package io.touchpoint.local.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Stand-alone root for the stack commands until they are registered under the project launcher:
 * {@code java -cp "local/target/classes:$(cat local/target/cp.txt)"
 * io.touchpoint.local.cli.StackMain up}.
 */
@Command(
    name = "stack",
    mixinStandardHelpOptions = true,
    description =
        "The embedded stack of real engines (Kafka, S3 API, ClickHouse engine, Druid, Airflow).",
    subcommands = {UpCommand.class, DownCommand.class, StatusCommand.class})
public final class StackMain implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line with the error handler that prints messages, not stack traces. */
  public static CommandLine commandLine() {
    return new CommandLine(new StackMain())
        .setExecutionExceptionHandler(new StackCommands.ErrorHandler());
  }
}
