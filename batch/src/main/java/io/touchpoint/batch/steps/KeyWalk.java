package io.touchpoint.batch.steps;

import static io.touchpoint.batch.steps.WalkRows.CAND;
import static io.touchpoint.batch.steps.WalkRows.DKEY;
import static io.touchpoint.batch.steps.WalkRows.ID;
import static io.touchpoint.batch.steps.WalkRows.RECEIVED;
import static io.touchpoint.batch.steps.WalkRows.TARGET;
import static io.touchpoint.batch.steps.WalkRows.TOUCH;
import static io.touchpoint.batch.steps.WalkRows.TOUCH_STRUCT;

import io.touchpoint.attribution.AppRules;
import io.touchpoint.attribution.AttributionEngine;
import io.touchpoint.attribution.Candidate;
import io.touchpoint.attribution.ReAttributionWindow;
import io.touchpoint.batch.Rules;
import io.touchpoint.model.Attribution;
import io.touchpoint.model.Event;
import io.touchpoint.model.Install;
import io.touchpoint.model.Session;
import io.touchpoint.model.Touchpoint;
import io.touchpoint.model.spark.ContractRows;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.CatalystTypeConverters;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;

/**
 * Walks one partition of {@link WalkRows}, each key once ({@link KeyGroups}, in {@code (t, ord,
 * id)} order): holds the key's touches of the last {@code horizon} and each device's earlier
 * installs, and hands every candidate its touches and its re-attribution window's anchor ({@link
 * ReAttributionWindow#anchorFor} over the device's earlier installs) to {@link AttributionEngine}.
 * One output row (a silver attribution, before the whole-day flooding signal) per candidate.
 */
final class KeyWalk implements FlatMapFunction<Iterator<InternalRow>, InternalRow> {
  private static final long serialVersionUID = 1L;

  private final Rules rules;
  private final Duration horizon;

  /**
   * Spark's own converter of a {@link AttributeStep#SILVER_ATTRIBUTIONS} row to its internal form
   * (made once per task): the verdicts become a frame without Spark's per-row encoder of external
   * rows and the copy into an UnsafeRow before the write's own projection.
   */
  private transient scala.Function1<Object, Object> toInternal;

  KeyWalk(Rules rules, Duration horizon) {
    this.rules = rules;
    this.horizon = horizon;
  }

  /**
   * An earlier install of the device (the latest one is reported in the reconciliation columns).
   */
  private record PriorInstall(String eventId, Instant time, Instant receivedAt) {}

  /** A touch of the key, read into the engine's form only when a candidate looks at it. */
  private static final class Held {
    private final Instant time;
    private final InternalRow row;
    private final boolean linked;
    private Touchpoint touch;

    Held(Instant time, InternalRow row) {
      this.time = time;
      this.row = row;
      this.linked = !(row instanceof WalkRows.DecodedTouch) && !row.isNullAt(TARGET);
    }

    /** A link lookup's copy of a touch: the key may also hold that touch under its own key. */
    boolean linked() {
      return linked;
    }

    Instant time() {
      return time;
    }

    Touchpoint touch() {
      if (touch == null) {
        touch =
            row instanceof WalkRows.DecodedTouch d
                ? d.touch()
                : WalkRows.touchpoint(row.getStruct(TOUCH_STRUCT, WalkRows.TOUCH_FIELDS.size()));
      }
      return touch;
    }
  }

  /**
   * Reads Spark's own rows of the sorted partition: a field is converted only where the walk reads
   * it (no {@code Row} of every column of every row first).
   */
  @Override
  public Iterator<InternalRow> call(Iterator<InternalRow> rows) {
    return KeyGroups.walkEach(rows, KeyGroups.INTERNAL_ROWS, this::walk);
  }

