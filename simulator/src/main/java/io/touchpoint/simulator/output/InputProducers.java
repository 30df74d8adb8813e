package io.touchpoint.simulator.output;

import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The settings every writer of input records uses (simulator, tests, chaos and fuzz runs): the
 * speed layer's tests compare runs record by record, so a record lost or written twice on the way
 * into Kafka would read as a speed-layer fault.
 */
public final class InputProducers {
  /**
   * Room for the oversize test payloads (> 64 KiB) that must reach the topic to be dead-lettered.
   */
  public static final int MAX_REQUEST_BYTES = 1024 * 1024 + 64 * 1024;

  private InputProducers() {}

  /**
   * Idempotent, acks=all, one request in flight. One in flight: a first request refused while the
   * broker applies a new or moved partition can then not be overtaken by a later one, which would
   * leave it "out of order" until its delivery timeout (KAFKA-15591, see local KafkaTopics).
   */
  public static Properties lossless(String bootstrapServers, String clientId, int lingerMs) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
    p.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_REQUEST_BYTES);
    return p;
  }

  public static Producer<byte[], byte[]> create(Properties settings) {
    return new KafkaProducer<>(settings, new ByteArraySerializer(), new ByteArraySerializer());
  }
}
