package io.touchpoint.batch.steps;

import static io.touchpoint.batch.steps.WalkRows.ID;
import static io.touchpoint.batch.steps.WalkRows.K;
import static io.touchpoint.batch.steps.WalkRows.ORD;
import static io.touchpoint.batch.steps.WalkRows.T;
import static org.apache.spark.sql.functions.col;

import io.touchpoint.batch.BatchFunctions;
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

/**
 * One partition of {@link WalkRows} sorted by the key {@code k} alone, handed out one key at a
 * time, the key's rows in walk order {@code (t, ord, id)}. Spark sorts one long column with a radix
 * sort (no row comparisons: the rows of one device share a key, so a sort by {@code (k, t, ord,
 * id)} compared whole rows on almost every step); the walk holds a key's rows anyway, so the group
 * is ordered here, in memory.
 */
final class KeyGroups implements Iterator<List<KeyGroups.Walked>> {
  /** What Spark sorts a partition by before it is grouped. */
  static final Column SORT = col("k");

  /** A row and its time, read once. */
  record Walked(Instant t, Row row) {
    int ord() {
      return row.getInt(ORD);
    }
  }

  /** Time, then touches before events of the same instant, then event id (as the reference). */
  private static final Comparator<Walked> WALK_ORDER =
      Comparator.comparing(Walked::t)
          .thenComparingInt(Walked::ord)
          .thenComparing(
              w -> w.row().getString(ID), Comparator.nullsFirst(Comparator.naturalOrder()));

  private final Iterator<Row> rows;
  private Row pending;

  KeyGroups(Iterator<Row> rows) {
    this.rows = rows;
  }

  @Override
  public boolean hasNext() {
    return pending != null || rows.hasNext();
  }

  @Override
  public List<Walked> next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    Row first = pending != null ? pending : rows.next();
    pending = null;
    long key = first.getLong(K);
    List<Walked> group = new ArrayList<>();
    group.add(walked(first));
    while (rows.hasNext()) {
      Row r = rows.next();
      if (r.getLong(K) != key) {
        pending = r;
        break;
      }
      group.add(walked(r));
    }
    group.sort(WALK_ORDER);
    return group;
  }

  /**
   * What {@code walk} emits for each key of the partition, one key at a time (lazily: a partition
   * is never held whole).
   */
  static Iterator<Row> walkEach(Iterator<Row> rows, BiConsumer<List<Walked>, Consumer<Row>> walk) {
    KeyGroups groups = new KeyGroups(rows);
    ArrayDeque<Row> out = new ArrayDeque<>();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        while (out.isEmpty() && groups.hasNext()) {
          walk.accept(groups.next(), out::add);
        }
        return !out.isEmpty();
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return out.removeFirst();
      }
    };
  }

  private static Walked walked(Row r) {
    return new Walked(BatchFunctions.instant(r.get(T)), r);
  }
}
