package io.touchpoint.bench.stream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.touchpoint.model.json.ContractJson;
import io.touchpoint.simulator.output.OutRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes simulated records into the benchmark's topics: all at once (the backlog for the catch-up
 * and raw-consume measures) or at a fixed rate with each valid record's times shifted so that its
 * {@code received_at} is the moment it is sent (latency = output broker time minus that).
 */
final class RecordProducer {
  private static final List<String> TIME_FIELDS =
      List.of("event_time", "received_at", "install_begin_time");
  private static final int LINGER_MS = 5;
  private static final int MAX_REQUEST_BYTES = 1024 * 1024;
  private final String bootstrap;
  private final Map<String, String> topics;

  /**
   * @param topics contract topic name -> the benchmark's topic
   */
  RecordProducer(String bootstrap, Map<String, String> topics) {
    this.bootstrap = bootstrap;
    this.topics = topics;
  }

  /** Everything as fast as the broker takes it, times unchanged; waits for the acks. */
  void produceAll(List<OutRecord> records) {
    try (KafkaProducer<byte[], byte[]> p = producer()) {
      for (OutRecord r : records) {
        p.send(new ProducerRecord<>(topics.get(r.topic()), r.key().getBytes(), r.payload()));
      }
      p.flush();
    }
  }

  /**
   * {@code rate} records per second until the records run out or {@code stop} says so. Returns how
   * many were sent.
   */
  long produceAtRate(List<OutRecord> records, int rate, BooleanSupplier stop)
      throws InterruptedException {
    long sent = 0;
    try (KafkaProducer<byte[], byte[]> p = producer()) {
      long start = System.nanoTime();
      for (OutRecord r : records) {
        if (stop.getAsBoolean()) {
          break;
        }
        long wait = start + (long) (sent * 1e9 / rate) - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        byte[] payload =
            r.isMalformed()
                ? r.payload()
                : shifted(r.payload(), System.currentTimeMillis() - r.arrivalMillis());
        p.send(new ProducerRecord<>(topics.get(r.topic()), r.key().getBytes(), payload));
        sent++;
      }
      p.flush();
    }
    return sent;
  }

  private KafkaProducer<byte[], byte[]> producer() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.LINGER_MS_CONFIG, LINGER_MS);
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_REQUEST_BYTES);
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static byte[] shifted(byte[] payload, long byMillis) {
    try {
      ObjectNode n = (ObjectNode) ContractJson.mapper().readTree(payload);
      for (String field : TIME_FIELDS) {
        if (n.hasNonNull(field)) {
          Instant t = ContractJson.parseInstant(n.get(field).asText()).plusMillis(byMillis);
          n.put(field, ContractJson.formatInstant(t));
        }
      }
      return ContractJson.mapper().writeValueAsBytes(n);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
