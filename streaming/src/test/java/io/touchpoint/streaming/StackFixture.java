package io.touchpoint.streaming;

import io.touchpoint.local.test.StackHandle;
import io.touchpoint.model.json.ContractJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.spark.sql.SparkSession;

/** Test plumbing around the embedded stack: a Spark session on s3a, fresh topics and config. */
final class StackFixture {
  final StackHandle stack;
  final String bucket;
  final String touchpoints;
  final String appEvents;
  final String attributions;
  final String attributedEvents;
  final String deadLetter;

  StackFixture(StackHandle stack, String name) {
    this.stack = stack;
    this.bucket = stack.newBucket(name);
    this.touchpoints = stack.newTopic(name + "-touchpoints");
    this.appEvents = stack.newTopic(name + "-app-events");
    this.attributions = stack.newTopic(name + "-attributions");
    this.attributedEvents = stack.newTopic(name + "-attributed-events");
    this.deadLetter = stack.newTopic(name + "-dead-letter");
  }

  /** One session per test class: local[2], no UI, few shuffle partitions, Delta, RocksDB, s3a. */
  static SparkSession spark(StackHandle stack) {
    SparkSession.Builder b =
        SparkSession.builder()
            .master("local[2]")
            .appName("streaming-test")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.default.parallelism", "4")
            .config("spark.sql.streaming.stateStore.providerClass", StreamingJob.ROCKSDB)
            .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
            .config(
                "spark.sql.catalog.spark_catalog",
                "org.apache.spark.sql.delta.catalog.DeltaCatalog")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.databricks.delta.snapshotPartitions", "2")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1");
    for (Map.Entry<String, String> e : stack.s3aConf().entrySet()) {
      b = b.config("spark.hadoop." + e.getKey(), e.getValue());
    }
    return b.getOrCreate();
  }

  String lakeRoot() {
    return "s3a://" + bucket + "/lake";
  }

  Map<String, String> topicMap() {
    return SimulatedRun.topicMap(touchpoints, appEvents);
  }

  /** The job's --conf overrides for this fixture. */
  List<String> overrides(String checkpointName, String rulesFile) {
    List<String> o =
        new ArrayList<>(
            List.of(
                "kafka.bootstrap-servers=" + stack.kafkaBootstrap(),
                "kafka.topics.touchpoints=" + touchpoints,
                "kafka.topics.app-events=" + appEvents,
                "kafka.topics.attributions=" + attributions,
                "kafka.topics.attributed-events=" + attributedEvents,
                "kafka.topics.dead-letter=" + deadLetter,
                "lake.root=" + lakeRoot(),
                "lake.s3a.endpoint=" + stack.s3Endpoint(),
                "lake.s3a.access-key=" + stack.s3AccessKey(),
                "lake.s3a.secret-key=" + stack.s3SecretKey(),
                "lake.s3a.region=" + stack.s3Region(),
                "checkpoint=s3a://" + bucket + "/checkpoints/" + checkpointName,
                "trigger-interval=0s"));
    if (rulesFile != null) {
      o.add("rules-file=" + rulesFile);
    }
    return o;
  }

  /** Every record of a topic, from the beginning to its end now. */
  List<ConsumerRecord<byte[], byte[]>> readTopic(String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts =
          c.partitionsFor(topic).stream()
              .map(i -> new TopicPartition(topic, i.partition()))
              .toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("could not read " + topic + " to its end");
        }
        c.poll(Duration.ofMillis(500)).forEach(all::add);
      }
    }
    return all;
  }

  /** Sum of the topics' end offsets over their partitions (records written, as Kafka counts). */
  long endOffsetSum(String... topics) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      long n = 0;
      for (String topic : topics) {
        List<TopicPartition> parts =
            c.partitionsFor(topic).stream()
                .map(i -> new TopicPartition(topic, i.partition()))
                .toList();
        n += c.endOffsets(parts).values().stream().mapToLong(Long::longValue).sum();
      }
      return n;
    }
  }

  /**
   * Writes records again to their topic with the same key, value and headers: what the Kafka sink
   * does when a micro-batch is replayed after a crash (it is at least once).
   */
  void rewrite(List<ConsumerRecord<byte[], byte[]>> records) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (ConsumerRecord<byte[], byte[]> r : records) {
        producer.send(new ProducerRecord<>(r.topic(), null, r.key(), r.value(), r.headers()));
      }
      producer.flush();
    }
  }

  static <T> List<T> values(List<ConsumerRecord<byte[], byte[]>> records, Class<T> type) {
    return records.stream().map(r -> ContractJson.fromJson(r.value(), type)).toList();
  }
}
