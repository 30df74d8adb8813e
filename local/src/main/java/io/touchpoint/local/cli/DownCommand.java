package io.touchpoint.local.cli;

import io.touchpoint.local.Console;
import io.touchpoint.local.Stack;
import io.touchpoint.local.StackException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "down",
    mixinStandardHelpOptions = true,
    description =
        "Stop what `up` started (PID files under <data>/run). Data is kept unless --wipe.")
public final class DownCommand implements Callable<Integer> {

  @Mixin StackOptions options;

  @Option(
      names = "--wipe",
      description = "Also delete the stopped services' data (topics, objects, tables, segments).")
  boolean wipe;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    try {
      new Stack(options.config(), Console.stdout()).down(options.services(), wipe);
      return 0;
    } catch (StackException e) {
      return StackCommands.report(spec, e);
    }
  }
}
