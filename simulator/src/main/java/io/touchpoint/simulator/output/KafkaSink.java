package io.touchpoint.simulator.output;

import io.touchpoint.model.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Produces records to the contract's topics in arrival order, keyed by device, at a target rate.
 * Idempotent producer (no duplicates from retries: the only duplicates are the simulated ones),
 * lz4, a small linger for batching. Record timestamps are left to the producer (now): simulated
 * event times lie in the past and would fall out of topic retention at once.
 */
public final class KafkaSink implements RecordSink {
  private final Producer<byte[], byte[]> producer;
  private final Map<String, String> topicNames;
  private final Pacer pacer;
  private final AtomicReference<Exception> failure = new AtomicReference<>();
  private long sent;

  public KafkaSink(Producer<byte[], byte[]> producer, Map<String, String> topicNames, double rate) {
    this.producer = producer;
    this.topicNames = Map.copyOf(topicNames);
    this.pacer = new Pacer(rate);
  }

  /** The contract topic names, or others for tests and side-by-side runs. */
  public static Map<String, String> topics(String touchpoints, String appEvents) {
    return Map.of(Topics.TOUCHPOINTS, touchpoints, Topics.APP_EVENTS, appEvents);
  }

  public static Producer<byte[], byte[]> producer(String bootstrapServers) {
    Properties p = InputProducers.lossless(bootstrapServers, "touchpoint-simulator", 20);
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
    return InputProducers.create(p);
  }

  @Override
  public void accept(OutRecord record, long position) throws IOException {
    throwIfFailed();
    try {
      pacer.await(sent);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while pacing", e);
    }
    String topic = topicNames.get(record.topic());
    producer.send(
        new ProducerRecord<>(
            topic, record.key().getBytes(StandardCharsets.UTF_8), record.payload()),
        (metadata, e) -> {
          if (e != null) {
            failure.compareAndSet(null, e);
          }
        });
    sent++;
  }

  @Override
  public void close() throws IOException {
    try {
      producer.flush();
    } finally {
      producer.close();
    }
    throwIfFailed();
  }

  private void throwIfFailed() throws IOException {
    Exception e = failure.get();
    if (e != null) {
      throw new IOException("Kafka produce failed: " + e.getMessage(), e);
    }
  }
}
