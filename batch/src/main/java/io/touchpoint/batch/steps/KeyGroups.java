package io.touchpoint.batch.steps;

import static io.touchpoint.batch.steps.WalkRows.ID;
import static io.touchpoint.batch.steps.WalkRows.K;
import static io.touchpoint.batch.steps.WalkRows.ORD;
import static io.touchpoint.batch.steps.WalkRows.T;
import static org.apache.spark.sql.functions.col;

import io.touchpoint.batch.BatchFunctions;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.DateTimeUtils;

/**
 * One partition of {@link WalkRows} sorted by the key {@code k} alone, handed out one key at a
 * time, the key's rows in walk order {@code (t, ord, id)}. Spark sorts one long column with a radix
 * sort (no row comparisons: the rows of one device share a key, so a sort by {@code (k, t, ord,
 * id)} compared whole rows on almost every step); the walk holds a key's rows anyway, so the group
 * is ordered here, in memory. Works on {@link Row}s or on Spark's own {@link InternalRow}s ({@link
 * Fields}).
 */
final class KeyGroups<R> implements Iterator<List<KeyGroups.Walked<R>>> {
  /** What Spark sorts a partition by before it is grouped. */
  static final Column SORT = col("k");

  /** How the walk columns of one kind of row are read. */
  interface Fields<R> extends Serializable {
    long key(R r);

    Instant t(R r);

    int ord(R r);

    String id(R r);

    /** The row a group may hold: Spark hands out the same internal row object for each row. */
    R held(R r);
  }

  static final Fields<Row> ROWS =
      new Fields<>() {
        @Override
        public long key(Row r) {
          return r.getLong(K);
        }

        @Override
        public Instant t(Row r) {
          return BatchFunctions.instant(r.get(T));
        }

        @Override
        public int ord(Row r) {
          return r.getInt(ORD);
        }

        @Override
        public String id(Row r) {
          return r.getString(ID);
        }

        @Override
        public Row held(Row r) {
          return r;
        }
      };

  static final Fields<InternalRow> INTERNAL_ROWS =
      new Fields<>() {
        @Override
        public long key(InternalRow r) {
          return r.getLong(K);
        }

        @Override
        public Instant t(InternalRow r) {
          return DateTimeUtils.microsToInstant(r.getLong(T));
        }

        @Override
        public int ord(InternalRow r) {
          return r.getInt(ORD);
        }

        @Override
        public String id(InternalRow r) {
          return WalkRows.string(r, ID);
        }

        @Override
        public InternalRow held(InternalRow r) {
          return r.copy();
        }
      };

  /** A row, its time and its kind, read once. */
  record Walked<R>(Instant t, int ord, R row) {}

  private final Iterator<R> rows;
  private final Fields<R> fields;

  /** Time, then touches before events of the same instant, then event id (as the reference). */
  private final Comparator<Walked<R>> walkOrder;

  private R pending;

  KeyGroups(Iterator<R> rows, Fields<R> fields) {
    this.rows = rows;
    this.fields = fields;
    Comparator<Walked<R>> byTime = Comparator.comparing(Walked::t);
    this.walkOrder =
        byTime
            .thenComparingInt(Walked::ord)
            .thenComparing(
                w -> fields.id(w.row()), Comparator.nullsFirst(Comparator.naturalOrder()));
  }

  @Override
  public boolean hasNext() {
    return pending != null || rows.hasNext();
  }

  @Override
  public List<Walked<R>> next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    R first = pending != null ? pending : fields.held(rows.next());
    pending = null;
    long key = fields.key(first);
    List<Walked<R>> group = new ArrayList<>();
    group.add(walked(first));
    while (rows.hasNext()) {
      R r = fields.held(rows.next());
      if (fields.key(r) != key) {
        pending = r;
        break;
      }
      group.add(walked(r));
    }
    group.sort(walkOrder);
    return group;
  }

  /**
   * What {@code walk} emits for each key of the partition, one key at a time (lazily: a partition
   * is never held whole).
   */
  static <R, O> Iterator<O> walkEach(
      Iterator<R> rows, Fields<R> fields, BiConsumer<List<Walked<R>>, Consumer<O>> walk) {
    KeyGroups<R> groups = new KeyGroups<>(rows, fields);
    ArrayDeque<O> out = new ArrayDeque<>();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        while (out.isEmpty() && groups.hasNext()) {
          walk.accept(groups.next(), out::add);
        }
        return !out.isEmpty();
      }

      @Override
      public O next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return out.removeFirst();
      }
    };
  }

  private Walked<R> walked(R r) {
    return new Walked<>(fields.t(r), fields.ord(r), r);
  }
}
