package io.touchpoint.streaming.pipeline;

import static io.touchpoint.streaming.TestEvents.LAT_PHONE;
import static io.touchpoint.streaming.TestEvents.PHONE;
import static io.touchpoint.streaming.TestEvents.T;
import static org.assertj.core.api.Assertions.assertThat;

import io.touchpoint.attribution.MatchKeys;
import io.touchpoint.model.DeadLetter;
import io.touchpoint.model.Event;
import io.touchpoint.model.json.ContractJson;
import io.touchpoint.streaming.StreamingConfig;
import io.touchpoint.streaming.TestEvents;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class RouterTest {
  static final StructType KAFKA =
      new StructType()
          .add("key", DataTypes.BinaryType)
          .add("value", DataTypes.BinaryType)
          .add("topic", DataTypes.StringType)
          .add("partition", DataTypes.IntegerType)
          .add("offset", DataTypes.LongType)
          .add("timestamp", DataTypes.TimestampType);

  final StreamingConfig config = StreamingConfig.load(null, List.of());
  final Router router = new Router(config);
  final IngestRouter ingest = new IngestRouter(config);

  static GenericRowWithSchema kafka(byte[] payload, long offset) {
    return new GenericRowWithSchema(
        new Object[] {null, payload, "app-events", 2, offset, Timestamp.from(T.plusSeconds(30))},
        KAFKA);
  }

  List<Envelope> route(byte[] payload, long offset) {
    List<Envelope> out = new ArrayList<>();
    router.call(kafka(payload, offset)).forEachRemaining(out::add);
    return out;
  }

  /** The ingest query's one row for the record. */
  Envelope ingest(byte[] payload, long offset) {
    return ingest.call(kafka(payload, offset));
  }

  Envelope ingest(Event e) {
    return ingest(ContractJson.toBytes(e), 7);
  }

  List<Envelope> route(Event e) {
    return route(ContractJson.toBytes(e), 7);
  }

  @Test
  void anInvalidRecordBecomesOneDeadLetterWithEveryReasonAndItsPosition() {
    byte[] raw =
        "{\"event_id\":\"nope\",\"event_type\":\"install\"}".getBytes(StandardCharsets.UTF_8);
    assertThat(route(raw, 41)).as("the attribution query skips it").isEmpty();
    assertThat(ingest(raw, 41))
        .satisfies(
            e -> {
              assertThat(e.getRole()).isEqualTo(Roles.DEAD);
              assertThat(e.getEventId()).isEqualTo("app-events/2/41");
              // payload: the dead-letter topic's copy (capped, whole for a record this small);
              // extra: the whole one
              assertThat(ContractJson.fromJson(e.getPayload(), DeadLetter.class).rawPayload())
                  .isEqualTo(raw);
              DeadLetter d = ContractJson.fromJson(e.getExtra(), DeadLetter.class);
              assertThat(d.rawPayload()).isEqualTo(raw);
              assertThat(d.reasonCodes()).contains("BAD_UUID", "MISSING_FIELD");
              assertThat(d.sourceTopic()).isEqualTo("app-events");
              assertThat(d.sourcePartition()).isEqualTo(2);
              assertThat(d.sourceOffset()).isEqualTo(41L);
              assertThat(d.deadLetteredAt()).isEqualTo(T.plusSeconds(30));
            });
    assertThat(ingest(null, 42))
        .satisfies(
            e -> {
              assertThat(ContractJson.fromJson(e.getPayload(), DeadLetter.class).rawPayload())
                  .isEmpty();
              assertThat(ContractJson.fromJson(e.getExtra(), DeadLetter.class).reasonCodes())
                  .containsExactly("MALFORMED_JSON");
            });
  }

  @Test
  void theValidatorsClockIsTheKafkaTimestampSoReplaysValidateAlike() {
    // received_at two hours after the record's Kafka timestamp: in the future for the collector
    var install = TestEvents.install(PHONE, null, T.plusSeconds(7200));
    assertThat(route(install)).isEmpty();
    assertThat(ingest(install))
        .satisfies(
            e ->
                assertThat(ContractJson.fromJson(e.getExtra(), DeadLetter.class).reasonCodes())
                    .contains("TIMESTAMP_IN_FUTURE"));
  }

  @Test
  void aClickGoesToEachOfItsMatchKeysAndOnceToBronze() {
    var click = TestEvents.click(LAT_PHONE, "c1", T);
    List<Envelope> out = route(click);
    assertThat(out).extracting(Envelope::getRole).containsExactly(Roles.TOUCH, Roles.TOUCH);
    assertThat(out)
        .extracting(Envelope::getKey)
        .containsExactly("C|com.example.game|c1", "P|com.example.game|203.0.113.8|iPhone|17");
    assertThat(out).allSatisfy(e -> assertThat(e.getTarget()).startsWith(Roles.PASS_THROUGH));
    assertThat(ingest(click))
        .satisfies(
            e -> {
              assertThat(e.getRole()).isEqualTo(Roles.BRONZE);
              assertThat(e.getEventId()).isEqualTo(click.eventId());
              assertThat(e.getOffset()).isEqualTo(7L);
            });
  }

  @Test
  void aCandidateProbesItsKeysAndTravelsItselfToItsDevice() {
    var install = TestEvents.install(PHONE, "c1", T);
    List<Envelope> out = route(install);
    String device = MatchKeys.device(TestEvents.APP, PHONE);
    assertThat(out)
        .extracting(Envelope::getRole)
        .containsExactly(Roles.PROBE, Roles.PROBE, Roles.PROBE, Roles.CANDIDATE);
    assertThat(out)
        .allSatisfy(
            e -> {
              assertThat(e.getTarget()).isEqualTo(device);
              assertThat(e.getEventId()).isEqualTo(install.eventId());
              assertThat(e.getReceivedAt()).isEqualTo(install.receivedAt().toEpochMilli());
            });
    assertThat(out.get(3).getKey()).startsWith(Roles.PASS_THROUGH);
    assertThat(ingest(install).getRole()).isEqualTo(Roles.BRONZE);
  }

  @Test
  void inAppEventsGoToTheirDeviceAndPlainSessionsOnlyToBronze() {
    assertThat(ingest(TestEvents.session(PHONE, null, T)).getRole()).isEqualTo(Roles.BRONZE);
    assertThat(ingest(TestEvents.impression(LAT_PHONE, T)).getRole()).isEqualTo(Roles.BRONZE);
    assertThat(route(TestEvents.purchase(PHONE, T)))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getRole()).isEqualTo(Roles.IN_APP);
              assertThat(e.getTarget()).isEqualTo(MatchKeys.device(TestEvents.APP, PHONE));
            });
    assertThat(route(TestEvents.session(PHONE, null, T))).isEmpty();
    assertThat(route(TestEvents.session(PHONE, "dl-1", T)))
        .extracting(Envelope::getRole)
        .contains(Roles.CANDIDATE);
    assertThat(route(TestEvents.impression(LAT_PHONE, T))).isEmpty();
  }
}
