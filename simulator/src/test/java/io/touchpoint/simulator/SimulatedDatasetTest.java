package io.touchpoint.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.touchpoint.model.Event;
import io.touchpoint.model.Topics;
import io.touchpoint.simulator.truth.MalformedTruth;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatedDatasetTest {

  @Test
  void readsRecordsWithTheirPositionsAndExpectedVerdicts() {
    SimulatedDataset data = TestRuns.moderate().data();
    AtomicLong malformed = new AtomicLong();
    try (Stream<RawRecord> records = data.records(Topics.APP_EVENTS)) {
      AtomicLong expected = new AtomicLong();
      records.forEach(
          r -> {
            assertThat(r.position()).isEqualTo(expected.getAndIncrement());
            if (r.isMalformed()) {
              malformed.incrementAndGet();
              assertThat(r.expected().topic()).isEqualTo(Topics.APP_EVENTS);
            }
          });
      assertThat(expected.get())
          .isEqualTo(TestRuns.moderate().result().recordsByTopic().get(Topics.APP_EVENTS));
    }
    List<MalformedTruth> all = data.malformedTruth();
    assertThat(all.stream().filter(m -> m.topic().equals(Topics.APP_EVENTS)).count())
        .isEqualTo(malformed.get());
  }

  @Test
  void distinctEventsDropTheDuplicates() {
    SimulationResult r = TestRuns.moderate().result();
    List<Event> distinct = TestRuns.moderate().events();
    long valid = r.eventsByType().values().stream().mapToLong(Long::longValue).sum();
    assertThat(distinct).hasSize((int) valid);
    try (Stream<Event> all = TestRuns.moderate().data().validEvents()) {
      assertThat(all.count()).isEqualTo(valid + r.count("delivery.duplicates"));
    }
  }

  @Test
  void originalsAreInReceivedAtOrderWithinEachTopic() {
    java.util.Set<String> seen = new java.util.HashSet<>();
    java.util.Map<String, java.time.Instant> last = new java.util.HashMap<>();
    try (Stream<Event> events = TestRuns.moderate().data().validEvents()) {
      // a re-sent duplicate arrives after its received_at; first sends arrive at it
      events
          .filter(e -> seen.add(e.eventId()))
          .forEach(
              e -> {
                java.time.Instant previous = last.put(e.eventType().topic(), e.receivedAt());
                assertThat(previous == null || !e.receivedAt().isBefore(previous)).isTrue();
              });
    }
  }

  @Test
  void refusesAFolderThatIsNotASimulation(@TempDir Path empty) {
    assertThatThrownBy(() -> SimulatedDataset.open(empty)).hasMessageContaining("manifest.json");
  }
}
