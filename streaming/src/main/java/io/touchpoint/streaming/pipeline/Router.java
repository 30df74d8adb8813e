package io.touchpoint.streaming.pipeline;

import io.touchpoint.attribution.Candidate;
import io.touchpoint.attribution.MatchKeys;
import io.touchpoint.model.Event;
import io.touchpoint.model.InAppEvent;
import io.touchpoint.model.Install;
import io.touchpoint.model.Session;
import io.touchpoint.model.Touchpoint;
import io.touchpoint.model.validation.EventValidator;
import io.touchpoint.model.validation.ValidationResult;
import io.touchpoint.streaming.StreamingConfig;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;

/**
 * First step of the attribution query, stateless: validates each Kafka record with the shared
 * {@link EventValidator} and fans it out into {@link Envelope}s for the stateful operators.
 *
 * <ul>
 *   <li>touch -> a TOUCH row per match key; none when it has no key;
 *   <li>install, deep-linked session -> a PROBE per match key plus the CANDIDATE itself;
 *   <li>in-app event -> IN_APP; anything else, and invalid records, -> nothing.
 * </ul>
 *
 * <p>Bronze, quarantine and dead letters are the ingest query's ({@link IngestRouter}): it reads
 * the same records without a shuffle, so the stateful plan carries only what it needs.
 *
 * <p>The validator's clock is the record's Kafka timestamp (when the collector wrote it), not the
 * wall clock, so a replayed micro-batch validates exactly as the first attempt did (and both
 * queries validate a record alike).
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
    KafkaRecord k = KafkaRecord.of(kafka);
    byte[] raw = k.raw();
    int partition = k.partition();
    long offset = k.offset();
    List<Envelope> out = new ArrayList<>(4);
    ValidationResult result = validator.validate(raw, k.clock());
    if (!result.isValid()) {
      return out.iterator();
    }
    Event event = result.event();
    String pass = passThrough(partition, offset);
    if (event instanceof Touchpoint t) {
      for (String key : MatchKeys.forTouch(t)) {
        out.add(latencyRow(event, raw, Roles.TOUCH, key, pass));
      }
    } else if (event instanceof Install
        || (event instanceof Session s && Candidate.isReEngagement(s))) {
      Candidate c = event instanceof Install i ? Candidate.of(i) : Candidate.of((Session) event);
      String device = MatchKeys.device(c.appId(), c.device());
      boolean probabilistic = config.rules().rulesFor(c.appId()).probabilisticEnabled();
      for (String key : MatchKeys.forCandidate(c, probabilistic)) {
        out.add(latencyRow(event, null, Roles.PROBE, key, device));
      }
      out.add(latencyRow(event, raw, Roles.CANDIDATE, pass, device));
    } else if (event instanceof InAppEvent) {
      String device = MatchKeys.device(event.appId(), event.device());
      out.add(latencyRow(event, raw, Roles.IN_APP, pass, device));
    }
    return out.iterator();
  }

  /**
   * A row of the latency path: only what the operators read (no event type, no source position:
   * those are the ingest query's), so every shuffle and state write carries less.
   */
  static Envelope latencyRow(Event event, byte[] raw, int role, String key, String target) {
    Envelope e = new Envelope();
    e.setRole(role);
    e.setKey(key);
    e.setTarget(target);
    e.setEventId(event.eventId());
    e.setAppId(event.appId());
    e.setEventTime(event.eventTime().toEpochMilli());
    e.setReceivedAt(event.receivedAt().toEpochMilli());
    e.setPayload(raw);
    return e;
  }

  static String passThrough(int partition, long offset) {
    return Roles.PASS_THROUGH + Math.floorMod(partition * 31L + offset, PASS_THROUGH_BUCKETS);
  }
}
