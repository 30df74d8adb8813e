package io.touchpoint.streaming.sink;

import io.touchpoint.model.AttributedEvent;
import io.touchpoint.model.Attribution;
import io.touchpoint.model.DeadLetter;
import io.touchpoint.model.Event;
import io.touchpoint.model.LakeTables;
import io.touchpoint.model.Touchpoint;
import io.touchpoint.model.json.ContractJson;
import io.touchpoint.model.spark.ContractRows;
import io.touchpoint.model.spark.ContractSchemas;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The speed layer's Delta rows: the contract's columns ({@link ContractSchemas}, built by {@link
 * ContractRows}) followed by the partition date and, for bronze and quarantine, where the record
 * was read (Kafka topic, partition, offset, timestamp) and the micro-batch.
 */
public final class LakeRows {
  public static final String DEAD_LETTER_DATE = "dead_letter_date";
  public static final String KAFKA_TOPIC = "_kafka_topic";
  public static final String KAFKA_PARTITION = "_kafka_partition";
  public static final String KAFKA_OFFSET = "_kafka_offset";
  public static final String KAFKA_TIMESTAMP = "_kafka_timestamp";
  public static final String BATCH_ID = "_batch_id";

  private static final StructField[] INGEST = {
    DataTypes.createStructField(KAFKA_TOPIC, DataTypes.StringType, false),
    DataTypes.createStructField(KAFKA_PARTITION, DataTypes.IntegerType, false),
    DataTypes.createStructField(KAFKA_OFFSET, DataTypes.LongType, false),
    DataTypes.createStructField(KAFKA_TIMESTAMP, DataTypes.TimestampType, false),
    DataTypes.createStructField(BATCH_ID, DataTypes.LongType, false),
  };

  public static final StructType BRONZE_TOUCHPOINTS =
      withDate(ContractSchemas.TOUCHPOINTS, LakeTables.EVENT_DATE, true);
  public static final StructType BRONZE_APP_EVENTS =
      withDate(ContractSchemas.APP_EVENTS, LakeTables.EVENT_DATE, true);
  public static final StructType QUARANTINE =
      withDate(ContractSchemas.DEAD_LETTERS, DEAD_LETTER_DATE, true);
  public static final StructType ATTRIBUTIONS =
      withDate(ContractSchemas.ATTRIBUTIONS, LakeTables.EVENT_DATE, false);
  public static final StructType ATTRIBUTED_EVENTS =
      withDate(ContractSchemas.ATTRIBUTED_EVENTS, LakeTables.EVENT_DATE, false);

  private LakeRows() {}

  /**
   * A bronze row without its micro-batch (added by the writer, BatchWriter): the contract columns
   * of the validated event, its date and where it was read.
   */
  public static Row bronze(Event event, String topic, int partition, long offset, Instant kafkaTs) {
    Row contract =
        event instanceof Touchpoint t
            ? ContractRows.touchpointRow(t)
            : ContractRows.appEventRow(event);
    return append(
        contract,
        utcDate(event.eventTime()),
        topic,
        partition,
        offset,
        new Timestamp(kafkaTs.toEpochMilli()));
  }

  /** A quarantine row without its micro-batch (added by the writer, BatchWriter). */
  public static Row quarantine(
      DeadLetter d, String topic, int partition, long offset, Instant kafkaTs) {
    return append(
        ContractRows.deadLetterRow(d),
        utcDate(d.deadLetteredAt()),
        topic,
        partition,
        offset,
        new Timestamp(kafkaTs.toEpochMilli()));
  }

  /** An ingest table's schema without its last column, the micro-batch ({@link #BATCH_ID}). */
  public static StructType withoutBatchId(StructType ingestTable) {
    StructField[] f = ingestTable.fields();
    if (!BATCH_ID.equals(f[f.length - 1].name())) {
      throw new IllegalArgumentException("not an ingest table's schema: " + ingestTable);
    }
    return new StructType(Arrays.copyOf(f, f.length - 1));
  }

  /** A speed/attributions row from the attributions topic's value (contract JSON). */
  public static Row attribution(byte[] json) {
    Attribution a = ContractJson.fromJson(json, Attribution.class);
    return append(ContractRows.attributionRow(a), utcDate(a.eventTime()));
  }

  /** A speed/attributed_events row from the attributed-events topic's value (contract JSON). */
  public static Row attributedEvent(byte[] json) {
    AttributedEvent a = ContractJson.fromJson(json, AttributedEvent.class);
    return append(ContractRows.attributedEventRow(a), utcDate(a.eventTime()));
  }

  private static LocalDate utcDate(Instant t) {
    return LocalDate.ofInstant(t, ZoneOffset.UTC);
  }

  private static Row append(Row contract, Object... extra) {
    Object[] values = new Object[contract.length() + extra.length];
    for (int i = 0; i < contract.length(); i++) {
      values[i] = contract.get(i);
    }
    System.arraycopy(extra, 0, values, contract.length(), extra.length);
    return RowFactory.create(values);
  }

  private static StructType withDate(StructType contract, String dateColumn, boolean ingest) {
    StructField[] fields =
        Arrays.copyOf(
            contract.fields(), contract.fields().length + 1 + (ingest ? INGEST.length : 0));
    fields[contract.fields().length] =
        DataTypes.createStructField(dateColumn, DataTypes.DateType, false);
    if (ingest) {
      System.arraycopy(INGEST, 0, fields, contract.fields().length + 1, INGEST.length);
    }
    return new StructType(fields);
  }
}
