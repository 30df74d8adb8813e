package io.touchpoint.simulator.output;

import io.touchpoint.model.Topics;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One file per topic, one raw payload per line, in arrival order. Lines are the exact bytes that
 * would go on Kafka; malformed payloads may be invalid UTF-8 (never containing a newline byte), so
 * read the files as bytes. {@code malformed-truth.jsonl} has every malformed payload in base64.
 */
public final class JsonlSink implements RecordSink {
  public static final String TOUCHPOINTS_FILE = "touchpoints.jsonl";
  public static final String APP_EVENTS_FILE = "app-events.jsonl";

  private final OutputStream touchpoints;
  private final OutputStream appEvents;

  public JsonlSink(Path dir) throws IOException {
    this.touchpoints =
        new BufferedOutputStream(Files.newOutputStream(dir.resolve(TOUCHPOINTS_FILE)), 1 << 20);
    this.appEvents =
        new BufferedOutputStream(Files.newOutputStream(dir.resolve(APP_EVENTS_FILE)), 1 << 20);
  }

  public static String fileFor(String topic) {
    return Topics.TOUCHPOINTS.equals(topic) ? TOUCHPOINTS_FILE : APP_EVENTS_FILE;
  }

  @Override
  public void accept(OutRecord record, long position) throws IOException {
    OutputStream out = Topics.TOUCHPOINTS.equals(record.topic()) ? touchpoints : appEvents;
    out.write(record.payload());
    out.write('\n');
  }

  @Override
  public void close() throws IOException {
    try (touchpoints;
        appEvents) {
      touchpoints.flush();
      appEvents.flush();
    }
  }
}
