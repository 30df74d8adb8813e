package io.touchpoint.streaming.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DayCompleteMarkerTest {
  private static final Duration LATENESS = Duration.ofHours(2);

  @Test
  void aDayIsCompleteOnlyOnceItsEndPlusTheLatenessHasPassed() {
    assertEquals(
        LocalDate.parse("2026-02-28"),
        DayCompleteMarker.lastCompleteDay(Instant.parse("2026-03-02T01:59:59Z"), LATENESS));
    assertEquals(
        LocalDate.parse("2026-03-01"),
        DayCompleteMarker.lastCompleteDay(Instant.parse("2026-03-02T02:00:00Z"), LATENESS));
  }

  @Test
  void marksTheCompleteDaysOfTheLookbackOnce(@TempDir Path lake) throws Exception {
    DayCompleteMarker marker =
        new DayCompleteMarker(lake.toUri().toString(), "q", LATENESS, 3, new Configuration());
    marker.markThrough(Instant.parse("2026-03-02T03:00:00Z"));
    Path markers = lake.resolve(DayCompleteMarker.PREFIX);
    for (String d : new String[] {"2026-02-27", "2026-02-28", "2026-03-01"}) {
      assertTrue(Files.exists(markers.resolve("date=" + d).resolve("_SUCCESS")), d);
    }
    assertFalse(Files.exists(markers.resolve("date=2026-02-26")));
    assertFalse(Files.exists(markers.resolve("date=2026-03-02")));
    String first = Files.readString(markers.resolve("date=2026-03-01/_SUCCESS"));
    marker.markThrough(
        Instant.parse("2026-03-02T04:00:00Z")); // same day complete: nothing rewritten
    assertEquals(first, Files.readString(markers.resolve("date=2026-03-01/_SUCCESS")));
    marker.markThrough(Instant.parse("2026-03-03T02:30:00Z"));
    assertTrue(Files.exists(markers.resolve("date=2026-03-02/_SUCCESS")));
  }
}
