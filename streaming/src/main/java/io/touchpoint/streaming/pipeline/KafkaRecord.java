package io.touchpoint.streaming.pipeline;

import java.sql.Timestamp;
import java.time.Instant;
import org.apache.spark.sql.Row;

/**
 * One row of the Kafka source as both routers read it. {@code clock} is the record's Kafka
 * timestamp (the collector's time when it wrote the record): the validator's clock, so a replay
 * validates exactly like the first attempt, in either query.
 */
record KafkaRecord(byte[] raw, String topic, int partition, long offset, Instant clock) {
  static KafkaRecord of(Row kafka) {
    return new KafkaRecord(
        kafka.getAs("value"),
        kafka.getAs("topic"),
        kafka.<Integer>getAs("partition"),
        kafka.<Long>getAs("offset"),
        kafkaTime(kafka.getAs("timestamp")));
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
