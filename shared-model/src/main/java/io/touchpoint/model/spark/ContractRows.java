package io.touchpoint.model.spark;

import io.touchpoint.model.AttributedEvent;
import io.touchpoint.model.Attribution;
import io.touchpoint.model.AttributionKind;
import io.touchpoint.model.Contributor;
import io.touchpoint.model.DeadLetter;
import io.touchpoint.model.Device;
import io.touchpoint.model.Event;
import io.touchpoint.model.EventType;
import io.touchpoint.model.FraudReason;
import io.touchpoint.model.InAppEvent;
import io.touchpoint.model.Install;
import io.touchpoint.model.MatchType;
import io.touchpoint.model.Outcome;
import io.touchpoint.model.Session;
import io.touchpoint.model.TouchType;
import io.touchpoint.model.Touchpoint;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.encoders.ExpressionEncoder$;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Converts contract records to and from Spark {@link Row}s of {@link ContractSchemas}. Rows are
 * read by column name, so a row may carry extra columns (partition date, Kafka metadata).
 *
 * <p>Rows hold Spark's default external types: {@link Timestamp} for timestamps and Scala {@code
 * Seq}s for arrays. Build datasets with {@link #encoder(StructType)}: it also accepts {@link
 * Instant}s, so it works whether or not {@code spark.sql.datetime.java8API.enabled} is set; readers
 * accept both.
 */
public final class ContractRows {

  private ContractRows() {}

  /** A lenient row encoder for a contract schema (for mapPartitions, createDataset). */
  public static Encoder<Row> encoder(StructType schema) {
    return ExpressionEncoder$.MODULE$.apply(schema, true);
  }

  public static Row touchpointRow(Touchpoint t) {
    return eventRow(
        ContractSchemas.TOUCHPOINTS,
        t,
        t.mediaSource(),
        t.campaignId(),
        t.campaign(),
        t.adset(),
        t.ad(),
        t.siteId(),
        t.clickId(),
        t.retargeting(),
        t.costModel(),
        t.costValue(),
        t.costCurrency());
  }

  public static Touchpoint touchpoint(Row r) {
    return new Touchpoint(
        r.getAs("event_id"),
        eventType(r),
        r.getAs("app_id"),
        instant(r, "event_time"),
        instant(r, "received_at"),
        device(r),
        r.getAs("media_source"),
        r.getAs("campaign_id"),
        r.getAs("campaign"),
        r.getAs("adset"),
        r.getAs("ad"),
        r.getAs("site_id"),
        r.getAs("click_id"),
        r.<Boolean>getAs("retargeting"),
        r.getAs("cost_model"),
        r.getAs("cost_value"),
        r.getAs("cost_currency"));
  }

  /** A row of {@link ContractSchemas#APP_EVENTS} for an install, session or in-app event. */
  public static Row appEventRow(Event e) {
    if (e instanceof Install i) {
      return appEventRow(
          i,
          i.referrerClickId(),
          timestamp(i.installBeginTime()),
          i.sdkVersion(),
          null,
          null,
          null,
          null);
    }
    if (e instanceof Session s) {
      return appEventRow(s, null, null, null, s.deepLinkClickId(), null, null, null);
    }
    if (e instanceof InAppEvent a) {
      return appEventRow(a, null, null, null, null, a.eventName(), a.revenue(), a.currency());
    }
    throw new IllegalArgumentException("not an app event: " + e.eventType());
  }

  public static Event appEvent(Row r) {
    EventType type = eventType(r);
    String id = r.getAs("event_id");
    String app = r.getAs("app_id");
    Instant time = instant(r, "event_time");
    Instant received = instant(r, "received_at");
    return switch (type) {
      case INSTALL ->
          new Install(
              id,
              type,
              app,
              time,
              received,
              device(r),
              r.getAs("referrer_click_id"),
              instant(r, "install_begin_time"),
              r.getAs("sdk_version"));
      case SESSION ->
          new Session(id, type, app, time, received, device(r), r.getAs("deep_link_click_id"));
      case IN_APP_EVENT ->
          new InAppEvent(
              id,
              type,
              app,
              time,
              received,
              device(r),
              r.getAs("event_name"),
              r.getAs("revenue"),
              r.getAs("currency"));
      case IMPRESSION, CLICK -> throw new IllegalArgumentException("not an app event: " + type);
    };
  }

