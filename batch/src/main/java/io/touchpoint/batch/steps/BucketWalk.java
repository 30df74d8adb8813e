package io.touchpoint.batch.steps;

import io.touchpoint.attribution.AppRules;
import io.touchpoint.batch.Rules;
import io.touchpoint.model.EventType;
import io.touchpoint.model.Touchpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.paths.SparkPath;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.DateTimeUtils;
import org.apache.spark.sql.execution.datasources.FileFormat;
import org.apache.spark.sql.execution.datasources.PartitionedFile;
import org.apache.spark.sql.execution.datasources.parquet.ParquetFileFormat;
import org.apache.spark.sql.execution.vectorized.WritableColumnVector;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.apache.spark.util.LongAccumulator;

/**
 * The walk over touches laid out by walk-key bucket ({@link WalkLayout}): the task gets D's
 * candidates and earlier installs (and the touches the link walk brought to their walk keys) of its
 * bucket ({@link WalkLayout#byBucket}: one task per bucket), sorted by key (rows of several buckets
 * in one partition must come sorted by (bucket, key)); it merges each bucket's day files of the
 * horizon, each already sorted by (walk key, event time), with Spark's own Parquet reader, and
 * hands {@link KeyWalk} each candidate key's rows. A touch whose key no candidate row has, or that
 * no candidate of its key can look at (before the first candidate's horizon, at or after the last
 * candidate), is skipped without being read: no shuffle, sort or key filter of the touches. The
 * files are read in Spark's column batches: a dictionary-encoded string is turned into a Java
 * string once per batch and value ({@link Strings}), not once per touch.
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
  private static final int EVENT_TYPE = WalkRows.TOUCH_FIELDS.fieldIndex("event_type");
  private static final int APP_ID = WalkRows.TOUCH_FIELDS.fieldIndex("app_id");
  private static final int MEDIA_SOURCE = WalkRows.TOUCH_FIELDS.fieldIndex("media_source");

  private final KeyWalk walk;
  private final Rules rules;
  private final LongAccumulator touchesRead;
  private final LongAccumulator touchesInHorizon;
  private final LongAccumulator touchesWalked;
  private final List<List<WalkLayout.FileRef>> files;
  private final scala.Function1<PartitionedFile, scala.collection.Iterator<InternalRow>> reader;
  private final long fromMicros;
  private final long untilMicros;
  private final long horizonMicros;

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
    this.rules = rules;
    this.touchesRead = spark.sparkContext().longAccumulator("attribute.touches-read");
    this.touchesInHorizon = spark.sparkContext().longAccumulator("attribute.touches-in-horizon");
    this.touchesWalked = spark.sparkContext().longAccumulator("attribute.touches-walked");
    this.files = files;
    this.fromMicros = fromMicros;
    this.untilMicros = untilMicros;
    this.horizonMicros = TimeUnit.NANOSECONDS.toMicros(horizon.toNanos());
    this.reader =
        new ParquetFileFormat()
            .buildReaderWithPartitionValues(
                spark,
                WalkLayout.SILVER_TOUCHPOINTS,
                new StructType(),
                READ,
                scala.jdk.javaapi.CollectionConverters.asScala(List.<Filter>of()).toSeq(),
                new scala.collection.immutable.HashMap<String, String>()
                    .updated(FileFormat.OPTION_RETURNING_BATCH(), "true"),
                spark.sessionState().newHadoopConf());
  }

  /**
   * What the walk's tasks read, for the operator's log once the verdicts are written: counted by
   * the tasks, so a retried task's touches count twice.
   */
  String summary() {
    return ("%,d touches of the buckets' files read, %,d within a candidate's horizon, %,d of those"
            + " within their lookback walked")
        .formatted(touchesRead.value(), touchesInHorizon.value(), touchesWalked.value());
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
    private final Lookbacks lookbacks = new Lookbacks(rules);

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
          if (touches != null) {
            touches.close();
            touches = null;
          }
          return false;
        }
        pending = shuffled.next().copy();
      }
      int b = pending.getInt(BUCKET);
      if (b != bucket) {
        bucket = b;
        if (touches != null) {
          touches.close();
        }
        touches = new TouchRuns(b < files.size() ? files.get(b) : List.of());
      }
      long key = pending.getLong(WalkRows.K);
      long first = Long.MAX_VALUE;
      long last = Long.MIN_VALUE;
      while (pending != null && pending.getInt(BUCKET) == b && pending.getLong(WalkRows.K) == key) {
        if (pending.getBoolean(WalkRows.CAND)) {
          long t = pending.getLong(WalkRows.T);
          first = Math.min(first, t);
          last = Math.max(last, t);
        }
        out.add(pending);
        pending = shuffled.hasNext() ? shuffled.next().copy() : null;
      }
      // a candidate at t looks at the touches of [t - horizon, t) ({@link KeyWalk}), and of those
      // only at the ones within their kind's lookback: no other touch of the key is read into the
      // engine's form
      touches.take(
          key,
          out,
          new Span(first, Math.max(fromMicros, first - horizonMicros), Math.min(untilMicros, last)),
          lookbacks);
      return true;
    }
  }

  /**
   * One file's rows, its current row and where it stands. Spark's reader hands column batches (or
   * rows, when it cannot read the file by batch); the touch is read from the batch's columns.
   */
  private static final class Run implements WalkRows.TouchFields {
    private static final int FIELDS = WalkRows.TOUCH_FIELDS.size();

    final String path;
    final scala.collection.Iterator<?> reads;
    private ColumnarBatch batch;
    private int rowId;
    private InternalRow row;
    private final Strings[] strings = new Strings[FIELDS];
    boolean at;
    long key;
    long time;

    /**
     * Rows with a walk key moved past; of them, the ones within a candidate's horizon, and of those
     * the ones within their kind's lookback, handed to the walk.
     */
    long read;

    long inHorizon;
    long walked;

    Run(String path, scala.collection.Iterator<?> reads) {
      this.path = path;
      this.reads = reads;
      for (int i = 0; i < FIELDS; i++) {
        if (WalkRows.TOUCH_FIELDS.fields()[i].dataType() == DataTypes.StringType) {
          strings[i] = new Strings();
        }
      }
    }

    /** Moves to the next row with a walk key; false at the end of the file. */
    boolean advance() {
      while (nextRow()) {
        if (isNull(0)) {
          continue; // no walk key: only found under its other keys (the link walk)
        }
        long k = getLong(0);
        long t = isNull(EVENT_TIME) ? Long.MIN_VALUE : getLong(EVENT_TIME);
        if (at && (k < key || (k == key && t < time))) {
          throw new IllegalStateException(
              "silver touchpoints file "
                  + path
                  + " is not sorted by (walk_key, event_time) although its statistics say it is"
                  + " a one-bucket file: set attribute.read-by-bucket = false and recompact it");
        }
        at = true;
        key = k;
        time = t;
        read++;
        return true;
      }
      at = false;
      return false;
    }

    /**
     * Moves past the rows of keys up to {@code key}, adding those of {@code key} some candidate of
     * the span may look at to {@code out}; false at the end of the file.
     */
    boolean drain(long key, ArrayDeque<InternalRow> out, Span span, Lookbacks lookbacks) {
      while (this.key <= key) {
        if (this.key == key && time >= span.from() && time < span.until()) {
          inHorizon++;
          if (time >= span.first() - lookbacks.micros(this)) {
            out.add(new WalkRows.DecodedTouch(key, time, touch()));
            walked++;
          }
        }
        if (!advance()) {
          return false;
        }
      }
      return true;
    }

    private boolean nextRow() {
      if (batch != null && ++rowId < batch.numRows()) {
        return true;
      }
      batch = null;
      row = null;
      while (reads.hasNext()) {
        Object next = reads.next();
        if (next instanceof ColumnarBatch b) {
          if (b.numRows() > 0) {
            batch = b;
            rowId = 0;
            for (Strings cache : strings) {
              if (cache != null) {
                cache.newBatch();
              }
            }
            return true;
          }
        } else {
          row = (InternalRow) next;
          return true;
        }
      }
      return false;
    }

    private boolean isNull(int c) {
      return batch != null ? batch.column(c).isNullAt(rowId) : row.isNullAt(c);
    }

    private long getLong(int c) {
      return batch != null ? batch.column(c).getLong(rowId) : row.getLong(c);
    }

    /** The current row's touch in the engine's form. */
    Touchpoint touch() {
      return batch != null ? WalkRows.touchpoint(this) : WalkRows.touchpoint(row, 1);
    }

    @Override
    public String string(int i) {
      return strings[i].get(batch.column(1 + i), rowId);
    }

    /** A string field of the current row, read by batch or by row. */
    String field(int i) {
      return batch != null ? string(i) : WalkRows.string(row, 1 + i);
    }

    @Override
    public Instant instant(int i) {
      ColumnVector v = batch.column(1 + i);
      return v.isNullAt(rowId) ? null : DateTimeUtils.microsToInstant(v.getLong(rowId));
    }

    @Override
    public boolean isTrue(int i) {
      ColumnVector v = batch.column(1 + i);
      return !v.isNullAt(rowId) && v.getBoolean(rowId);
    }
  }

  /**
   * A string column's values as Java strings. Where Spark's reader keeps the batch's column as
   * dictionary ids (a Parquet dictionary page), each id is turned into a string once in the batch:
   * the ids of one batch stand for one dictionary (a new batch may bring another, so the strings of
   * earlier batches are not used).
   */
  private static final class Strings {
    private String[] byId = new String[16];
    private int[] batchOf = new int[16];
    private int batchNo = 1;

    void newBatch() {
      batchNo++;
    }

    String get(ColumnVector v, int rowId) {
      if (v.isNullAt(rowId)) {
        return null;
      }
      if (!(v instanceof WritableColumnVector w) || !w.hasDictionary()) {
        return WalkRows.javaString(v.getUTF8String(rowId));
      }
      int id = w.getDictionaryIds().getDictId(rowId);
      if (id >= byId.length) {
        int n = Math.max(id + 1, byId.length * 2);
        byId = Arrays.copyOf(byId, n);
        batchOf = Arrays.copyOf(batchOf, n);
      }
      if (batchOf[id] != batchNo) {
        byId[id] = WalkRows.javaString(v.getUTF8String(rowId));
        batchOf[id] = batchNo;
      }
      return byId[id];
    }
  }

  /** A bucket's day files merged by (walk key, event time). */
  private final class TouchRuns {
    private final PriorityQueue<Run> heads =
        new PriorityQueue<>(
            (x, y) -> x.key != y.key ? Long.compare(x.key, y.key) : Long.compare(x.time, y.time));
    private final List<Run> all = new ArrayList<>();

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
        all.add(run);
        if (run.advance()) {
          heads.add(run);
        }
      }
    }

    /**
     * Skips the touches of keys below {@code key}; adds those of {@code key} some candidate of the
     * span may look at.
     */
    void take(long key, ArrayDeque<InternalRow> out, Span span, Lookbacks lookbacks) {
      while (!heads.isEmpty() && heads.peek().key <= key) {
        // each file is walked past the key in one go, not one heap step per row: the key's rows
        // of several files need no order among them (the group is sorted by KeyGroups)
        Run run = heads.poll();
        if (run.drain(key, out, span, lookbacks)) {
          heads.add(run);
        }
      }
    }

    /** The bucket is done: its counts go to the step's log. */
    void close() {
      for (Run run : all) {
        touchesRead.add(run.read);
        touchesInHorizon.add(run.inHorizon);
        touchesWalked.add(run.walked);
      }
    }
  }

  /**
   * A key's candidates as the touch reader sees them (microseconds): the first candidate's time,
   * and the touches [{@code from}, {@code until}) any candidate's horizon covers.
   */
  private record Span(long first, long from, long until) {}

  /**
   * How old a touch may be and still count ({@link io.touchpoint.attribution.AppRules#lookbackFor}
   * of its app, kind and media source), in microseconds, per task. A touch older than that before
   * the key's first candidate cannot be matched by any candidate of the key: it is not read into
   * the engine's form (at a 7-day click lookback and a 1-day view-through one, most impressions).
   */
  private static final class Lookbacks {
    private final Rules rules;
    private final Map<String, Map<String, long[]>> byApp = new HashMap<>();

    Lookbacks(Rules rules) {
      this.rules = rules;
    }

    long micros(Run touch) {
      String app = touch.field(APP_ID);
      if (app == null) {
        return Long.MAX_VALUE / 2; // no rules to read: the engine decides
      }
      long[] byKind =
          byApp
              .computeIfAbsent(app, a -> new HashMap<>())
              .computeIfAbsent(touch.field(MEDIA_SOURCE), source -> micros(app, source));
      return byKind[EventType.CLICK.wireName().equals(touch.field(EVENT_TYPE)) ? 1 : 0];
    }

    /** An impression's lookback, then a click's. */
    private long[] micros(String app, String mediaSource) {
      AppRules appRules = rules.rulesFor(app);
      return new long[] {
        TimeUnit.NANOSECONDS.toMicros(appRules.lookbackFor(false, mediaSource).toNanos()),
        TimeUnit.NANOSECONDS.toMicros(appRules.lookbackFor(true, mediaSource).toNanos())
      };
    }
  }

  private static StructField[] prepend(StructField first, StructField[] rest) {
    List<StructField> all = new ArrayList<>();
    all.add(first);
    all.addAll(List.of(rest));
    return all.toArray(StructField[]::new);
  }
}
