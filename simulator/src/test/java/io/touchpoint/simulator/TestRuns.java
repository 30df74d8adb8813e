package io.touchpoint.simulator;

import io.touchpoint.model.Event;
import io.touchpoint.simulator.output.OutputOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Simulation runs shared by the test classes of one JVM (generating is the slow part). */
final class TestRuns {
  /** A moderate run: big enough that every scenario appears and shares are measurable. */
  static final SimulationParams MODERATE =
      SimulationParams.defaults().withSize(20_000, 3).withSeed(11);

  private static final Map<SimulationParams, Run> RUNS = new HashMap<>();

  record Run(
      SimulationResult result,
      SimulatedDataset data,
      java.util.concurrent.atomic.AtomicReference<List<Event>> cache) {
    Run(SimulationResult result, SimulatedDataset data) {
      this(result, data, new java.util.concurrent.atomic.AtomicReference<>());
    }

    /** The run's distinct events, read once. */
    List<Event> events() {
      return cache.updateAndGet(e -> e != null ? e : data.distinctEvents());
    }
  }

  private TestRuns() {}

  static synchronized Run moderate() {
    return of(MODERATE);
  }

  /** A throw-away run: generated into a temp folder, handed to {@code check}, then deleted. */
  static void once(SimulationParams params, java.util.function.Consumer<Run> check) {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("sim-once-");
      SimulationResult result = new Simulator(params, OutputOptions.jsonl(dir), null).run();
      check.accept(new Run(result, SimulatedDataset.open(dir)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      delete(dir);
    }
  }

  private static void delete(Path dir) {
    if (dir == null) {
      return;
    }
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException ignored) {
      // temp files only
    }
  }

  static synchronized Run of(SimulationParams params) {
    return RUNS.computeIfAbsent(
        params,
        p -> {
          try {
            Path dir = Files.createTempDirectory("sim-test-");
            // deleteOnExit removes only empty folders: each run left ~225 MB in the temp folder
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
            SimulationResult result = new Simulator(p, OutputOptions.jsonl(dir), null).run();
            return new Run(result, SimulatedDataset.open(dir));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }
}