  public static Row attributionRow(Attribution a) {
    Row[] contributors =
        a.contributors().stream().map(ContractRows::contributorRow).toArray(Row[]::new);
    return new GenericRowWithSchema(
        new Object[] {
          a.attributionId(),
          a.candidateEventId(),
          a.appId(),
          name(a.kind()),
          name(a.outcome()),
          timestamp(a.eventTime()),
          timestamp(a.receivedAt()),
          a.deviceKey(),
          a.platform(),
          a.country(),
          a.mediaSource(),
          a.campaignId(),
          a.campaign(),
          a.adset(),
          a.siteId(),
          name(a.matchType()),
          name(a.touchType()),
          a.touchEventId(),
          timestamp(a.touchTime()),
          a.ctitSeconds(),
          seq(List.of(contributors)),
          seq(a.fraudReasons().stream().map(Enum::name).toList()),
          a.reEngagement()
        },
        ContractSchemas.ATTRIBUTIONS);
  }

  public static Attribution attribution(Row r) {
    return new Attribution(
        r.getAs("attribution_id"),
        r.getAs("candidate_event_id"),
        r.getAs("app_id"),
        enumValue(r, "kind", AttributionKind::valueOf),
        enumValue(r, "outcome", Outcome::valueOf),
        instant(r, "event_time"),
        instant(r, "received_at"),
        r.getAs("device_key"),
        r.getAs("platform"),
        r.getAs("country"),
        r.getAs("media_source"),
        r.getAs("campaign_id"),
        r.getAs("campaign"),
        r.getAs("adset"),
        r.getAs("site_id"),
        enumValue(r, "match_type", MatchType::valueOf),
        enumValue(r, "touch_type", TouchType::valueOf),
        r.getAs("touch_event_id"),
        instant(r, "touch_time"),
        r.getAs("ctit_seconds"),
        r.<Row>getList(r.fieldIndex("contributors")).stream()
            .map(ContractRows::contributor)
            .toList(),
        r.<String>getList(r.fieldIndex("fraud_reasons")).stream()
            .map(FraudReason::valueOf)
            .toList(),
        r.<Boolean>getAs("re_engagement"));
  }

  public static Row attributedEventRow(AttributedEvent e) {
    return new GenericRowWithSchema(
        new Object[] {
          e.eventId(),
          e.appId(),
          e.eventName(),
          timestamp(e.eventTime()),
          timestamp(e.receivedAt()),
          e.deviceKey(),
          e.platform(),
          e.country(),
          e.revenue(),
          e.currency(),
          e.installAttributionId(),
          timestamp(e.installTime()),
          name(e.installOutcome()),
          e.mediaSource(),
          e.campaignId(),
          e.reEngagementAttributionId(),
          e.reEngagementMediaSource(),
          e.reEngagementCampaignId()
        },
        ContractSchemas.ATTRIBUTED_EVENTS);
  }

  public static AttributedEvent attributedEvent(Row r) {
    return new AttributedEvent(
        r.getAs("event_id"),
        r.getAs("app_id"),
        r.getAs("event_name"),
        instant(r, "event_time"),
        instant(r, "received_at"),
        r.getAs("device_key"),
        r.getAs("platform"),
        r.getAs("country"),
        r.getAs("revenue"),
        r.getAs("currency"),
        r.getAs("install_attribution_id"),
        instant(r, "install_time"),
        enumValue(r, "install_outcome", Outcome::valueOf),
        r.getAs("media_source"),
        r.getAs("campaign_id"),
        r.getAs("re_engagement_attribution_id"),
        r.getAs("re_engagement_media_source"),
        r.getAs("re_engagement_campaign_id"));
  }

