package io.touchpoint.streaming.pipeline;

import io.touchpoint.attribution.MatchKeys;
import io.touchpoint.streaming.StreamingConfig;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.streaming.ListState;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.StatefulProcessor;
import org.apache.spark.sql.streaming.TTLConfig;
import org.apache.spark.sql.streaming.TimeMode;
import org.apache.spark.sql.streaming.TimerValues;
import scala.collection.Iterator;

/**
 * The first stateful operator, keyed by match key ({@link MatchKeys}). Holds the touches of
 * its key (RocksDB list state, TTL = the longest lookback) and answers each candidate's PROBE
 * with a PARTIAL: the held touches that may match it. It decides nothing about attribution: it
 * only drops touches that cannot qualify whatever the rules say (received after the
 * candidate, not strictly before its time, or older than the app's longest window).
 *
 * <p>Rows keyed {@code X|...} only pass through, re-keyed for the device operator.
 */
public final class MatchKeyProcessor extends StatefulProcessor<String, Envelope, Envelope> {
  private static final long serialVersionUID = 1L;
  private final StreamingConfig config;
  private transient ListState<StoredTouch> touches;
  private transient Map<String, Long> horizons;

  public MatchKeyProcessor(StreamingConfig config) {
    this.config = config;
  }

  @Override
  public void init(OutputMode outputMode, TimeMode timeMode) {
    touches = getHandle().getListState("touches", Encoders.bean(StoredTouch.class), TTLConfig.apply(config.touchTtl));
    horizons = new HashMap<>();
  }

  @Override
  public Iterator<Envelope> handleInputRows(String key, Iterator<Envelope> rows, TimerValues timerValues) {
    List<Envelope> out = new ArrayList<>();
    if (key.startsWith(Roles.PASS_THROUGH)) {
      while (rows.hasNext()) {
        Envelope e = rows.next();
        out.add(Envelopes.copy(e, e.getRole(), e.getTarget()));
      }
      return Envelopes.iterator(out);
    }
    List<Envelope> in = Envelopes.drain(rows);
    in.sort(Envelopes.ARRIVAL);
    List<StoredTouch> held = Envelopes.drain(touches.get());
    Set<String> ids = new HashSet<>();
    held.forEach(t -> ids.add(t.getEventId()));
    List<StoredTouch> added = new ArrayList<>();
    for (Envelope e : in) {
      if (e.getRole() == Roles.TOUCH) {
        if (ids.add(e.getEventId())) {
          StoredTouch t = new StoredTouch();
          t.setEventId(e.getEventId());
          t.setEventTime(e.getEventTime());
          t.setReceivedAt(e.getReceivedAt());
          t.setJson(e.getPayload());
          held.add(t);
          added.add(t);
        }
      } else if (e.getRole() == Roles.PROBE) {
        Envelope partial = partial(e, held);
        if (partial != null) {
          out.add(partial);
        }
      }
    }
    if (!added.isEmpty()) {
      save(held, added);
    }
    return Envelopes.iterator(out);
  }

  /** The touches of this key a candidate may match, or null if none. */
  private Envelope partial(Envelope probe, List<StoredTouch> held) {
    long horizon = horizons.computeIfAbsent(probe.getAppId(),
        app -> Envelopes.horizonMillis(config.rules().rulesFor(app)));
    ByteArrayOutputStream json = new ByteArrayOutputStream();
    json.write('[');
    int n = 0;
    for (StoredTouch t : held) {
      boolean before = t.getEventTime() < probe.getEventTime() && t.getReceivedAt() <= probe.getReceivedAt();
      if (before && probe.getEventTime() - t.getEventTime() <= horizon) {
        if (n++ > 0) {
          json.write(',');
        }
        json.writeBytes(t.getJson());
      }
    }
    if (n == 0) {
      return null;
    }
    json.write(']');
    Envelope p = Envelopes.copy(probe, Roles.PARTIAL, probe.getTarget());
    p.setPayload(null);
    p.setExtra(json.toByteArray());
    return p;
  }

  /**
   * Appends new touches; rewrites the list when it holds touches past the longest lookback of
   * the newest one (event time) or more than the per-key cap (keeping the newest).
   */
  private void save(List<StoredTouch> held, List<StoredTouch> added) {
    long newest = held.stream().mapToLong(StoredTouch::getEventTime).max().orElse(0);
    long oldestUseful = newest - config.touchTtl.toMillis();
    boolean stale = held.stream().anyMatch(t -> t.getEventTime() < oldestUseful);
    if (!stale && held.size() <= config.maxTouchesPerKey) {
      touches.appendList(added.toArray(new StoredTouch[0]));
      return;
    }
    List<StoredTouch> keep = new ArrayList<>(held.stream().filter(t -> t.getEventTime() >= oldestUseful).toList());
    if (keep.size() > config.maxTouchesPerKey) {
      keep.sort(Comparator.comparingLong(StoredTouch::getEventTime).reversed());
      keep = new ArrayList<>(keep.subList(0, config.maxTouchesPerKey));
    }
    touches.put(keep.toArray(new StoredTouch[0]));
  }
}
