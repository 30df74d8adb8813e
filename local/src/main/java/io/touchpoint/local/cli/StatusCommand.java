package io.touchpoint.local.cli;

import io.touchpoint.local.Console;
import io.touchpoint.local.Stack;
import io.touchpoint.local.StackException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Show each service up or down, with its processes, pids, RSS and address.",
      "Exit code 0 when every service asked about is up, 3 otherwise."
    })
public final class StatusCommand implements Callable<Integer> {

  /** Exit code when some service is down. */
  public static final int SOME_DOWN = 3;

  @Mixin StackOptions options;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    try {
      Stack stack = new Stack(options.config(), Console.stdout());
      PrintWriter out = spec.commandLine().getOut();
      out.println("data dir " + stack.config().dataDir);
      boolean all = true;
      for (Stack.ServiceStatus s : stack.status(options.services())) {
        all &= s.up();
        out.printf("%-11s %-5s %s%n", s.service().id(), s.up() ? "up" : "down", s.detail());
        for (Stack.ProcessStatus p : s.processes()) {
          out.printf(
              "    %-20s %-5s pid %-8s rss %-7s ports %s%n",
              p.name(),
              p.healthy() ? "up" : "down",
              p.pid() == null ? "-" : p.pid(),
              p.rssBytes() < 0 ? "-" : Console.mb(p.rssBytes()),
              p.ports().values());
        }
      }
      out.flush();
      return all ? 0 : SOME_DOWN;
    } catch (StackException e) {
      return StackCommands.report(spec, e);
    }
  }
}
