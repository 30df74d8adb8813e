package io.touchpoint.streaming.ops;

import com.fasterxml.jackson.databind.JsonNode;
import io.touchpoint.model.json.ContractJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Iterator;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connector.read.streaming.Offset;
import org.apache.spark.sql.execution.streaming.CommitLog;
import org.apache.spark.sql.execution.streaming.CommitMetadata;
import org.apache.spark.sql.execution.streaming.OffsetSeq;
import org.apache.spark.sql.execution.streaming.OffsetSeqLog;
import scala.Option;
import scala.Tuple2;
import scala.jdk.javaapi.CollectionConverters;

/**
 * How far a Kafka query has read, from its checkpoint as another process sees it: the offsets of
 * its last committed micro-batch, read with Spark's own readers of the commit and offset logs
 * ({@link CommitLog}, {@link OffsetSeqLog}), the ones a restart of the query reads. For following a
 * query that runs in another JVM (the bench's lake application), where no progress events arrive.
 */
public final class CheckpointOffsets {
  private final SparkSession spark;
  private final String checkpoint;
  private CommitLog commits;
  private OffsetSeqLog offsets;

  /** {@code checkpoint}: the query's checkpoint location (a URI, as the query was given it). */
  public CheckpointOffsets(SparkSession spark, String checkpoint) {
    this.spark = spark;
    this.checkpoint = checkpoint;
  }

  /**
   * Sum over the query's Kafka sources and partitions of the offsets its last committed batch read
   * up to; 0 before its first commit.
   */
  public synchronized long consumed() {
    if (commits == null) {
      // the logs' constructors create their folders: never before the query has made them
      if (!exists(checkpoint + "/commits")) {
        return 0;
      }
      commits = new CommitLog(spark, checkpoint + "/commits");
      offsets = new OffsetSeqLog(spark, checkpoint + "/offsets");
    }
    Option<Tuple2<Object, CommitMetadata>> last = commits.getLatest();
    if (last.isEmpty()) {
      return 0;
    }
    long batch = (Long) last.get()._1();
    Option<OffsetSeq> seq = offsets.get(batch);
    if (seq.isEmpty()) {
      throw new IllegalStateException(
          "batch " + batch + " is committed but has no offsets in " + checkpoint);
    }
    long n = 0;
    for (Option<Offset> source : CollectionConverters.asJava(seq.get().offsets())) {
      if (source.isDefined()) {
        n += offsetSum(source.get().json());
      }
    }
    return n;
  }

  private boolean exists(String dir) {
    try {
      return FileSystem.get(URI.create(dir), spark.sparkContext().hadoopConfiguration())
          .exists(new Path(dir));
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + dir, e);
    }
  }

  /**
   * Sum of the offsets in a Kafka source's offset JSON ({@code {"topic":{"0":n,...},...}}, as in a
   * checkpoint's offset log and in {@code SourceProgress.endOffset}); 0 for none.
   */
  public static long offsetSum(String json) {
    if (json == null || json.isBlank()) {
      return 0;
    }
    try {
      long n = 0;
      for (Iterator<JsonNode> topics = ContractJson.mapper().readTree(json).elements();
          topics.hasNext(); ) {
        for (Iterator<JsonNode> parts = topics.next().elements(); parts.hasNext(); ) {
          n += parts.next().asLong();
        }
      }
      return n;
    } catch (IOException e) {
      throw new UncheckedIOException("not a Kafka offset: " + json, e);
    }
  }
}
