package io.touchpoint.bench.stream;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Placeholder while the stream benchmark is being moved here (issue work in progress). */
@Command(name = "stream", mixinStandardHelpOptions = true, description = "The stream benchmark (being built).")
public final class StreamBenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getErr().println("bench stream: not built yet");
    return 1;
  }
}
