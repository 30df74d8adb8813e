package io.touchpoint.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.touchpoint.local.test.EmbeddedStack;
import io.touchpoint.local.test.StackHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

@EmbeddedStack(services = Service.KAFKA)
class KafkaBrokerTest {

  @Test
  void contractTopicsExistWithTheConfiguredPartitions(StackHandle stack) throws Exception {
    try (Admin a =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap()))) {
      Map<String, TopicDescription> d =
          a.describeTopics(stack.config().kafkaTopics).allTopicNames().get(10, TimeUnit.SECONDS);
      assertThat(d.keySet())
          .containsExactlyInAnyOrder(
              "touchpoints", "app-events", "attributions", "attributed-events", "dead-letter");
      assertThat(d.values())
          .allSatisfy(t -> assertThat(t.partitions()).hasSize(stack.config().kafkaPartitions));
    }
  }

  @Test
  void aTopicIsLedOnEveryPartitionWhenCreateAndAwaitReturns(StackHandle stack) throws Exception {
    String name = stack.uniqueName("led").replace('_', '-');
    try (Admin a =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap()))) {
      KafkaTopics.createAndAwait(
          a, List.of(new NewTopic(name, 3, (short) 1)), Duration.ofSeconds(30));
      TopicDescription d =
          a.describeTopics(List.of(name)).allTopicNames().get(10, TimeUnit.SECONDS).get(name);
      assertThat(d.partitions()).hasSize(3).allSatisfy(p -> assertThat(p.leader()).isNotNull());
    }
  }

  @Test
  void recordsProducedToTheBrokerAreConsumedBackInKeyOrderPerPartition(StackHandle stack) {
    String topic = stack.newTopic("roundtrip");
    try (KafkaProducer<String, String> p =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.kafkaBootstrap(),
                ProducerConfig.ACKS_CONFIG,
                "all"),
            new StringSerializer(),
            new StringSerializer())) {
      for (int i = 0; i < 20; i++) {
        p.send(new ProducerRecord<>(topic, "device-" + (i % 3), "event-" + i));
      }
      p.flush();
    }
    List<ConsumerRecord<String, String>> got = new ArrayList<>();
    try (KafkaConsumer<String, String> c =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, stack.uniqueName("group"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
            new StringDeserializer(),
            new StringDeserializer())) {
      c.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (got.size() < 20 && System.nanoTime() < deadline) {
        c.poll(Duration.ofMillis(500)).forEach(got::add);
      }
    }
    assertThat(got).hasSize(20);
    // a device's events share a partition and keep their order
    for (String device : List.of("device-0", "device-1", "device-2")) {
      List<ConsumerRecord<String, String>> mine =
          got.stream().filter(r -> r.key().equals(device)).toList();
      assertThat(mine.stream().map(ConsumerRecord::partition).distinct()).hasSize(1);
      assertThat(mine.stream().map(r -> Integer.parseInt(r.value().substring(6))).toList())
          .isSorted();
    }
  }
}
