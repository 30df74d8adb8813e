package io.touchpoint.simulator.output;

import java.io.IOException;

/**
 * Where records go, in arrival order: JSONL files, Kafka topics, or (later) Parquet. A new output
 * format is a new implementation; the generated records never depend on it.
 */
public interface RecordSink extends AutoCloseable {
  /**
   * @param position the record's 0-based index in its topic's arrival order
   */
  void accept(OutRecord record, long position) throws IOException;

  @Override
  void close() throws IOException;
}
