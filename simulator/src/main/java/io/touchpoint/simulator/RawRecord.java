package io.touchpoint.simulator;

import io.touchpoint.simulator.truth.MalformedTruth;
import java.nio.charset.StandardCharsets;

/**
 * One record of a simulated topic exactly as produced.
 *
 * @param position 0-based index in the topic's arrival order (line number - 1)
 * @param expected the malformed record's expected verdict, null for a valid record
 */
public record RawRecord(String topic, long position, byte[] payload, MalformedTruth expected) {

  public boolean isMalformed() {
    return expected != null;
  }

  /** The payload as text (malformed payloads may not be valid UTF-8). */
  public String text() {
    return new String(payload, StandardCharsets.UTF_8);
  }
}
