package io.touchpoint.streaming.pipeline;

import static io.touchpoint.streaming.TestEvents.LAT_PHONE;
import static io.touchpoint.streaming.TestEvents.PHONE;
import static io.touchpoint.streaming.TestEvents.T;
import static org.assertj.core.api.Assertions.assertThat;

import io.touchpoint.attribution.MatchKeys;
import io.touchpoint.model.DeadLetter;
import io.touchpoint.model.Event;
import io.touchpoint.model.json.ContractJson;
import io.touchpoint.model.spark.ContractRows;
import io.touchpoint.streaming.StreamingConfig;
import io.touchpoint.streaming.TestEvents;
import io.touchpoint.streaming.sink.LakeRows;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
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
  Row ingest(byte[] payload, long offset) {
    Row r = ingest.call(kafka(payload, offset));
    assertThat(r.length()).isEqualTo(IngestRouter.SCHEMA.size());
    Object[] values = new Object[r.length()];
    for (int i = 0; i < values.length; i++) {
      values[i] = r.get(i);
    }
    return new GenericRowWithSchema(values, IngestRouter.SCHEMA);
  }

  static int kind(Row r) {
    return r.getInt(r.fieldIndex(IngestRouter.KIND));
  }

  /** The dead-letter topic's copy of a DEAD row. */
  static DeadLetter topicCopy(Row r) {
    return ContractJson.fromJson(r.<byte[]>getAs(IngestRouter.DEAD_VALUE), DeadLetter.class);
  }

  /** The quarantine row of a DEAD row, read back as the contract's dead letter. */
  static DeadLetter quarantined(Row r) {
    return ContractRows.deadLetter(lakeRow(r, IngestRouter.QUARANTINE));
  }

  /** One of the lake rows of an ingest row, readable by column name (as the encoder makes it). */
  static Row lakeRow(Row r, String column) {
    Row lake = r.getStruct(r.fieldIndex(column));
    StructType schema = (StructType) IngestRouter.SCHEMA.apply(column).dataType();
    assertThat(lake.length()).as("the lake row has the table's columns").isEqualTo(schema.size());
    Object[] values = new Object[lake.length()];
    for (int i = 0; i < values.length; i++) {
      values[i] = lake.get(i);
    }
    return new GenericRowWithSchema(values, schema);
  }

  Row ingest(Event e) {
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
              assertThat(kind(e)).isEqualTo(IngestRouter.DEAD);
              assertThat(new String(e.<byte[]>getAs(IngestRouter.DEAD_KEY), StandardCharsets.UTF_8))
                  .isEqualTo("app-events/2/41");
              // the dead-letter topic's copy (capped, whole for a record this small); the
              // quarantine row: the whole one
              assertThat(topicCopy(e).rawPayload()).isEqualTo(raw);
              DeadLetter d = quarantined(e);
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
              assertThat(topicCopy(e).rawPayload()).isEmpty();
              assertThat(quarantined(e).reasonCodes()).containsExactly("MALFORMED_JSON");
            });
  }

  @Test
  void theValidatorsClockIsTheKafkaTimestampSoReplaysValidateAlike() {
    // received_at two hours after the record's Kafka timestamp: in the future for the collector
    var install = TestEvents.install(PHONE, null, T.plusSeconds(7200));
    assertThat(route(install)).isEmpty();
    assertThat(ingest(install))
        .satisfies(e -> assertThat(quarantined(e).reasonCodes()).contains("TIMESTAMP_IN_FUTURE"));
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
              assertThat(kind(e)).isEqualTo(IngestRouter.TOUCHPOINT);
              Row bronze = lakeRow(e, IngestRouter.BRONZE_TOUCHPOINT);
              assertThat(ContractRows.touchpoint(bronze)).isEqualTo(click);
              assertThat(bronze.<Long>getAs(LakeRows.KAFKA_OFFSET)).isEqualTo(7L);
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
    assertThat(kind(ingest(install))).isEqualTo(IngestRouter.APP_EVENT);
  }

  @Test
  void inAppEventsGoToTheirDeviceAndPlainSessionsOnlyToBronze() {
    assertThat(kind(ingest(TestEvents.session(PHONE, null, T)))).isEqualTo(IngestRouter.APP_EVENT);
    assertThat(kind(ingest(TestEvents.impression(LAT_PHONE, T))))
        .isEqualTo(IngestRouter.TOUCHPOINT);
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
