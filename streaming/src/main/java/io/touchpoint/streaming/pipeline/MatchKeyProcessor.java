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
import org.apache.spark.sql.streaming.MapState;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.StatefulProcessor;
import org.apache.spark.sql.streaming.TTLConfig;
import org.apache.spark.sql.streaming.TimeMode;
import org.apache.spark.sql.streaming.TimerValues;
import scala.collection.Iterator;

/**
 * The first stateful operator, keyed by match key ({@link MatchKeys}). Holds the touches of its key
 * (RocksDB map state by touch id, TTL = the longest lookback) and answers each candidate's PROBE
 * with a PARTIAL: the held touches that may match it. It decides nothing about attribution: it only
 * drops touches that cannot qualify whatever the rules say (received after the candidate, not
 * strictly before its time, or older than the app's longest window).
 *
 * <p>Most rows are touches and most keys get no probe in a micro-batch: a touch is then a point
 * lookup of its id (the first arrival of an id is kept) and one state write, with no read of the
 * other touches the key holds. The held touches are read only for a probe; that is also when the
 * key is pruned (touches older than the newest by the touch TTL, then the newest {@code
 * state.max-touches-per-key} kept), before answering.
 *
 * <p>Rows keyed {@code X|...} only pass through, re-keyed for the device operator.
 */
public final class MatchKeyProcessor extends StatefulProcessor<String, Envelope, Envelope> {
  private static final long serialVersionUID = 1L;
  private final StreamingConfig config;
  private transient MapState<String, StoredTouch> touches;
  private transient Map<String, Long> horizons;

  public MatchKeyProcessor(StreamingConfig config) {
    this.config = config;
  }

  @Override
  public void init(OutputMode outputMode, TimeMode timeMode) {
    touches =
        getHandle()
            .getMapState(
                "touches-by-id",
                Encoders.STRING(),
                Encoders.bean(StoredTouch.class),
                TTLConfig.apply(config.touchTtl));
    horizons = new HashMap<>();
  }

  @Override
  public Iterator<Envelope> handleInputRows(
      String key, Iterator<Envelope> rows, TimerValues timerValues) {
    List<Envelope> out = new ArrayList<>();
    if (key.startsWith(Roles.PASS_THROUGH)) {
      while (rows.hasNext()) {
        Envelope e = rows.next();
        out.add(Envelopes.copy(e, e.getRole(), e.getTarget()));
      }
      return Envelopes.iterator(out);
    }
    List<Envelope> in = Envelopes.drain(rows);
    boolean probed = in.stream().anyMatch(e -> e.getRole() == Roles.PROBE);
    in.sort(Envelopes.ARRIVAL);
    if (!probed) {
      // the first arrival of a touch id is the one kept (a re-sent copy may carry a later
      // received_at)
      Set<String> added = new HashSet<>();
      for (Envelope e : in) {
        if (e.getRole() == Roles.TOUCH
            && added.add(e.getEventId())
            && !touches.containsKey(e.getEventId())) {
          touches.updateValue(e.getEventId(), stored(e));
        }
      }
      return Envelopes.iterator(out);
    }
    List<StoredTouch> held = prune(Envelopes.drain(touches.values()));
    Set<String> ids = new HashSet<>();
    held.forEach(t -> ids.add(t.getEventId()));
    for (Envelope e : in) {
      if (e.getRole() == Roles.TOUCH) {
        if (ids.add(e.getEventId())) {
          StoredTouch t = stored(e);
          touches.updateValue(t.getEventId(), t);
          held.add(t);
        }
      } else if (e.getRole() == Roles.PROBE) {
        Envelope partial = partial(e, held);
        if (partial != null) {
          out.add(partial);
        }
      }
    }
    return Envelopes.iterator(out);
  }

  private static StoredTouch stored(Envelope e) {
    StoredTouch t = new StoredTouch();
    t.setEventId(e.getEventId());
    t.setEventTime(e.getEventTime());
    t.setReceivedAt(e.getReceivedAt());
    t.setJson(e.getPayload());
    return t;
  }

  /** The touches of this key a candidate may match, or null if none. */
  private Envelope partial(Envelope probe, List<StoredTouch> held) {
    long horizon =
        horizons.computeIfAbsent(
            probe.getAppId(), app -> Envelopes.horizonMillis(config.rules().rulesFor(app)));
    ByteArrayOutputStream json = new ByteArrayOutputStream();
    json.write('[');
    int n = 0;
    for (StoredTouch t : held) {
      boolean before =
          t.getEventTime() < probe.getEventTime() && t.getReceivedAt() <= probe.getReceivedAt();
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
   * Drops (from the list and the state) the touches past the longest lookback of the newest one
   * (event time), then all but the newest {@code state.max-touches-per-key} (a carrier NAT IP).
   */
  private List<StoredTouch> prune(List<StoredTouch> held) {
    long newest = held.stream().mapToLong(StoredTouch::getEventTime).max().orElse(0);
    long oldestUseful = newest - config.touchTtl.toMillis();
    List<StoredTouch> keep = new ArrayList<>(held.size());
    for (StoredTouch t : held) {
      if (t.getEventTime() >= oldestUseful) {
        keep.add(t);
      } else {
        touches.removeKey(t.getEventId());
      }
    }
    if (keep.size() > config.maxTouchesPerKey) {
      keep.sort(Comparator.comparingLong(StoredTouch::getEventTime).reversed());
      keep.subList(config.maxTouchesPerKey, keep.size())
          .forEach(t -> touches.removeKey(t.getEventId()));
      keep = new ArrayList<>(keep.subList(0, config.maxTouchesPerKey));
    }
    return keep;
  }
}
