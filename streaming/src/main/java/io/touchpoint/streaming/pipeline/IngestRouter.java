package io.touchpoint.streaming.pipeline;

import io.touchpoint.model.DeadLetter;
import io.touchpoint.model.Event;
import io.touchpoint.model.Touchpoint;
import io.touchpoint.model.json.ContractJson;
import io.touchpoint.model.validation.DeadLetters;
import io.touchpoint.model.validation.EventValidator;
import io.touchpoint.model.validation.ValidationResult;
import io.touchpoint.streaming.StreamingConfig;
import io.touchpoint.streaming.sink.LakeRows;
import java.nio.charset.StandardCharsets;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The ingest query's only step (no shuffle, no state): every Kafka record is parsed and validated
 * once, by the shared {@link EventValidator} with the record's Kafka timestamp as the clock
 * (exactly as {@link Router} does it, so both queries agree on what is valid and a replay validates
 * alike), and becomes one row of {@link #SCHEMA} holding the typed lake row it lands as: a bronze
 * touchpoint or app event built from the validated event (nothing downstream parses the JSON
 * again), or a quarantine row plus the dead-letter topic's record (the raw bytes, the reasons and
 * the source position).
 */
public final class IngestRouter implements MapFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  /** {@link #KIND} of a valid touchpoint (impression, click): bronze/touchpoints. */
  public static final int TOUCHPOINT = 0;

  /** {@link #KIND} of any other valid event: bronze/app_events. */
  public static final int APP_EVENT = 1;

  /** {@link #KIND} of an invalid record: quarantine and the dead-letter topic. */
  public static final int DEAD = 2;

  public static final String KIND = "kind";
  public static final String RECEIVED_AT = "received_at";
  public static final String BRONZE_TOUCHPOINT = "bronze_touchpoint";
  public static final String BRONZE_APP_EVENT = "bronze_app_event";
  public static final String QUARANTINE = "quarantine";
  public static final String DEAD_KEY = "dead_letter_key";
  public static final String DEAD_VALUE = "dead_letter_value";

  /** One row per Kafka record; exactly one of the three lake rows is set, as {@link #KIND} says. */
  public static final StructType SCHEMA =
      new StructType()
          .add(KIND, DataTypes.IntegerType, false)
          .add(RECEIVED_AT, DataTypes.LongType, true)
          .add(BRONZE_TOUCHPOINT, LakeRows.withoutBatchId(LakeRows.BRONZE_TOUCHPOINTS), true)
          .add(BRONZE_APP_EVENT, LakeRows.withoutBatchId(LakeRows.BRONZE_APP_EVENTS), true)
          .add(QUARANTINE, LakeRows.withoutBatchId(LakeRows.QUARANTINE), true)
          .add(DEAD_KEY, DataTypes.BinaryType, true)
          .add(DEAD_VALUE, DataTypes.BinaryType, true);

  private final StreamingConfig config;
  private transient EventValidator validator;

  public IngestRouter(StreamingConfig config) {
    this.config = config;
  }

  @Override
  public Row call(Row kafka) {
    if (validator == null) {
      validator = new EventValidator(config.validationPolicy());
    }
    KafkaRecord k = KafkaRecord.of(kafka);
    ValidationResult result = validator.validate(k.raw(), k.clock());
    if (!result.isValid()) {
      DeadLetter dead =
          DeadLetters.of(
              k.raw(), result.violations(), k.topic(), k.partition(), k.offset(), k.clock());
      return RowFactory.create(
          DEAD,
          null,
          null,
          null,
          LakeRows.quarantine(dead, k.topic(), k.partition(), k.offset(), k.clock()),
          (k.topic() + "/" + k.partition() + "/" + k.offset()).getBytes(StandardCharsets.UTF_8),
          // the dead-letter topic's copy is capped (DeadLetters.forTopic); quarantine keeps all
          ContractJson.toBytes(DeadLetters.forTopic(dead)));
    }
    Event event = result.event();
    Row bronze = LakeRows.bronze(event, k.topic(), k.partition(), k.offset(), k.clock());
    boolean touch = event instanceof Touchpoint;
    return RowFactory.create(
        touch ? TOUCHPOINT : APP_EVENT,
        event.receivedAt().toEpochMilli(),
        touch ? bronze : null,
        touch ? null : bronze,
        null,
        null,
        null);
  }
}
