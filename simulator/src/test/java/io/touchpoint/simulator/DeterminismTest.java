package io.touchpoint.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.touchpoint.simulator.output.OutputOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeterminismTest {
  private static final List<String> FILES =
      List.of(
          "touchpoints.jsonl",
          "app-events.jsonl",
          "truth.jsonl",
          "malformed-truth.jsonl",
          "flooding-truth.jsonl",
          "manifest.json",
          "attribution-overlay.conf");
  private static final SimulationParams SMALL =
      SimulationParams.defaults().withSize(1500, 2).withSeed(3);

  @TempDir Path tmp;

  @Test
  void sameSeedAndParametersGiveByteIdenticalOutput() throws IOException {
    Path a = run(SMALL, tmp.resolve("a"), Long.MAX_VALUE);
    Path b = run(SMALL, tmp.resolve("b"), Long.MAX_VALUE);
    for (String f : FILES) {
      assertThat(Files.readAllBytes(a.resolve(f)))
          .as(f)
          .isEqualTo(Files.readAllBytes(b.resolve(f)));
    }
  }

  @Test
  void externalMergeSortGivesTheSameOrderAsSortingInMemory() throws IOException {
    Path inMemory = run(SMALL, tmp.resolve("memory"), Long.MAX_VALUE);
    Path spilled = run(SMALL, tmp.resolve("spilled"), 256 * 1024);
    for (String f : List.of("touchpoints.jsonl", "app-events.jsonl", "malformed-truth.jsonl")) {
      assertThat(Files.readAllBytes(spilled.resolve(f)))
          .as(f)
          .isEqualTo(Files.readAllBytes(inMemory.resolve(f)));
    }
  }

  @Test
  void anotherSeedGivesOtherEvents() throws IOException {
    Path a = run(SMALL, tmp.resolve("a"), Long.MAX_VALUE);
    Path b = run(SMALL.withSeed(4), tmp.resolve("b"), Long.MAX_VALUE);
    assertThat(Files.readAllBytes(a.resolve("touchpoints.jsonl")))
        .isNotEqualTo(Files.readAllBytes(b.resolve("touchpoints.jsonl")));
    assertThat(Files.readAllBytes(a.resolve("truth.jsonl")))
        .isNotEqualTo(Files.readAllBytes(b.resolve("truth.jsonl")));
  }

  @Test
  void changingTheLateShareChangesOnlyDeliveryNotTheEventsOrTheTruth() throws IOException {
    Path a = run(SMALL, tmp.resolve("a"), Long.MAX_VALUE);
    Path b =
        run(
            SMALL.withShares(SMALL.malformedShare(), 0.2, SMALL.duplicateShare()),
            tmp.resolve("b"),
            Long.MAX_VALUE);
    assertThat(verdicts(b)).isEqualTo(verdicts(a));
    assertThat(eventIds(b)).isEqualTo(eventIds(a));
  }

  /** The truth without late_inputs, which follows the delivery. */
  private static List<String> verdicts(Path dir) {
    return SimulatedDataset.open(dir).truth().stream()
        .map(t -> t.candidateEventId() + t.kind() + t.outcome() + t.touchEventId() + t.scenario())
        .toList();
  }

  private static Set<String> eventIds(Path dir) {
    return SimulatedDataset.open(dir).distinctEvents().stream()
        .map(e -> e.eventId())
        .collect(Collectors.toSet());
  }

  private static Path run(SimulationParams p, Path dir, long sortBudget) throws IOException {
    new Simulator(p, OutputOptions.jsonl(dir), null).withSortBudget(sortBudget).run();
    return dir;
  }
}
