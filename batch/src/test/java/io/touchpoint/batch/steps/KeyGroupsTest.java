package io.touchpoint.batch.steps;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.catalyst.util.DateTimeUtils;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;

/** Spark only sorts the walk's rows by key: each key's group must come out in walk order. */
class KeyGroupsTest {
  private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

  @Test
  void eachKeyOnceInTimeThenTouchFirstThenIdOrder() {
    List<Row> partition =
        List.of(
            row(7, 30, WalkRows.EVENT, "b"),
            row(7, 30, WalkRows.EVENT, "a"),
            row(7, 30, WalkRows.TOUCH, null),
            row(7, 10, WalkRows.EVENT, "z"),
            row(-3, 5, WalkRows.EVENT, "c"),
            row(-3, 1, WalkRows.TOUCH, null),
            row(7, 20, WalkRows.TOUCH, null));

    List<List<String>> groups = groups(partition.iterator(), KeyGroups.ROWS);

    // a key that comes back after another one (7, -3, 7) is a second group: Spark's sort by key
    // never does that, and the walk must not merge what it was not given together
    assertThat(groups)
        .containsExactly(
            List.of("7@10z", "7@30touch", "7@30a", "7@30b"),
            List.of("-3@1touch", "-3@5c"),
            List.of("7@20touch"));
  }

  @Test
  void sparkInternalRowsGroupTheSameWayAndAreHeldAsCopies() {
    // Spark hands out one UnsafeRow object re-pointed at each sorted row: the walk must hold copies
    UnsafeProjection toUnsafe = UnsafeProjection.create(WalkRows.SCHEMA);
    Iterator<InternalRow> reused =
        List.of(
                internalRow(7, 30, WalkRows.EVENT, "b"),
                internalRow(7, 30, WalkRows.TOUCH, null),
                internalRow(7, 30, WalkRows.EVENT, "a"),
                internalRow(-3, 5, WalkRows.EVENT, "c"))
            .stream()
            .<InternalRow>map(toUnsafe::apply)
            .iterator();

    List<List<String>> groups = groups(reused, KeyGroups.INTERNAL_ROWS);

    assertThat(groups).containsExactly(List.of("7@30touch", "7@30a", "7@30b"), List.of("-3@5c"));
  }

  @Test
  void anEmptyPartitionHasNoGroup() {
    assertThat(new KeyGroups<>(List.<Row>of().iterator(), KeyGroups.ROWS).hasNext()).isFalse();
  }

  /** Each group as "key@seconds" + "touch" or the event id, in the order the walk gets them. */
  private static <R> List<List<String>> groups(Iterator<R> rows, KeyGroups.Fields<R> fields) {
    List<List<String>> groups = new ArrayList<>();
    new KeyGroups<>(rows, fields)
        .forEachRemaining(
            g ->
                groups.add(
                    g.stream()
                        .map(
                            w ->
                                fields.key(w.row())
                                    + "@"
                                    + (w.t().getEpochSecond() - T0.getEpochSecond())
                                    + (w.ord() == WalkRows.TOUCH ? "touch" : fields.id(w.row())))
                        .toList()));
    return groups;
  }

  private static InternalRow internalRow(long k, long seconds, int ord, String id) {
    Object[] values = new Object[WalkRows.SCHEMA.length()];
    values[WalkRows.K] = k;
    values[WalkRows.T] = DateTimeUtils.instantToMicros(T0.plusSeconds(seconds));
    values[WalkRows.ORD] = ord;
    values[WalkRows.ID] = id == null ? null : UTF8String.fromString(id);
    values[WalkRows.CAND] = ord == WalkRows.EVENT;
    return new GenericInternalRow(values);
  }

  private static Row row(long k, long seconds, int ord, String id) {
    Object[] values = new Object[WalkRows.SCHEMA.length()];
    values[WalkRows.K] = k;
    values[WalkRows.T] = Timestamp.from(T0.plusSeconds(seconds));
    values[WalkRows.ORD] = ord;
    values[WalkRows.ID] = id;
    values[WalkRows.CAND] = ord == WalkRows.EVENT;
    return new GenericRowWithSchema(values, WalkRows.SCHEMA);
  }
}
