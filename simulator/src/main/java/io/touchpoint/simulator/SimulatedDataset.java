package io.touchpoint.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.touchpoint.model.Event;
import io.touchpoint.model.Topics;
import io.touchpoint.model.json.ContractJson;
import io.touchpoint.simulator.output.JsonlSink;
import io.touchpoint.simulator.output.RulesOverlay;
import io.touchpoint.simulator.truth.MalformedTruth;
import io.touchpoint.simulator.truth.SiteDayTruth;
import io.touchpoint.simulator.truth.TruthRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Reads a {@code simulate} output folder: the raw records of each topic (JSONL format) with their
 * expected malformed verdicts, the parsed valid events, and the truth files.
 *
 * <pre>{@code
 * SimulatedDataset data = SimulatedDataset.open(dir);
 * Map<String, TruthRecord> truth = data.truthByCandidate();
 * try (Stream<Event> events = data.validEvents()) { ... }   // duplicates included, arrival order per topic
 * List<Event> once = data.distinctEvents();                  // de-duplicated by event_id
 * }</pre>
 */
public final class SimulatedDataset {
  private final Path dir;
  private final Map<String, Map<Long, MalformedTruth>> malformedByTopic = new HashMap<>();
  private List<MalformedTruth> malformed;

  private SimulatedDataset(Path dir) {
    this.dir = dir;
  }

  public static SimulatedDataset open(Path dir) {
    if (!Files.isRegularFile(dir.resolve(Simulator.MANIFEST_FILE))) {
      throw new IllegalArgumentException("not a simulate output folder (no manifest.json): " + dir);
    }
    return new SimulatedDataset(dir);
  }

  public Path dir() {
    return dir;
  }

  public JsonNode manifest() {
    try {
      return ContractJson.mapper().readTree(dir.resolve(Simulator.MANIFEST_FILE).toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The rules overlay the truth was planned against (for {@code RulesConfig.load}). */
  public Path rulesOverlay() {
    return dir.resolve(RulesOverlay.FILE);
  }

  public List<TruthRecord> truth() {
    return readLines(Simulator.TRUTH_FILE, TruthRecord.class);
  }

  public Map<String, TruthRecord> truthByCandidate() {
    Map<String, TruthRecord> m = new LinkedHashMap<>();
    for (TruthRecord t : truth()) {
      m.put(t.candidateEventId(), t);
    }
    return m;
  }

  public List<SiteDayTruth> floodingTruth() {
    return readLines(Simulator.FLOODING_TRUTH_FILE, SiteDayTruth.class);
  }

  public synchronized List<MalformedTruth> malformedTruth() {
    if (malformed == null) {
      malformed = readLines(Simulator.MALFORMED_TRUTH_FILE, MalformedTruth.class);
      for (MalformedTruth m : malformed) {
        malformedByTopic.computeIfAbsent(m.topic(), k -> new HashMap<>()).put(m.position(), m);
      }
    }
    return malformed;
  }

  /** One topic's raw records in arrival order. Close the stream (try-with-resources). */
  public Stream<RawRecord> records(String topic) {
    malformedTruth();
    Map<Long, MalformedTruth> expected = malformedByTopic.getOrDefault(topic, Map.of());
    Path file = dir.resolve(JsonlSink.fileFor(topic));
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException(
          "no " + file.getFileName() + " (was the run's format jsonl?)");
    }
    try {
      InputStream in = Files.newInputStream(file);
      Iterator<RawRecord> it = new LineIterator(in, topic, expected);
      return StreamSupport.stream(
              Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED), false)
          .onClose(
              () -> {
                try {
                  in.close();
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Both topics' raw records: touchpoints first, then app events. Close the stream. */
  public Stream<RawRecord> records() {
    Stream<RawRecord> touches = records(Topics.TOUCHPOINTS);
    Stream<RawRecord> appEvents = records(Topics.APP_EVENTS);
    return Stream.concat(touches, appEvents).onClose(touches::close).onClose(appEvents::close);
  }

  /** Every valid record parsed, duplicates included. Close the stream. */
  public Stream<Event> validEvents() {
    return records().filter(r -> !r.isMalformed()).map(r -> ContractJson.readEvent(r.payload()));
  }

  /** The valid events once each (first arrival of each event_id). */
  public List<Event> distinctEvents() {
    List<Event> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    try (Stream<Event> events = validEvents()) {
      events.forEach(
          e -> {
            if (seen.add(e.eventId())) {
              out.add(e);
            }
          });
    }
    return out;
  }

  /** Visits every raw record of both topics. */
  public void forEachRecord(Consumer<RawRecord> visitor) {
    try (Stream<RawRecord> all = records()) {
      all.forEach(visitor);
    }
  }

  private <T> List<T> readLines(String file, Class<T> type) {
    try {
      List<T> out = new ArrayList<>();
      for (String line : Files.readAllLines(dir.resolve(file))) {
        if (!line.isBlank()) {
          out.add(ContractJson.fromJson(line, type));
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Splits a byte stream on '\n' without decoding: malformed lines may not be UTF-8. */
  private static final class LineIterator implements Iterator<RawRecord> {
    private final InputStream in;
    private final String topic;
    private final Map<Long, MalformedTruth> expected;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(512);
    // scanned in blocks: a per-byte read() and write() would take a lock per byte
    private final byte[] buffer = new byte[1 << 16];
    private int pos;
    private int limit;
    private RawRecord next;
    private long position;

    LineIterator(InputStream in, String topic, Map<Long, MalformedTruth> expected) {
      this.in = in;
      this.topic = topic;
      this.expected = expected;
    }

    @Override
    public boolean hasNext() {
      if (next != null) {
        return true;
      }
      try {
        line.reset();
        boolean sawNewline = false;
        while (!sawNewline) {
          if (pos == limit) {
            limit = in.read(buffer, 0, buffer.length);
            pos = 0;
            if (limit <= 0) {
              limit = 0;
              break;
            }
          }
          int start = pos;
          while (pos < limit && buffer[pos] != '\n') {
            pos++;
          }
          line.write(buffer, start, pos - start);
          if (pos < limit) {
            sawNewline = true;
            pos++;
          }
        }
        if (!sawNewline && line.size() == 0) {
          return false;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      next = new RawRecord(topic, position, line.toByteArray(), expected.get(position));
      position++;
      return true;
    }

    @Override
    public RawRecord next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      RawRecord r = next;
      next = null;
      return r;
    }
  }
}
