package io.touchpoint.batch.steps;

import static io.touchpoint.batch.steps.WalkRows.K;
import static io.touchpoint.batch.steps.WalkRows.TARGET;
import static io.touchpoint.batch.steps.WalkRows.TOUCH;
import static io.touchpoint.batch.steps.WalkRows.TOUCH_STRUCT;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;

/**
 * The first, small walk, over the link keys (click id, probabilistic) that candidates ask: every
 * touch held under such a key within the horizon before the candidate is re-emitted under the
 * candidate's own walk key, so that {@link KeyWalk} then sees all of a candidate's touches in one
 * group. Re-emitted touches are a superset: the engine ignores those that do not match.
 */
final class LinkWalk implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  private final Duration horizon;

  LinkWalk(Duration horizon) {
    this.horizon = horizon;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    return KeyGroups.walkEach(rows, KeyGroups.ROWS, this::walk);
  }

  /** One link key's rows in walk order: its touches re-emitted for each candidate asking it. */
  private void walk(List<KeyGroups.Walked<Row>> group, Consumer<Row> out) {
    ArrayDeque<KeyGroups.Walked<Row>> touches = new ArrayDeque<>();
    for (KeyGroups.Walked<Row> w : group) {
      if (w.ord() == TOUCH) {
        touches.addLast(w);
        continue;
      }
      Instant t = w.t();
      Instant from = t.minus(horizon);
      while (!touches.isEmpty() && touches.peekFirst().t().isBefore(from)) {
        touches.removeFirst();
      }
      long target = w.row().getLong(TARGET);
      for (KeyGroups.Walked<Row> h : touches) {
        if (h.t().isBefore(t)) {
          out.accept(rekeyed(h.row(), target));
        }
      }
    }
  }

  private static Row rekeyed(Row touch, long target) {
    Object[] values = new Object[touch.length()];
    for (int i = 0; i < values.length; i++) {
      values[i] = touch.get(i);
    }
    values[K] = target;
    values[TARGET] = target; // marks the copy: KeyWalk dedups only keys that hold copies
    values[TOUCH_STRUCT] = touch.get(TOUCH_STRUCT);
    return new GenericRowWithSchema(values, WalkRows.SCHEMA);
  }
}
