package io.touchpoint.simulator;

import io.touchpoint.simulator.output.RecordSink;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The Parquet extension point: a {@link RecordSink} that writes the valid records as Parquet with
 * the contract's Spark schemas ({@code io.touchpoint.model.spark.ContractSchemas}). It needs Spark
 * on the classpath (provided scope here; the launcher has it), so it is loaded reflectively and
 * reports a clear message where Spark is absent.
 */
final class ParquetOutput {
  static final String SINK_CLASS = "io.touchpoint.simulator.output.ParquetSink";

  private ParquetOutput() {}

  static RecordSink sink(Path outDir) throws IOException {
    try {
      Class.forName("org.apache.spark.sql.SparkSession");
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException(
          "--format parquet needs Spark on the classpath (run it through ./touchpoint)");
    }
    try {
      return (RecordSink) Class.forName(SINK_CLASS).getConstructor(Path.class).newInstance(outDir);
    } catch (ReflectiveOperationException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      if (cause instanceof IOException io) {
        throw io;
      }
      throw new IllegalStateException("cannot open the Parquet sink: " + cause.getMessage(), cause);
    }
  }
}
