package io.touchpoint.serving.clickhouse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.touchpoint.serving.ServingConfig;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The realtime feed into ClickHouse for an engine that cannot run Kafka engine tables (the embedded
 * chDB): consumes {@code attributions} and {@code attributed-events}, inserts each poll's messages
 * as JSONEachRow batches (at least every flush interval), then commits the offsets. At-least-once:
 * a crash between insert and commit re-inserts, and the realtime tables' ReplacingMergeTree on the
 * deterministic ids (read with FINAL) makes that a no-op. On a ClickHouse server the Kafka engine +
 * materialized views of {@code clickhouse/kafka/} do the same job.
 */
public final class RealtimeFeed implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, String> INSERT_SETTINGS =
      Map.of(
          "date_time_input_format", "best_effort",
          "input_format_skip_unknown_fields", "1",
          "input_format_null_as_default", "1");

  private final ClickHouseHttp ch;
  private final ServingConfig config;
  private final Map<String, String> tableByTopic = new HashMap<>();
  private final Consumer<String> log;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicLong inserted = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private volatile KafkaConsumer<byte[], byte[]> consumer;

  public RealtimeFeed(ClickHouseHttp ch, ServingConfig config, Consumer<String> log) {
    this.ch = ch;
    this.config = config;
    this.log = log;
    tableByTopic.put(config.attributionsTopic(), config.database() + ".rt_attributions");
    tableByTopic.put(config.attributedEventsTopic(), config.database() + ".rt_attributed_events");
  }

  public long inserted() {
    return inserted.get();
  }

  public long rejected() {
    return rejected.get();
  }

  /** Consumes until {@link #close()} (or the thread is interrupted). */
  public void run() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, config.consumerGroup());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(config.maxBatchRows()));
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    Duration flush = config.flushInterval();
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
      consumer = c;
      c.subscribe(List.copyOf(tableByTopic.keySet()));
      log.accept("realtime feed: " + tableByTopic + " (group " + config.consumerGroup() + ")");
      Map<String, List<byte[]>> pending = new HashMap<>();
      int pendingRows = 0;
      long lastFlush = System.nanoTime();
      while (running.get()) {
        ConsumerRecords<byte[], byte[]> records;
        try {
          records =
              c.poll(flush.dividedBy(4).isZero() ? Duration.ofMillis(100) : flush.dividedBy(4));
        } catch (WakeupException e) {
          break;
        }
        for (ConsumerRecord<byte[], byte[]> r : records) {
          byte[] row = row(r);
          if (row != null) {
            pending.computeIfAbsent(r.topic(), t -> new ArrayList<>()).add(row);
            pendingRows++;
          }
        }
        boolean due = System.nanoTime() - lastFlush >= flush.toNanos();
        if ((due && pendingRows > 0)
            || pendingRows >= config.maxBatchRows()
            || (!records.isEmpty() && pendingRows == 0)) {
          flush(pending);
          c.commitSync();
          pending.clear();
          pendingRows = 0;
          lastFlush = System.nanoTime();
        } else if (due) {
          lastFlush = System.nanoTime();
        }
      }
      if (pendingRows > 0) {
        flush(pending);
        c.commitSync();
      }
    } finally {
      consumer = null;
    }
  }

  private byte[] row(ConsumerRecord<byte[], byte[]> r) {
    try {
      JsonNode n = r.value() == null ? null : JSON.readTree(r.value());
      if (!(n instanceof ObjectNode o)) {
        throw new IllegalArgumentException("not a JSON object");
      }
      o.remove("contributors");
      o.put("kafka_partition", r.partition());
      o.put("kafka_offset", r.offset());
      return JSON.writeValueAsBytes(o);
    } catch (Exception e) {
      rejected.incrementAndGet();
      log.accept(
          "realtime feed: skipping "
              + r.topic()
              + "/"
              + r.partition()
              + "@"
              + r.offset()
              + ": "
              + e.getMessage());
      return null;
    }
  }

  private void flush(Map<String, List<byte[]>> pending) {
    for (Map.Entry<String, List<byte[]>> e : pending.entrySet()) {
      String table = tableByTopic.get(e.getKey());
      try {
        insert(table, e.getValue());
        inserted.addAndGet(e.getValue().size());
      } catch (ClickHouseException ex) {
        // one bad row must not block the topic: insert one by one, skip what the engine refuses
        for (byte[] row : e.getValue()) {
          try {
            insert(table, List.of(row));
            inserted.incrementAndGet();
          } catch (ClickHouseException one) {
            rejected.incrementAndGet();
            log.accept(
                "realtime feed: "
                    + table
                    + " refused "
                    + new String(row, StandardCharsets.UTF_8)
                    + ": "
                    + one.getMessage());
          }
        }
      }
    }
  }

  private void insert(String table, List<byte[]> rows) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (byte[] r : rows) {
      body.writeBytes(r);
      body.write('\n');
    }
    StringBuilder settings = new StringBuilder();
    INSERT_SETTINGS.forEach(
        (k, v) ->
            settings
                .append(settings.length() == 0 ? " SETTINGS " : ", ")
                .append(k)
                .append(" = ")
                .append(v.matches("\\d+") ? v : "'" + v + "'"));
    ch.insert("INSERT INTO " + table + settings + " FORMAT JSONEachRow", body.toByteArray());
  }

  @Override
  public void close() {
    running.set(false);
    KafkaConsumer<byte[], byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
  }
}
