package io.touchpoint.bench;

import io.touchpoint.bench.batch.BatchBenchCommand;
import io.touchpoint.bench.fuzz.FuzzCommand;
import io.touchpoint.bench.stream.StreamBenchCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code ./touchpoint bench}: the benchmarks behind the figures in docs/benchmarks.md. Each
 * subcommand writes {@code bench/results/<name>-<date>.json}. They are not part of the test suite:
 * they take minutes and want a quiet machine.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Run a benchmark and write bench/results/<name>-<date>.json.",
    subcommands = {StreamBenchCommand.class, BatchBenchCommand.class, FuzzCommand.class})
public final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return CommandLine.ExitCode.USAGE;
  }
}
