package io.touchpoint.batch.steps;

import io.touchpoint.batch.Rules;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.paths.SparkPath;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.execution.datasources.FileFormat;
import org.apache.spark.sql.execution.datasources.PartitionedFile;
import org.apache.spark.sql.execution.datasources.parquet.ParquetFileFormat;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The walk over touches laid out by walk-key bucket ({@link WalkLayout}): the task gets D's
 * candidates and earlier installs (and the touches the link walk brought to their walk keys) of its
 * bucket ({@link WalkLayout#byBucket}: one task per bucket), sorted by key (rows of several buckets
 * in one partition must come sorted by (bucket, key)); it merges each bucket's day files of the
 * horizon, each already sorted by (walk key, event time), with Spark's own Parquet reader, and
 * hands {@link KeyWalk} each candidate key's rows. A touch whose key no candidate row has is
 * skipped without being read into a row: no shuffle, sort or key filter of the touches.
 */
final class BucketWalk implements FlatMapFunction<Iterator<InternalRow>, InternalRow> {
  private static final long serialVersionUID = 1L;

  /** The shuffled rows: {@link WalkRows#SCHEMA} + their bucket. */
  static final int BUCKET = WalkRows.SCHEMA.size();

  /** What the walk reads of a touch file: the walk key, then the touch's columns. */
  static final StructType READ =
      new StructType(
          prepend(
              DataTypes.createStructField(WalkLayout.WALK_KEY, DataTypes.LongType, true),
              WalkRows.TOUCH_FIELDS.fields()));

  private static final int EVENT_TIME = 1 + WalkRows.TOUCH_FIELDS.fieldIndex("event_time");

  private final KeyWalk walk;
  private final List<List<WalkLayout.FileRef>> files;
  private final scala.Function1<PartitionedFile, scala.collection.Iterator<InternalRow>> reader;
  private final long fromMicros;
  private final long untilMicros;

  /**
   * @param files the horizon's files per bucket ({@link WalkLayout#check})
   * @param fromMicros touches at or after this time (microseconds) are walked ...
   * @param untilMicros ... and before this one
   */
  BucketWalk(
      SparkSession spark,
      Rules rules,
      Duration horizon,
      List<List<WalkLayout.FileRef>> files,
      long fromMicros,
      long untilMicros) {
    this.walk = new KeyWalk(rules, horizon);
    this.files = files;
    this.fromMicros = fromMicros;
    this.untilMicros = untilMicros;
    this.reader =
        new ParquetFileFormat()
            .buildReaderWithPartitionValues(
                spark,
                WalkLayout.SILVER_TOUCHPOINTS,
                new StructType(),
                READ,
                scala.jdk.javaapi.CollectionConverters.asScala(List.<Filter>of()).toSeq(),
                new scala.collection.immutable.HashMap<String, String>()
                    .updated(FileFormat.OPTION_RETURNING_BATCH(), "false"),
                spark.sessionState().newHadoopConf());
  }

  @Override
  public Iterator<InternalRow> call(Iterator<InternalRow> shuffled) {
    return KeyGroups.walkEach(new Merged(shuffled), HELD, walk::walk);
  }

  /** Rows are copied when they are made (below), so a group holds them as they are. */
  private static final KeyGroups.Fields<InternalRow> HELD =
      new KeyGroups.Fields<>() {
        @Override
        public long key(InternalRow r) {
          return KeyGroups.INTERNAL_ROWS.key(r);
        }

        @Override
        public java.time.Instant t(InternalRow r) {
          return KeyGroups.INTERNAL_ROWS.t(r);
        }

        @Override
        public int ord(InternalRow r) {
          return KeyGroups.INTERNAL_ROWS.ord(r);
        }

        @Override
        public String id(InternalRow r) {
          return KeyGroups.INTERNAL_ROWS.id(r);
        }

        @Override
        public InternalRow held(InternalRow r) {
          return r;
        }
      };

  /**
   * The task's shuffled rows and its buckets' touches in key order: per candidate key, its shuffled
   * rows, then its touches of the horizon (the group is put in walk order by {@link KeyGroups}).
   */
  private final class Merged implements Iterator<InternalRow> {
    private final Iterator<InternalRow> shuffled;
    private final ArrayDeque<InternalRow> out = new ArrayDeque<>();
    private InternalRow pending;
    private int bucket = -1;
    private TouchRuns touches;

    Merged(Iterator<InternalRow> shuffled) {
      this.shuffled = shuffled;
    }

    @Override
    public boolean hasNext() {
      while (out.isEmpty() && fill()) {
        // one key at a time
      }
      return !out.isEmpty();
    }

    @Override
    public InternalRow next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return out.removeFirst();
    }

    /** The next key's rows into {@code out}; false when the task's rows are done. */
    private boolean fill() {
      if (pending == null) {
        if (!shuffled.hasNext()) {
          return false;
        }
        pending = shuffled.next().copy();
      }
      int b = pending.getInt(BUCKET);
      if (b != bucket) {
        bucket = b;
        touches = new TouchRuns(b < files.size() ? files.get(b) : List.of());
      }
      long key = pending.getLong(WalkRows.K);
      while (pending != null && pending.getInt(BUCKET) == b && pending.getLong(WalkRows.K) == key) {
        out.add(pending);
        pending = shuffled.hasNext() ? shuffled.next().copy() : null;
      }
      touches.take(key, out);
      return true;
    }
  }

  /** One file's rows, its current row and where it stands. */
  private static final class Run {
    final String path;
    final scala.collection.Iterator<InternalRow> rows;
    InternalRow row;
    long key;
    long time;

    Run(String path, scala.collection.Iterator<InternalRow> rows) {
      this.path = path;
      this.rows = rows;
    }

    /** Moves to the next row with a walk key; false at the end of the file. */
    boolean advance() {
      while (rows.hasNext()) {
        InternalRow r = rows.next();
        if (r.isNullAt(0)) {
          continue; // no walk key: only found under its other keys (the link walk)
        }
        long k = r.getLong(0);
        long t = r.isNullAt(EVENT_TIME) ? Long.MIN_VALUE : r.getLong(EVENT_TIME);
        if (row != null && (k < key || (k == key && t < time))) {
          throw new IllegalStateException(
              "silver touchpoints file "
                  + path
                  + " is not sorted by (walk_key, event_time) although its statistics say it is"
                  + " a one-bucket file: set attribute.read-by-bucket = false and recompact it");
        }
        row = r;
        key = k;
        time = t;
        return true;
      }
      row = null;
      return false;
    }
  }

  /** A bucket's day files merged by (walk key, event time). */
  private final class TouchRuns {
    private final PriorityQueue<Run> heads =
        new PriorityQueue<>(
            (x, y) -> x.key != y.key ? Long.compare(x.key, y.key) : Long.compare(x.time, y.time));

    TouchRuns(List<WalkLayout.FileRef> bucketFiles) {
      for (WalkLayout.FileRef f : bucketFiles) {
        PartitionedFile file =
            new PartitionedFile(
                InternalRow.empty(),
                SparkPath.fromPathString(f.path()),
                0,
                f.size(),
                new String[0],
                0L,
                f.size(),
                new scala.collection.immutable.HashMap<>());
        Run run = new Run(f.path(), reader.apply(file));
        if (run.advance()) {
          heads.add(run);
        }
      }
    }

    /** Skips the touches of keys below {@code key}; adds those of {@code key} within the range. */
    void take(long key, ArrayDeque<InternalRow> out) {
      while (!heads.isEmpty() && heads.peek().key <= key) {
        Run run = heads.poll();
        if (run.key == key && run.time >= fromMicros && run.time < untilMicros) {
          out.add(touchRow(run.row, key, run.time));
        }
        if (run.advance()) {
          heads.add(run);
        }
      }
    }
  }

  /**
   * A {@link WalkRows} touch row with its touch read into the engine's form at once: the reader's
   * row is reused, and copying its columns into a row to convert them later cost more than the
   * conversion (every string decoded from the file's dictionary, copied, then decoded again).
   */
  private static InternalRow touchRow(InternalRow r, long key, long time) {
    return new WalkRows.DecodedTouch(key, time, WalkRows.touchpoint(r, 1));
  }

  private static StructField[] prepend(StructField first, StructField[] rest) {
    List<StructField> all = new ArrayList<>();
    all.add(first);
    all.addAll(List.of(rest));
    return all.toArray(StructField[]::new);
  }
}
