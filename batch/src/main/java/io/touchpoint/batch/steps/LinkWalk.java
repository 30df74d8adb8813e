package io.touchpoint.batch.steps;

import static io.touchpoint.batch.steps.WalkRows.K;
import static io.touchpoint.batch.steps.WalkRows.ORD;
import static io.touchpoint.batch.steps.WalkRows.T;
import static io.touchpoint.batch.steps.WalkRows.TARGET;
import static io.touchpoint.batch.steps.WalkRows.TOUCH;
import static io.touchpoint.batch.steps.WalkRows.TOUCH_STRUCT;

import io.touchpoint.batch.BatchFunctions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
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

  private record Held(Instant time, Row row) {}

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    return new Iterator<>() {
      private final ArrayDeque<Held> touches = new ArrayDeque<>();
      private final ArrayDeque<Row> out = new ArrayDeque<>();
      private boolean started;
      private long key;

      @Override
      public boolean hasNext() {
        while (out.isEmpty() && rows.hasNext()) {
          Row r = rows.next();
          long k = r.getLong(K);
          if (!started || k != key) {
            started = true;
            key = k;
            touches.clear();
          }
          Instant t = BatchFunctions.instant(r.get(T));
          if (r.getInt(ORD) == TOUCH) {
            touches.addLast(new Held(t, r));
            continue;
          }
          Instant from = t.minus(horizon);
          while (!touches.isEmpty() && touches.peekFirst().time().isBefore(from)) {
            touches.removeFirst();
          }
          long target = r.getLong(TARGET);
          for (Held h : touches) {
            if (h.time().isBefore(t)) {
              out.add(rekeyed(h.row(), target));
            }
          }
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

  private static Row rekeyed(Row touch, long target) {
    Object[] values = new Object[touch.length()];
    for (int i = 0; i < values.length; i++) {
      values[i] = touch.get(i);
    }
    values[K] = target;
    values[TOUCH_STRUCT] = touch.get(TOUCH_STRUCT);
    return new GenericRowWithSchema(values, WalkRows.SCHEMA);
  }
}
