package io.touchpoint.simulator.output;

import io.touchpoint.model.Topics;
import java.nio.file.Path;

/**
 * How to write a simulation: none of it changes the generated records.
 *
 * @param rate records per second for Kafka, 0 for as fast as possible
 */
public record OutputOptions(
    Path outDir,
    OutputFormat format,
    String bootstrapServers,
    double rate,
    String touchpointsTopic,
    String appEventsTopic) {

  public OutputOptions {
    if (outDir == null) {
      throw new IllegalArgumentException("an output folder is required (--out)");
    }
    if (!(rate >= 0) || Double.isInfinite(rate)) {
      throw new IllegalArgumentException("--rate must be >= 0: " + rate);
    }
  }

  public static OutputOptions jsonl(Path outDir) {
    return new OutputOptions(
        outDir, OutputFormat.JSONL, null, 0, Topics.TOUCHPOINTS, Topics.APP_EVENTS);
  }
}
