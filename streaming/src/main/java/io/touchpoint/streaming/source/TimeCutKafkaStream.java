package io.touchpoint.streaming.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.connector.read.streaming.CompositeReadLimit;
import org.apache.spark.sql.connector.read.streaming.MicroBatchStream;
import org.apache.spark.sql.connector.read.streaming.Offset;
import org.apache.spark.sql.connector.read.streaming.ReadLimit;
import org.apache.spark.sql.connector.read.streaming.ReadMaxRows;
import org.apache.spark.sql.connector.read.streaming.ReportsSourceMetrics;
import org.apache.spark.sql.connector.read.streaming.SupportsAdmissionControl;
import org.apache.spark.sql.connector.read.streaming.SupportsTriggerAvailableNow;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spark's Kafka micro-batch stream with a batch capped at one Kafka timestamp ({@link TimeCut}):
 * asks the Kafka stream for the uncapped end, and when the backlog exceeds {@code
 * maxOffsetsPerTrigger} moves every partition's end back to the first record at or after the cut
 * time. Everything else (offsets, checkpoints, reading, metrics) is the Kafka stream's.
 */
final class TimeCutKafkaStream
    implements MicroBatchStream, SupportsTriggerAvailableNow, ReportsSourceMetrics {
  private static final Logger LOG = LoggerFactory.getLogger(TimeCutKafkaStream.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, Map<String, Long>>> OFFSETS =
      new TypeReference<>() {};
  private static final String KAFKA_PREFIX = "kafka.";

  /** How long one ListOffsets request to the brokers may take. */
  static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(60);

  private final MicroBatchStream kafka;
  private final Map<String, String> kafkaParams = new HashMap<>();
  private Admin admin;

  TimeCutKafkaStream(MicroBatchStream kafka, CaseInsensitiveStringMap options) {
    if (!(kafka instanceof SupportsAdmissionControl)) {
      throw new IllegalStateException("the Kafka stream has no admission control: " + kafka);
    }
    this.kafka = kafka;
    options.forEach(
        (k, v) -> {
          if (k.startsWith(KAFKA_PREFIX)) {
            kafkaParams.put(k.substring(KAFKA_PREFIX.length()), v);
          }
        });
  }

  private SupportsAdmissionControl admission() {
    return (SupportsAdmissionControl) kafka;
  }

  @Override
  public Offset latestOffset(Offset start, ReadLimit limit) {
    long cap = maxRows(limit);
    if (cap < 0) {
      return admission().latestOffset(start, limit);
    }
    Offset uncapped = admission().latestOffset(start, ReadLimit.allAvailable());
    if (uncapped == null) {
      return null;
    }
    Map<TopicPartition, Long> from = partitions(start.json());
    Map<TopicPartition, Long> to = partitions(uncapped.json());
    long backlog = TimeCut.rows(from, to);
    if (backlog <= cap) {
      return uncapped;
    }
    if (!from.keySet().containsAll(to.keySet())) {
      LOG.info("new Kafka partitions: this batch reads the whole backlog ({} records)", backlog);
      return uncapped;
    }
    long began = System.nanoTime();
    try {
      KafkaTimeIndex index = new KafkaTimeIndex(admin(), to.keySet(), ADMIN_TIMEOUT);
      Map<TopicPartition, Long> cut = TimeCut.cut(from, to, cap, index.newestTimestamp(), index);
      LOG.info(
          "bounded batch: {} of {} records, every partition cut at one Kafka timestamp ({} ms)",
          TimeCut.rows(from, cut),
          backlog,
          (System.nanoTime() - began) / 1_000_000);
      return kafka.deserializeOffset(json(cut));
    } catch (RuntimeException e) {
      // reading the whole backlog keeps the order; only the bound is lost for this batch
      LOG.warn("could not cut the batch at one time, reading the whole backlog: {}", e.toString());
      return uncapped;
    }
  }

  /** The row cap of a read limit, or -1 when it has none (or asks for everything). */
  static long maxRows(ReadLimit limit) {
    if (limit instanceof ReadMaxRows rows) {
      return rows.maxRows();
    }
    if (limit instanceof CompositeReadLimit composite) {
      long cap = -1;
      for (ReadLimit l : composite.getReadLimits()) {
        if (!(l instanceof ReadMaxRows)) {
          return -1; // a minimum or read-all part: Spark's own handling
        }
        cap = ((ReadMaxRows) l).maxRows();
      }
      return cap;
    }
    return -1;
  }

  private synchronized Admin admin() {
    if (admin == null) {
      admin = KafkaTimeIndex.admin(kafkaParams);
    }
    return admin;
  }

  static Map<TopicPartition, Long> partitions(String offsetJson) {
    try {
      Map<TopicPartition, Long> out = new HashMap<>();
      JSON.readValue(offsetJson, OFFSETS)
          .forEach(
              (topic, byPartition) ->
                  byPartition.forEach(
                      (p, offset) ->
                          out.put(new TopicPartition(topic, Integer.parseInt(p)), offset)));
      return out;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("not a Kafka source offset: " + offsetJson, e);
    }
  }

  static String json(Map<TopicPartition, Long> offsets) {
    Map<String, Map<String, Long>> byTopic = new TreeMap<>();
    offsets.forEach(
        (tp, offset) ->
            byTopic
                .computeIfAbsent(tp.topic(), t -> new TreeMap<>())
                .put(String.valueOf(tp.partition()), offset));
    try {
      return JSON.writeValueAsString(byTopic);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public ReadLimit getDefaultReadLimit() {
    return admission().getDefaultReadLimit();
  }

  @Override
  public Offset reportLatestOffset() {
    return admission().reportLatestOffset();
  }

  @Override
  public void prepareForTriggerAvailableNow() {
    if (kafka instanceof SupportsTriggerAvailableNow availableNow) {
      availableNow.prepareForTriggerAvailableNow();
    }
  }

  @Override
  public Map<String, String> metrics(Optional<Offset> latestConsumedOffset) {
    return kafka instanceof ReportsSourceMetrics m ? m.metrics(latestConsumedOffset) : Map.of();
  }

  @Override
  public Offset latestOffset() {
    return kafka.latestOffset();
  }

  @Override
  public InputPartition[] planInputPartitions(Offset start, Offset end) {
    return kafka.planInputPartitions(start, end);
  }

  @Override
  public PartitionReaderFactory createReaderFactory() {
    return kafka.createReaderFactory();
  }

  @Override
  public Offset initialOffset() {
    return kafka.initialOffset();
  }

  @Override
  public Offset deserializeOffset(String json) {
    return kafka.deserializeOffset(json);
  }

  @Override
  public void commit(Offset end) {
    kafka.commit(end);
  }

  @Override
  public synchronized void stop() {
    try {
      kafka.stop();
    } finally {
      if (admin != null) {
        admin.close(ADMIN_TIMEOUT);
        admin = null;
      }
    }
  }

  @Override
  public String toString() {
    return "TimeCut" + kafka;
  }
}
