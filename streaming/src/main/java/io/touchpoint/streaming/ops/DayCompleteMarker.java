package io.touchpoint.streaming.ops;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.streaming.SourceProgress;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the nightly batch that a UTC day is complete in bronze: writes {@code
 * <lake>/_markers/day_complete/date=D/_SUCCESS} once the ingest query has drained everything Kafka
 * held at an instant past D's end plus the lateness allowance (what Airflow's {@code
 * touchpoint_nightly} waits for). Progress is the start of an ingest micro-batch that read up to
 * the latest offsets of every source, or the start of an until-caught-up run that ended. Markers
 * are written for the days of the last {@code lookbackDays}, once each; writing is idempotent.
 */
public final class DayCompleteMarker extends StreamingQueryListener {
  private static final Logger LOG = LoggerFactory.getLogger(DayCompleteMarker.class);
  public static final String PREFIX = "_markers/day_complete";

  private final String lakeRoot;
  private final String ingestQueryName;
  private final Duration lateness;
  private final int lookbackDays;
  private final Configuration hadoop;
  private volatile LocalDate lastMarked;

  public DayCompleteMarker(
      String lakeRoot,
      String ingestQueryName,
      Duration lateness,
      int lookbackDays,
      Configuration hadoop) {
    this.lakeRoot = lakeRoot;
    this.ingestQueryName = ingestQueryName;
    this.lateness = lateness;
    this.lookbackDays = lookbackDays;
    this.hadoop = hadoop;
  }

  /** The last day complete at {@code progress}: the day whose end + lateness is at or before it. */
  public static LocalDate lastCompleteDay(Instant progress, Duration lateness) {
    return progress.minus(lateness).atOffset(ZoneOffset.UTC).toLocalDate().minusDays(1);
  }

  /** Writes the markers of the days complete at {@code progress} that are not marked yet. */
  public synchronized void markThrough(Instant progress) {
    LocalDate last = lastCompleteDay(progress, lateness);
    if (last.equals(lastMarked)) {
      return;
    }
    LocalDate first = last.minusDays(lookbackDays - 1L);
    if (lastMarked != null && lastMarked.isAfter(first.minusDays(1))) {
      first = lastMarked.plusDays(1);
    }
    int written = 0;
    try {
      for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
        Path marker = new Path(lakeRoot + "/" + PREFIX + "/date=" + d + "/_SUCCESS");
        FileSystem fs = marker.getFileSystem(hadoop);
        if (!fs.exists(marker)) {
          try (OutputStream out = fs.create(marker, true)) {
            out.write(
                ("{\"day\":\""
                        + d
                        + "\",\"progress\":\""
                        + progress
                        + "\",\"lateness\":\""
                        + lateness
                        + "\"}")
                    .getBytes(StandardCharsets.UTF_8));
          }
          written++;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write the day-complete markers under " + lakeRoot + "/" + PREFIX, e);
    }
    lastMarked = last;
    if (written > 0) {
      LOG.info(
          "day-complete markers: {} new, complete through {} (progress {}, lateness {})",
          written,
          last,
          progress,
          lateness);
    }
  }

  @Override
  public void onQueryProgress(QueryProgressEvent event) {
    var p = event.progress();
    if (!Objects.equals(p.name(), ingestQueryName) || p.sources().length == 0) {
      return;
    }
    boolean drained = Arrays.stream(p.sources()).allMatch(DayCompleteMarker::drained);
    if (drained) {
      try {
        markThrough(Instant.parse(p.timestamp()));
      } catch (RuntimeException e) {
        LOG.warn("day-complete markers not written (next batch retries): {}", e.getMessage());
      }
    }
  }

  private static boolean drained(SourceProgress s) {
    return s.endOffset() != null
        && s.latestOffset() != null
        && s.endOffset().equals(s.latestOffset());
  }

  @Override
  public void onQueryStarted(QueryStartedEvent event) {}

  @Override
  public void onQueryTerminated(QueryTerminatedEvent event) {}
}
