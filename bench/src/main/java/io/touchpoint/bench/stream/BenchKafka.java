package io.touchpoint.bench.stream;

import io.touchpoint.local.KafkaTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** The benchmark's plain Kafka clients: topic creation, end offsets, reading a topic to its end. */
final class BenchKafka {
  private static final int POLL_RECORDS = 5000;
  private final String bootstrap;

  BenchKafka(String bootstrap) {
    this.bootstrap = bootstrap;
  }

  String bootstrap() {
    return bootstrap;
  }

  void createTopic(String name, int partitions) {
    try (Admin a = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      KafkaTopics.createAndAwait(
          a, List.of(new NewTopic(name, partitions, (short) 1)), Duration.ofSeconds(30));
    } catch (Exception e) {
      throw new IllegalStateException("cannot create topic " + name + ": " + e.getMessage(), e);
    }
  }

  /** Sum of the latest offsets of the topics' partitions (records written so far). */
  long endOffsetSum(List<String> topics) {
    try (KafkaConsumer<byte[], byte[]> c = consumer()) {
      return c.endOffsets(partitions(c, topics)).values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /** Reads the topics from the beginning to their current end; returns how many records. */
  long readAll(List<String> topics, Consumer<ConsumerRecord<byte[], byte[]>> each) {
    long n = 0;
    try (KafkaConsumer<byte[], byte[]> c = consumer()) {
      List<TopicPartition> parts = partitions(c, topics);
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
          each.accept(r);
          n++;
        }
      }
    }
    return n;
  }

  private KafkaConsumer<byte[], byte[]> consumer() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, POLL_RECORDS);
    return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private static List<TopicPartition> partitions(KafkaConsumer<?, ?> c, List<String> topics) {
    List<TopicPartition> parts = new ArrayList<>();
    topics.forEach(
        t -> c.partitionsFor(t).forEach(i -> parts.add(new TopicPartition(t, i.partition()))));
    return parts;
  }
}
