package io.touchpoint.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns a failed command into one clear line for the operator; the stack trace only with {@code
 * TOUCHPOINT_DEBUG=1}.
 */
final class FailureMessages implements IExecutionExceptionHandler {
  static final int FAILED = 1;

  @Override
  public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
    cmd.getErr()
        .println(
            cmd.getColorScheme()
                .errorText("touchpoint " + cmd.getCommandName() + ": " + describe(e)));
    if ("1".equals(System.getenv("TOUCHPOINT_DEBUG"))) {
      e.printStackTrace(cmd.getErr());
    } else {
      cmd.getErr().println("(set TOUCHPOINT_DEBUG=1 for the stack trace)");
    }
    return FAILED;
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }
}
