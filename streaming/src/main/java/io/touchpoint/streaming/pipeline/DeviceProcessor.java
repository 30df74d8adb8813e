package io.touchpoint.streaming.pipeline;

import io.touchpoint.attribution.AppRules;
import io.touchpoint.attribution.AttributionEngine;
import io.touchpoint.attribution.Candidate;
import io.touchpoint.attribution.EventCrediting;
import io.touchpoint.attribution.ReAttributionWindow;
import io.touchpoint.model.AttributedEvent;
import io.touchpoint.model.Attribution;
import io.touchpoint.model.Event;
import io.touchpoint.model.InAppEvent;
import io.touchpoint.model.Install;
import io.touchpoint.model.Outcome;
import io.touchpoint.model.Session;
import io.touchpoint.model.Touchpoint;
import io.touchpoint.model.json.ContractJson;
import io.touchpoint.streaming.StreamingConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.streaming.ListState;
import org.apache.spark.sql.streaming.MapState;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.StatefulProcessor;
import org.apache.spark.sql.streaming.TTLConfig;
import org.apache.spark.sql.streaming.TimeMode;
import org.apache.spark.sql.streaming.TimerValues;
import scala.collection.Iterator;

/**
 * The second stateful operator, keyed by device ({@code D|app|device_key}). Receives each candidate
 * (install or deep-linked session) together with the PARTIALs its match keys produced in the same
 * micro-batch, unions their touches and calls {@link AttributionEngine#attribute} once; credits
 * in-app events with {@link EventCrediting#credit} over the device's verdicts. Its state: the
 * device's install history (for the re-attribution window's anchor), the event ids seen (first
 * arrival wins: a re-sent candidate or in-app event is dropped), and the device's install and
 * re-engagement verdicts.
 *
 * <p>Rows keyed {@code X|...} (none since bronze moved to the ingest query) pass through.
 */
public final class DeviceProcessor extends StatefulProcessor<String, Envelope, Envelope> {
  private static final long serialVersionUID = 1L;
  private static final String OUT_KEY = "out";
  private final StreamingConfig config;
  private transient ListState<InstallMark> installs;
  private transient MapState<String, Long> seen;
  private transient ListState<VerdictMark> verdicts;

  public DeviceProcessor(StreamingConfig config) {
    this.config = config;
  }

  @Override
  public void init(OutputMode outputMode, TimeMode timeMode) {
    installs =
        getHandle()
            .getListState(
                "installs",
                Encoders.bean(InstallMark.class),
                TTLConfig.apply(config.installHistoryTtl));
    seen =
        getHandle()
            .getMapState(
                "seen", Encoders.STRING(), Encoders.LONG(), TTLConfig.apply(config.dedupTtl));
    verdicts =
        getHandle()
            .getListState(
                "verdicts", Encoders.bean(VerdictMark.class), TTLConfig.apply(config.verdictTtl));
  }

  /** One candidate of this micro-batch: its first copy and the partials of its match keys. */
  private static final class Group {
    Envelope self;
    final List<Envelope> partials = new ArrayList<>(3);
  }

  @Override
  public Iterator<Envelope> handleInputRows(
      String key, Iterator<Envelope> rows, TimerValues timerValues) {
    if (key.startsWith(Roles.PASS_THROUGH)) {
      return rows;
    }
    List<Envelope> out = new ArrayList<>();
    Map<String, Group> groups = new LinkedHashMap<>();
    List<Envelope> items = new ArrayList<>();
    while (rows.hasNext()) {
      Envelope e = rows.next();
      switch (e.getRole()) {
        case Roles.CANDIDATE -> {
          Group g = groups.computeIfAbsent(e.getEventId(), id -> new Group());
          if (g.self == null) {
            g.self = e;
            items.add(e);
          }
        }
        case Roles.PARTIAL ->
            groups.computeIfAbsent(e.getEventId(), id -> new Group()).partials.add(e);
        case Roles.IN_APP -> items.add(e);
        default -> out.add(e);
      }
    }
    if (items.isEmpty()) {
      return Envelopes.iterator(out);
    }
    items.sort(Envelopes.ARRIVAL);
    DeviceState device = new DeviceState();
    for (Envelope e : items) {
      if (seen.containsKey(e.getEventId()) || device.installIds().containsKey(e.getEventId())) {
        continue; // a re-sent copy: the first arrival's verdict stands
      }
      seen.updateValue(e.getEventId(), e.getReceivedAt());
      if (e.getRole() == Roles.CANDIDATE) {
        out.add(attribute(e, groups.get(e.getEventId()), device));
      } else {
        out.add(credit(e, device));
      }
    }
    device.save();
    return Envelopes.iterator(out);
  }

