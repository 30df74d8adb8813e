package io.touchpoint.simulator.output;

/** Where the records go. The truth files are written to the output folder in every format. */
public enum OutputFormat {
  JSONL,
  KAFKA,
  PARQUET
}
