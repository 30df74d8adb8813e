package io.touchpoint.simulator.generate;

import io.touchpoint.model.Device;
import io.touchpoint.model.Event;
import io.touchpoint.model.EventType;
import io.touchpoint.model.Touchpoint;
import io.touchpoint.model.json.ContractJson;
import io.touchpoint.simulator.Seeds;
import io.touchpoint.simulator.Tally;
import io.touchpoint.simulator.delivery.Delivery;
import io.touchpoint.simulator.delivery.Malformer;
import io.touchpoint.simulator.device.SimDevice;
import io.touchpoint.simulator.output.OutRecord;
import io.touchpoint.simulator.plan.CandidatePlan;
import io.touchpoint.simulator.plan.PairStory;
import io.touchpoint.simulator.plan.StoryPlanner;
import io.touchpoint.simulator.truth.RetentionTruth;
import io.touchpoint.simulator.truth.SiteDay;
import io.touchpoint.simulator.truth.TruthFactory;
import io.touchpoint.simulator.truth.TruthRecord;
import io.touchpoint.simulator.world.SimApp;
import io.touchpoint.simulator.world.World;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Generates one device completely: for each app of its platform the planned story, then honest and
 * sprayed noise through the guard, the SDK's events, and each event's delivery. Depends on the seed
 * and the device index only, so devices can be generated in any order or in parallel.
 */
public final class DeviceGenerator {
  /** Room for 2^24 records per device in the generation sequence. */
  private static final int SEQ_BITS = 24;

  private final World world;
  private final StoryPlanner planner;
  private final BackgroundTraffic background;
  private final FloodSpray flood;
  private final AppActivity activity;
  private final Delivery delivery;
  private final Malformer malformer;

  public DeviceGenerator(World world, int maxPayloadBytes) {
    this.world = world;
    this.planner = new StoryPlanner(world);
    this.background = new BackgroundTraffic(world);
    this.flood = new FloodSpray(world);
    this.activity = new AppActivity(world);
    this.delivery = new Delivery(world.params());
    this.malformer = new Malformer(maxPayloadBytes);
  }

  public DeviceOutput generate(int index) {
    SimDevice device = world.devices().create(index);
    Run run = new Run(index);
    List<PairStory> stories = new ArrayList<>();
    Map<PairStory, Map<String, List<Integer>>> retention = new HashMap<>();
    for (SimApp app : world.appsFor(device.platform())) {
      PairStory story = planner.plan(device, app);
      stories.add(story);
      PairTimeline timeline =
          new PairTimeline(story, world.historyStart(), world.spanEnd(), run.tally);
      timeline.addPlanned();
      background.addTo(timeline, story);
      flood.addTo(timeline, story, run.tally);
      for (Touchpoint t : timeline.touches()) {
        run.deliver(t);
      }
      List<Event> events = activity.events(story);
      for (Event e : events) {
        run.deliver(e);
      }
      retention.put(story, RetentionTruth.of(app, story.candidates(), events));
    }
    List<TruthRecord> truths = new ArrayList<>();
    for (PairStory story : stories) {
      Device appDevice =
          device.asSeenByApp(story.app(), world.devices().vendorId(device, story.app()));
      for (CandidatePlan c : story.candidates()) {
        truths.add(
            TruthFactory.of(c, appDevice, run.lateIds, retention.get(story).get(c.eventId())));
        run.tally.add("scenario." + c.scenario().label());
      }
    }
    return new DeviceOutput(run.records, truths, run.tally, run.clicks);
  }

  /** The mutable state of one device's generation. */
  private final class Run {
    final Tally tally = new Tally();
    final List<OutRecord> records = new ArrayList<>();
    final Map<SiteDay, Long> clicks = new HashMap<>();
    final Set<String> lateIds = new HashSet<>();
    final SplittableRandom random;
    long seq;

    Run(int index) {
      this.random = Seeds.rng(world.params().seed(), Seeds.Purpose.DELIVERY, index);
      this.seq = (long) index << SEQ_BITS;
    }

    void deliver(Event e) {
      EventType type = e.eventType();
      Delivery.Decision d = delivery.decide(random, e.eventTime(), type.isTouch());
      Event sent = Events.withReceivedAt(e, d.receivedAt());
      byte[] bytes = ContractJson.toBytes(sent);
      String key = SimDevice.partitionKey(sent.device());
      records.add(
          new OutRecord(d.receivedAt().toEpochMilli(), seq++, type.topic(), key, bytes, null));
      tally.add("events." + type.wireName());
      if (d.late()) {
        lateIds.add(e.eventId());
        tally.add("delivery.late");
      }
      if (d.duplicateArrival() != null) {
        records.add(
            new OutRecord(
                d.duplicateArrival().toEpochMilli(), seq++, type.topic(), key, bytes, null));
        tally.add("delivery.duplicates");
      }
      if (d.malformedArrival() != null) {
        Malformer.Broken b =
            malformer.breakEvent(new SplittableRandom(d.malformedSeed()), type, bytes);
        OutRecord.Malformed m =
            new OutRecord.Malformed(
                b.breakage().reason().name(), b.breakage().label(), b.eventId(), e.eventId());
        records.add(
            new OutRecord(
                d.malformedArrival().toEpochMilli(), seq++, type.topic(), key, b.payload(), m));
        tally.add("malformed." + m.reasonCode());
      }
      if (e instanceof Touchpoint t && t.isClick()) {
        clicks.merge(
            new SiteDay(
                t.appId(),
                t.siteId(),
                t.mediaSource(),
                LocalDate.ofInstant(t.eventTime(), ZoneOffset.UTC)),
            1L,
            Long::sum);
      }
    }
  }
}
