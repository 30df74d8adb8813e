package io.touchpoint.local.cli;

import io.touchpoint.local.StackException;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * What the stack commands share: turning a {@link StackException} into a message, a log tail and a
 * hint.
 */
final class StackCommands {

  private StackCommands() {}

  /** Exit code for a failure the user can act on. */
  static final int FAILED = 1;

  static int report(CommandLine.Model.CommandSpec spec, StackException e) {
    PrintWriter err = spec.commandLine().getErr();
    err.println("error: " + e.getMessage());
    if (e.logTail() != null && !e.logTail().isBlank()) {
      err.println("---- log tail ----");
      err.println(e.logTail());
      err.println("------------------");
    }
    if (e.hint() != null) {
      err.println("hint: " + e.hint());
    }
    err.flush();
    return FAILED;
  }

  /**
   * An execution-exception handler for any root command: a StackException is reported as a message
   * with its hint, anything else as a one-line error (the stack trace only with
   * TOUCHPOINT_DEBUG=1).
   */
  static final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(
        Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult) {
      if (ex instanceof StackException se) {
        return report(cmd.getCommandSpec(), se);
      }
      cmd.getErr().println("error: " + ex);
      if (System.getenv("TOUCHPOINT_DEBUG") != null) {
        ex.printStackTrace(cmd.getErr());
      }
      return FAILED;
    }
  }
}
