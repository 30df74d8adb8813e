package io.touchpoint.bench.batch;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Placeholder while the batch benchmark is being moved here (issue work in progress). */
@Command(name = "batch", mixinStandardHelpOptions = true, description = "The batch benchmark (being built).")
public final class BatchBenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getErr().println("bench batch: not built yet");
    return 1;
  }
}
