package io.touchpoint.streaming.sink;

import io.delta.tables.DeltaTable;
import io.touchpoint.model.LakeTables;
import io.touchpoint.streaming.StreamingConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a replay of the input topics begins, for the speed tables.
 *
 * <p>The speed-tables query drops a topic record whose id it has read within its dedup window of
 * attribution-batch time. An attribution query started on a new checkpoint (the upgrade step after
 * a state change: it rebuilds its state from the topics' beginning) sends again every verdict the
 * tables already hold, with new batch times, long after those ids left the window: appended, they
 * would be second copies. So when the attribution query has no committed batch while a speed table
 * exists, the job writes a mark beside the checkpoint ({@code <checkpoint>-replay-mark}): rows
 * received before it reach the speed tables by an insert-only MERGE on their id (it inserts only
 * ids the table does not hold), later rows by the usual append. The mark is the start plus the
 * dedup window (a collector clock that runs ahead of the job's); it stays, so a restart during the
 * replay keeps it, and after the replay nearly no row is older than it.
 */
public final class ReplayMark {
  private static final Logger LOG = LoggerFactory.getLogger(ReplayMark.class);
  public static final String SUFFIX = "-replay-mark";

  private ReplayMark() {}

  /**
   * The mark in force: written now if the attribution query starts on a checkpoint without a
   * committed batch while a speed table exists, else the one written before, if any.
   */
  public static Optional<Instant> establish(
      SparkSession spark, StreamingConfig config, Instant now) {
    try {
      Path checkpoint = new Path(config.checkpoint);
      FileSystem fs = FileSystem.get(URI.create(config.checkpoint), hadoop(spark));
      Path markFile = new Path(config.checkpoint + SUFFIX);
      if (!hasCommittedBatch(fs, checkpoint) && speedTableExists(spark, config)) {
        Instant mark = now.plus(config.speedTablesDedupWindow);
        try (FSDataOutputStream out = fs.create(markFile, true)) {
          out.write(mark.toString().getBytes(StandardCharsets.UTF_8));
        }
        LOG.info(
            "replay mark {}: the attribution checkpoint {} has no committed batch and the speed"
                + " tables exist; rows received before the mark go to them by insert-only MERGE"
                + " on id (a start from the topics' beginning sends verdicts they hold again)",
            mark,
            checkpoint);
        return Optional.of(mark);
      }
      if (!fs.exists(markFile)) {
        return Optional.empty();
      }
      try (FSDataInputStream in = fs.open(markFile)) {
        Instant mark = Instant.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8).trim());
        LOG.info("replay mark {} ({}): rows received before it are merged by id", mark, markFile);
        return Optional.of(mark);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading the replay mark beside " + config.checkpoint, e);
    }
  }

  private static boolean hasCommittedBatch(FileSystem fs, Path checkpoint) throws IOException {
    Path commits = new Path(checkpoint, "commits");
    if (!fs.exists(commits)) {
      return false;
    }
    for (FileStatus f : fs.listStatus(commits)) {
      if (f.getPath().getName().matches("\\d+")) {
        return true;
      }
    }
    return false;
  }

  private static boolean speedTableExists(SparkSession spark, StreamingConfig config) {
    return DeltaTable.isDeltaTable(spark, config.table(LakeTables.SPEED_ATTRIBUTIONS))
        || DeltaTable.isDeltaTable(spark, config.table(LakeTables.SPEED_ATTRIBUTED_EVENTS));
  }

  private static org.apache.hadoop.conf.Configuration hadoop(SparkSession spark) {
    return spark.sessionState().newHadoopConf();
  }
}