  public static Row deadLetterRow(DeadLetter d) {
    return new GenericRowWithSchema(
        new Object[] {
          d.rawPayload(),
          seq(d.reasonCodes()),
          seq(d.reasonDetails()),
          d.sourceTopic(),
          d.sourcePartition(),
          d.sourceOffset(),
          timestamp(d.deadLetteredAt())
        },
        ContractSchemas.DEAD_LETTERS);
  }

  public static DeadLetter deadLetter(Row r) {
    return new DeadLetter(
        r.getAs("raw_payload"),
        r.getList(r.fieldIndex("reason_codes")),
        r.getList(r.fieldIndex("reason_details")),
        r.getAs("source_topic"),
        r.getAs("source_partition"),
        r.getAs("source_offset"),
        instant(r, "dead_lettered_at"));
  }

  private static Row eventRow(StructType schema, Event e, Object... specific) {
    Device d = e.device();
    Object[] common = {
      e.eventId(),
      e.eventType().wireName(),
      e.appId(),
      timestamp(e.eventTime()),
      timestamp(e.receivedAt()),
      d.advertisingId(),
      d.vendorId(),
      d.ip(),
      d.userAgent(),
      d.platform(),
      d.osVersion(),
      d.country()
    };
    Object[] values = new Object[common.length + specific.length];
    System.arraycopy(common, 0, values, 0, common.length);
    System.arraycopy(specific, 0, values, common.length, specific.length);
    return new GenericRowWithSchema(values, schema);
  }

  private static Row appEventRow(
      Event e,
      String referrerClickId,
      Timestamp installBeginTime,
      String sdkVersion,
      String deepLinkClickId,
      String eventName,
      Double revenue,
      String currency) {
    return eventRow(
        ContractSchemas.APP_EVENTS,
        e,
        referrerClickId,
        installBeginTime,
        sdkVersion,
        deepLinkClickId,
        eventName,
        revenue,
        currency);
  }

  private static Row contributorRow(Contributor c) {
    return new GenericRowWithSchema(
        new Object[] {
          c.mediaSource(),
          c.campaignId(),
          c.siteId(),
          name(c.touchType()),
          name(c.matchType()),
          c.touchEventId(),
          timestamp(c.touchTime())
        },
        ContractSchemas.CONTRIBUTOR);
  }

  private static Contributor contributor(Row r) {
    return new Contributor(
        r.getAs("media_source"),
        r.getAs("campaign_id"),
        r.getAs("site_id"),
        enumValue(r, "touch_type", TouchType::valueOf),
        enumValue(r, "match_type", MatchType::valueOf),
        r.getAs("touch_event_id"),
        instant(r, "touch_time"));
  }

  private static Device device(Row r) {
    return new Device(
        r.getAs("device_advertising_id"),
        r.getAs("device_vendor_id"),
        r.getAs("device_ip"),
        r.getAs("device_user_agent"),
        r.getAs("device_platform"),
        r.getAs("device_os_version"),
        r.getAs("device_country"));
  }

  private static EventType eventType(Row r) {
    String wire = r.getAs("event_type");
    return EventType.fromWire(wire)
        .orElseThrow(() -> new IllegalArgumentException("unknown event_type: " + wire));
  }

  private static <E extends Enum<E>> E enumValue(
      Row r, String column, Function<String, E> valueOf) {
    String name = r.getAs(column);
    return name == null ? null : valueOf.apply(name);
  }

  private static String name(Enum<?> value) {
    return value == null ? null : value.name();
  }

  private static Timestamp timestamp(Instant instant) {
    return instant == null ? null : Timestamp.from(instant);
  }

  /** Accepts both external types of TimestampType: Timestamp, or Instant under the java8 API. */
  private static Instant instant(Row r, String column) {
    Object value = r.getAs(column);
    if (value == null) {
      return null;
    }
    if (value instanceof Timestamp t) {
      return t.toInstant();
    }
    return (Instant) value;
  }

  private static <T> scala.collection.immutable.Seq<T> seq(List<T> list) {
    return CollectionConverters.asScala(list).toList();
  }
}
