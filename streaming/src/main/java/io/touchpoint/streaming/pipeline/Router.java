package io.touchpoint.streaming.pipeline;

import io.touchpoint.attribution.MatchKeys;
import io.touchpoint.attribution.Candidate;
import io.touchpoint.model.DeadLetter;
import io.touchpoint.model.Event;
import io.touchpoint.model.InAppEvent;
import io.touchpoint.model.Install;
import io.touchpoint.model.Session;
import io.touchpoint.model.Touchpoint;
import io.touchpoint.model.json.ContractJson;
import io.touchpoint.model.validation.DeadLetters;
import io.touchpoint.model.validation.EventValidator;
import io.touchpoint.model.validation.ValidationResult;
import io.touchpoint.streaming.StreamingConfig;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;

/**
 * First step of the plan, stateless: validates each Kafka record with the shared
 * {@link EventValidator} and fans it out into {@link Envelope}s for the stateful operators.
 *
 * <ul>
 *   <li>invalid -> one DEAD row (raw bytes + the dead letter);
 *   <li>touch -> a TOUCH row per match key (the first one also writes bronze), or BRONZE only
 *       when it has no key;
 *   <li>install, deep-linked session -> a PROBE per match key plus the CANDIDATE itself;
 *   <li>in-app event -> IN_APP; any other session -> BRONZE only.
 * </ul>
 *
 * <p>The validator's clock is the record's Kafka timestamp (when the collector wrote it), not
 * the wall clock, so a replayed micro-batch validates exactly as the first attempt did.
 */
public final class Router implements FlatMapFunction<Row, Envelope> {
  private static final long serialVersionUID = 1L;
  /** Pass-through rows are spread over this many keys (parallelism without state). */
  static final int PASS_THROUGH_BUCKETS = 64;

  private final StreamingConfig config;
  private transient EventValidator validator;

  public Router(StreamingConfig config) {
    this.config = config;
  }

  @Override
  public Iterator<Envelope> call(Row kafka) {
    if (validator == null) {
      validator = new EventValidator(config.validationPolicy());
    }
    byte[] raw = kafka.getAs("value");
    String topic = kafka.getAs("topic");
    int partition = kafka.<Integer>getAs("partition");
    long offset = kafka.<Long>getAs("offset");
    Instant clock = kafkaTime(kafka.getAs("timestamp"));
    List<Envelope> out = new ArrayList<>(4);
    ValidationResult result = validator.validate(raw, clock);
    if (!result.isValid()) {
      DeadLetter dead = DeadLetters.of(raw, result.violations(), topic, partition, offset, clock);
      Envelope e = base(topic, partition, offset, clock);
      e.setRole(Roles.DEAD);
      e.setKey(passThrough(partition, offset));
      e.setTarget(e.getKey());
      e.setEventId(topic + "/" + partition + "/" + offset);
      e.setPayload(dead.rawPayload());
      e.setExtra(ContractJson.toBytes(dead));
      out.add(e);
      return out.iterator();
    }
    Event event = result.event();
    String pass = passThrough(partition, offset);
    if (event instanceof Touchpoint t) {
      List<String> keys = MatchKeys.forTouch(t);
      if (keys.isEmpty()) {
        out.add(eventRow(event, raw, Roles.BRONZE, pass, pass, true, topic, partition, offset, clock));
      }
      for (int i = 0; i < keys.size(); i++) {
        out.add(eventRow(event, raw, Roles.TOUCH, keys.get(i), pass, i == 0, topic, partition, offset, clock));
      }
    } else if (event instanceof Install || (event instanceof Session s && Candidate.isReEngagement(s))) {
      Candidate c = event instanceof Install i ? Candidate.of(i) : Candidate.of((Session) event);
      String device = MatchKeys.device(c.appId(), c.device());
      boolean probabilistic = config.rules().rulesFor(c.appId()).probabilisticEnabled();
      for (String key : MatchKeys.forCandidate(c, probabilistic)) {
        Envelope probe = eventRow(event, null, Roles.PROBE, key, device, false, topic, partition, offset, clock);
        out.add(probe);
      }
      out.add(eventRow(event, raw, Roles.CANDIDATE, pass, device, true, topic, partition, offset, clock));
    } else if (event instanceof InAppEvent) {
      String device = MatchKeys.device(event.appId(), event.device());
      out.add(eventRow(event, raw, Roles.IN_APP, pass, device, true, topic, partition, offset, clock));
    } else {
      out.add(eventRow(event, raw, Roles.BRONZE, pass, pass, true, topic, partition, offset, clock));
    }
    return out.iterator();
  }

  private static Envelope eventRow(Event event, byte[] raw, int role, String key, String target, boolean bronze,
      String topic, int partition, long offset, Instant clock) {
    Envelope e = base(topic, partition, offset, clock);
    e.setRole(role);
    e.setKey(key);
    e.setTarget(target);
    e.setBronze(bronze);
    e.setEventId(event.eventId());
    e.setEventType(event.eventType().wireName());
    e.setAppId(event.appId());
    e.setEventTime(event.eventTime().toEpochMilli());
    e.setReceivedAt(event.receivedAt().toEpochMilli());
    e.setPayload(raw);
    return e;
  }

  private static Envelope base(String topic, int partition, long offset, Instant clock) {
    Envelope e = new Envelope();
    e.setTopic(topic);
    e.setPartition(partition);
    e.setOffset(offset);
    e.setKafkaTimestamp(clock.toEpochMilli());
    return e;
  }

  static String passThrough(int partition, long offset) {
    return Roles.PASS_THROUGH + Math.floorMod(partition * 31L + offset, PASS_THROUGH_BUCKETS);
  }

  private static Instant kafkaTime(Object value) {
    if (value instanceof Timestamp t && t.getTime() > 0) {
      return t.toInstant();
    }
    if (value instanceof Instant i && i.toEpochMilli() > 0) {
      return i;
    }
    return Instant.now(); // no usable broker/producer time: fall back to the wall clock
  }
}
