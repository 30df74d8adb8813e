package io.touchpoint.streaming.pipeline;

import io.touchpoint.model.Event;
import io.touchpoint.model.validation.EventValidator;
import io.touchpoint.model.validation.ValidationResult;
import io.touchpoint.streaming.StreamingConfig;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Row;

/**
 * The ingest query's only step (no shuffle, no state): every Kafka record becomes one row for the
 * sink, a BRONZE row when valid, a DEAD row (raw bytes + the dead letter with its reasons and
 * source position) when not. Validation is the shared {@link EventValidator} with the record's
 * Kafka timestamp as the clock, exactly as {@link Router} does it, so both queries agree on what is
 * valid and a replay validates alike.
 */
public final class IngestRouter implements MapFunction<Row, Envelope> {
  private static final long serialVersionUID = 1L;

  private final StreamingConfig config;
  private transient EventValidator validator;

  public IngestRouter(StreamingConfig config) {
    this.config = config;
  }

  @Override
  public Envelope call(Row kafka) {
    if (validator == null) {
      validator = new EventValidator(config.validationPolicy());
    }
    KafkaRecord k = KafkaRecord.of(kafka);
    ValidationResult result = validator.validate(k.raw(), k.clock());
    if (!result.isValid()) {
      return Router.deadRow(k, result);
    }
    Event event = result.event();
    String pass = Router.passThrough(k.partition(), k.offset());
    return Router.eventRow(
        event,
        k.raw(),
        Roles.BRONZE,
        pass,
        pass,
        true,
        k.topic(),
        k.partition(),
        k.offset(),
        k.clock());
  }
}
