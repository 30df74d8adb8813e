package io.touchpoint.local.cli;

import io.touchpoint.local.Console;
import io.touchpoint.local.Stack;
import io.touchpoint.local.StackException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description = {
      "Start the embedded stack on 127.0.0.1 (idempotent: healthy services are left alone).",
      "Downloads engine jars and Python packages on first use."
    })
public final class UpCommand implements Callable<Integer> {

  @Mixin StackOptions options;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    try {
      new Stack(options.config(), Console.stdout()).up(options.services());
      return 0;
    } catch (StackException e) {
      return StackCommands.report(spec, e);
    }
  }
}
