package io.touchpoint.streaming.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.touchpoint.streaming.StreamingConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchWriterTest {

  @Test
  void aBronzeTableGetsItsFewFilesUntilTheyWouldOutgrowTheRowsPerTaskThenOnePerReadTask() {
    StreamingConfig c =
        StreamingConfig.load(
            null, List.of("ingest.rows-per-task=20000", "sink.bronze-files-per-batch=2"));
    assertThat(BatchWriter.bronzeFiles(1, c)).isEqualTo(2);
    assertThat(BatchWriter.bronzeFiles(40_000, c)).isEqualTo(2);
    assertThat(BatchWriter.bronzeFiles(40_001, c)).as("0 = one file per read task").isZero();
    assertThat(BatchWriter.bronzeFiles(300_000, c)).isZero();
  }

  @Test
  void withoutARowsPerTaskCapBronzeAlwaysGetsTheConfiguredFiles() {
    StreamingConfig c =
        StreamingConfig.load(
            null, List.of("ingest.rows-per-task=0", "sink.bronze-files-per-batch=3"));
    assertThat(BatchWriter.bronzeFiles(10_000_000, c)).isEqualTo(3);
  }
}