  private Envelope attribute(Envelope self, Group group, DeviceState device) {
    Event event = ContractJson.readEvent(self.getPayload());
    Candidate candidate =
        event instanceof Install i ? Candidate.of(i) : Candidate.of((Session) event);
    Map<String, Touchpoint> touches = new LinkedHashMap<>();
    for (Envelope partial : group.partials) {
      readTouches(partial.getExtra(), touches);
    }
    AppRules rules = config.rules().rulesFor(candidate.appId());
    Instant anchor = event instanceof Install ? windowAnchor(device, self, rules) : null;
    Attribution verdict = AttributionEngine.attribute(candidate, touches.values(), anchor, rules);
    byte[] json = ContractJson.toBytes(verdict);
    if (event instanceof Install) {
      InstallMark mark = new InstallMark();
      mark.setEventId(self.getEventId());
      mark.setEventTime(self.getEventTime());
      mark.setReceivedAt(self.getReceivedAt());
      device.addInstall(mark);
    }
    if (creditsEvents(verdict, rules)) {
      VerdictMark mark = new VerdictMark();
      mark.setAttributionId(verdict.attributionId());
      mark.setEventTime(self.getEventTime());
      mark.setReceivedAt(self.getReceivedAt());
      mark.setJson(json);
      device.addVerdict(mark, verdict);
    }
    Envelope out = Envelopes.copy(self, Roles.ATTRIBUTION, OUT_KEY);
    out.setTarget(OUT_KEY);
    out.setEventId(verdict.attributionId());
    out.setPayload(json);
    out.setExtra(null);
    return out;
  }

  /**
   * The install that opened the re-attribution window the candidate falls in ({@link
   * ReAttributionWindow#anchorFor}), over the device's installs strictly before it and received no
   * later; null when there is none.
   */
  private static Instant windowAnchor(DeviceState device, Envelope self, AppRules rules) {
    List<Instant> earlier = new ArrayList<>();
    for (InstallMark m : device.installs()) {
      if (m.getEventTime() < self.getEventTime() && m.getReceivedAt() <= self.getReceivedAt()) {
        earlier.add(Instant.ofEpochMilli(m.getEventTime()));
      }
    }
    earlier.sort(Comparator.naturalOrder());
    return ReAttributionWindow.anchorFor(earlier, Instant.ofEpochMilli(self.getEventTime()), rules);
  }

  private Envelope credit(Envelope self, DeviceState device) {
    // bound straight to its record (the Router validated it): no JSON tree first
    InAppEvent event = ContractJson.fromJson(self.getPayload(), InAppEvent.class);
    List<Attribution> known = new ArrayList<>();
    for (VerdictMark m : device.verdictMarks()) {
      if (m.getReceivedAt() <= self.getReceivedAt()) {
        known.add(device.verdict(m));
      }
    }
    AttributedEvent credited =
        EventCrediting.credit(event, known, config.rules().rulesFor(event.appId()));
    Envelope out = Envelopes.copy(self, Roles.ATTRIBUTED_EVENT, OUT_KEY);
    out.setTarget(OUT_KEY);
    out.setPayload(ContractJson.toBytes(credited));
    out.setExtra(null);
    return out;
  }

  /**
   * Verdicts EventCrediting can use: the ones that own later events, and attributed re-engagements.
   */
  private static boolean creditsEvents(Attribution a, AppRules rules) {
    return EventCrediting.ownsLaterEvents(a, rules)
        || (a.reEngagement() && a.outcome() == Outcome.ATTRIBUTED);
  }

  private static void readTouches(byte[] jsonArray, Map<String, Touchpoint> into) {
    try {
      // every element is a validated touch: bound straight to its record, no JSON tree first
      for (Touchpoint t : ContractJson.mapper().readValue(jsonArray, Touchpoint[].class)) {
        into.putIfAbsent(t.eventId(), t);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable partial", e);
    }
  }

  /** One device's state, loaded lazily for one call and written back once. */
  private final class DeviceState {
    private List<InstallMark> installList;
    private Map<String, InstallMark> installIds;
    private List<VerdictMark> verdictList;
    private final Map<String, Attribution> parsed = new HashMap<>();
    private boolean installsDirty;
    private boolean verdictsDirty;

    List<InstallMark> installs() {
      if (installList == null) {
        installList = Envelopes.drain(installs.get());
        installIds = new HashMap<>();
        installList.forEach(m -> installIds.put(m.getEventId(), m));
      }
      return installList;
    }

    Map<String, InstallMark> installIds() {
      installs();
      return installIds;
    }

    void addInstall(InstallMark m) {
      installs().add(m);
      installIds.put(m.getEventId(), m);
      installsDirty = true;
    }

    List<VerdictMark> verdictMarks() {
      if (verdictList == null) {
        verdictList = Envelopes.drain(verdicts.get());
      }
      return verdictList;
    }

    void addVerdict(VerdictMark m, Attribution a) {
      verdictMarks().add(m);
      parsed.put(m.getAttributionId(), a);
      verdictsDirty = true;
    }

    Attribution verdict(VerdictMark m) {
      return parsed.computeIfAbsent(
          m.getAttributionId(), id -> ContractJson.fromJson(m.getJson(), Attribution.class));
    }

    void save() {
      if (installsDirty) {
        long newest = installList.stream().mapToLong(InstallMark::getEventTime).max().orElse(0);
        long horizon = newest - config.installHistoryTtl.toMillis();
        installs.put(
            installList.stream()
                .filter(m -> m.getEventTime() >= horizon)
                .toArray(InstallMark[]::new));
      }
      if (verdictsDirty) {
        List<VerdictMark> keep = new ArrayList<>(verdictList);
        if (keep.size() > config.maxVerdictsPerDevice) {
          keep.sort(Comparator.comparingLong(VerdictMark::getEventTime).reversed());
          keep = keep.subList(0, config.maxVerdictsPerDevice);
        }
        verdicts.put(keep.toArray(new VerdictMark[0]));
      }
    }
  }
}