  /** One key's rows in walk order: a verdict for each candidate among them. */
  void walk(List<KeyGroups.Walked<InternalRow>> group, Consumer<InternalRow> out) {
    ArrayDeque<Held> touches = new ArrayDeque<>();
    Map<String, List<PriorInstall>> installs = new HashMap<>();
    for (KeyGroups.Walked<InternalRow> w : group) {
      InternalRow r = w.row();
      Instant t = w.t();
      if (w.ord() == TOUCH) {
        touches.addLast(new Held(t, r));
        continue;
      }
      List<PriorInstall> earlier = List.of();
      if (!r.isNullAt(DKEY)) { // an install: the device's chain of installs, in (time, id) order
        List<PriorInstall> chain =
            installs.computeIfAbsent(WalkRows.string(r, DKEY), d -> new ArrayList<>(2));
        earlier = r.getBoolean(CAND) ? List.copyOf(chain) : earlier;
        chain.add(new PriorInstall(WalkRows.string(r, ID), t, WalkRows.instant(r, RECEIVED)));
      }
      if (r.getBoolean(CAND)) {
        out.accept(decide(WalkRows.candidate(r), t, earlier, touches));
      }
    }
  }

  private InternalRow decide(
      Event event, Instant t, List<PriorInstall> earlier, ArrayDeque<Held> touches) {
    Instant from = t.minus(horizon);
    while (!touches.isEmpty() && touches.peekFirst().time().isBefore(from)) {
      touches.removeFirst();
    }
    Collection<Touchpoint> candidateTouches = touchesBefore(t, touches);
    Candidate candidate =
        event instanceof Install i ? Candidate.of(i) : Candidate.of((Session) event);
    AppRules appRules = rules.rulesFor(candidate.appId());
    List<Instant> earlierTimes = new ArrayList<>(earlier.size());
    for (PriorInstall p : earlier) {
      earlierTimes.add(p.time());
    }
    Instant anchor = ReAttributionWindow.anchorFor(earlierTimes, t, appRules);
    Attribution a = AttributionEngine.attribute(candidate, candidateTouches, anchor, appRules);
    PriorInstall prior = earlier.isEmpty() ? null : earlier.get(earlier.size() - 1);
    Instant touchReceived = null;
    for (Touchpoint touch : candidateTouches) {
      if (touch.eventId().equals(a.touchEventId()) && touch.eventTime().equals(a.touchTime())) {
        touchReceived = touch.receivedAt();
        break;
      }
    }
    if (toInternal == null) {
      toInternal =
          CatalystTypeConverters.createToCatalystConverter(AttributeStep.SILVER_ATTRIBUTIONS);
    }
    return (InternalRow)
        toInternal.apply(
            withExtras(
                ContractRows.attributionRow(a),
                prior == null ? null : prior.eventId(),
                prior == null ? null : timestamp(prior.time()),
                prior == null ? null : timestamp(prior.receivedAt()),
                timestamp(touchReceived)));
  }

  /**
   * The held touches before {@code t}, each once. A key's own touches are distinct (silver holds
   * each touch event once), so only a key with link copies pays for a set's hashing of every touch.
   */
  private static Collection<Touchpoint> touchesBefore(Instant t, ArrayDeque<Held> touches) {
    boolean anyLinked = false;
    for (Held h : touches) {
      anyLinked |= h.linked();
    }
    Collection<Touchpoint> before = anyLinked ? new LinkedHashSet<>() : new ArrayList<>();
    for (Held h : touches) {
      if (h.time().isBefore(t)) {
        before.add(h.touch());
      }
    }
    return before;
  }

  static Row withExtras(Row base, Object... extras) {
    Object[] values = new Object[base.length() + extras.length];
    for (int i = 0; i < base.length(); i++) {
      values[i] = base.get(i);
    }
    System.arraycopy(extras, 0, values, base.length(), extras.length);
    return new GenericRowWithSchema(values, AttributeStep.SILVER_ATTRIBUTIONS);
  }

  private static Timestamp timestamp(Instant i) {
    return i == null ? null : Timestamp.from(i);
  }
}
