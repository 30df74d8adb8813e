package io.touchpoint.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.touchpoint.local.Service;
import io.touchpoint.local.test.EmbeddedStack;
import io.touchpoint.local.test.StackHandle;
import io.touchpoint.model.json.ContractJson;
import io.touchpoint.simulator.SimulationParams;
import io.touchpoint.simulator.output.OutRecord;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
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
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The speed layer's benchmark (not part of the test suite: runs only with
 * {@code -Dtouchpoint.bench=true}). Three measurements on the embedded stack:
 *
 * <ol>
 *   <li>raw consume rate: a plain KafkaConsumer reading the simulated topics (the ceiling);
 *   <li>catch-up throughput: the job draining the same records already in Kafka, in micro-batches
 *       of {@code bench.batch} records (sustainable rate: lag does not grow below it);
 *   <li>latency at a fixed rate: records produced live at {@code bench.rate}/s for
 *       {@code bench.seconds}, their times shifted to now; latency = the output record's broker
 *       timestamp minus the input's {@code received_at} (attributions and attributed events).
 * </ol>
 *
 * Writes {@code bench/results/stream-<date>.json} (repository root).
 */
@EmbeddedStack(services = {Service.KAFKA, Service.S3})
@EnabledIfSystemProperty(named = "touchpoint.bench", matches = "true")
class StreamBenchmark {
  final int devices = Integer.getInteger("bench.devices", 20_000);
  final int batch = Integer.getInteger("bench.batch", 200_000);
  final int rate = Integer.getInteger("bench.rate", 10_000);
  final int seconds = Integer.getInteger("bench.seconds", 60);

  @Test
  void bench(StackHandle stack, @TempDir Path simDir) throws Exception {
    SimulatedRun sim = SimulatedRun.simulate(simDir, SimulationParams.defaults().withSize(devices, 3)
        .withShares(0.005, 0.02, 0.01));
    List<OutRecord> records = sim.records;
    SparkSession spark = StackFixture.spark(stack);
    Map<String, Object> result = new LinkedHashMap<>();

    // 1 + 2: catch-up over records already in Kafka
    StackFixture t1 = new StackFixture(stack, "bench-catchup");
    SimulatedRun.produce(stack.kafkaBootstrap(), t1.topicMap(), records);
    long t0 = System.nanoTime();
    long consumed = rawConsume(stack.kafkaBootstrap(), List.of(t1.touchpoints, t1.appEvents));
    double rawEps = consumed / ((System.nanoTime() - t0) / 1e9);
    List<StreamingQueryProgress> progress = new CopyOnWriteArrayList<>();
    StreamingQueryListener listener = collect(progress);
    spark.streams().addListener(listener);
    List<String> o = t1.overrides("catchup", sim.rulesOverlay().toString());
    o.add("kafka.max-offsets-per-trigger=" + batch);
    StreamingConfig catchup = StreamingConfig.load(null, o);
    long s0 = System.nanoTime();
    assertThat(StreamingJob.run(spark, catchup, StreamingJob.RunOptions.caughtUp())).isZero();
    double wall = (System.nanoTime() - s0) / 1e9;
    long rows = progress.stream().mapToLong(StreamingQueryProgress::numInputRows).sum();
    // steady state: every batch after the first (JIT, state store and table creation)
    List<StreamingQueryProgress> steady = progress.stream().filter(p -> p.batchId() > 0 && p.numInputRows() > 0).toList();
    long steadyRows = steady.stream().mapToLong(StreamingQueryProgress::numInputRows).sum();
    long steadyMs = steady.stream().mapToLong(p -> p.durationMs().get("triggerExecution")).sum();
    double eps = steadyMs == 0 ? rows / wall : steadyRows * 1000.0 / steadyMs;

    // 3: latency at a fixed rate, live
    StackFixture t2 = new StackFixture(stack, "bench-live");
    List<String> live = t2.overrides("live", sim.rulesOverlay().toString());
    live.add("trigger-interval=0s");
    StreamingConfig liveConfig = StreamingConfig.load(null, live);
    StreamingQuery q = StreamingJob.start(spark, liveConfig, false);
    int n = Math.min(records.size(), rate * seconds);
    long produceStart = System.nanoTime();
    produceLive(stack.kafkaBootstrap(), t2.topicMap(), records.subList(0, n), rate);
    double produceSecs = (System.nanoTime() - produceStart) / 1e9;
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    while (q.status().isDataAvailable() || q.lastProgress() == null || q.lastProgress().numInputRows() > 0) {
      if (System.nanoTime() > deadline) {
        break;
      }
      q.awaitTermination(2000);
    }
    q.stop();
    spark.streams().removeListener(listener);
    List<Long> latencies = new ArrayList<>();
    for (String topic : List.of(t2.attributions, t2.attributedEvents)) {
      for (ConsumerRecord<byte[], byte[]> r : t2.readTopic(topic)) {
        ObjectNode json = (ObjectNode) ContractJson.mapper().readTree(r.value());
        latencies.add(r.timestamp() - ContractJson.parseInstant(json.get("received_at").asText()).toEpochMilli());
      }
    }
    Collections.sort(latencies);

    result.put("benchmark", "stream");
    result.put("date", LocalDate.now().toString());
    result.put("events_per_second", Math.round(eps));
    result.put("p50_latency_ms", pct(latencies, 0.50));
    result.put("p95_latency_ms", pct(latencies, 0.95));
    result.put("p99_latency_ms", pct(latencies, 0.99));
    result.put("raw_consume_eps", Math.round(rawEps));
    result.put("latency_rate_eps", rate);
    result.put("latency_achieved_produce_eps", Math.round(n / produceSecs));
    result.put("latency_samples", latencies.size());
    result.put("catchup_records", rows);
    result.put("catchup_wall_s", Math.round(wall));
    result.put("catchup_batches", progress.size());
    result.put("config", Map.of("devices", devices, "records", records.size(), "max_offsets_per_trigger", batch,
        "shuffle_partitions", 4, "master", "local[2]", "partitions_per_topic", stack.config().kafkaPartitions,
        "lake", "S3Proxy via s3a", "state_store", "RocksDB"));
    result.put("machine", Map.of("cores", Runtime.getRuntime().availableProcessors(),
        "memory_gb", Math.round(((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getTotalMemorySize() / 1e9),
        "load_average_at_end", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
        "java", System.getProperty("java.version"), "broker", "co-located single-node Kafka (KRaft)"));
    Path out = Path.of(System.getProperty("touchpoint.bench.out", "../bench/results"));
    Files.createDirectories(out);
    Path file = out.resolve("stream-" + LocalDate.now() + ".json");
    Files.writeString(file, ContractJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(result) + "\n");
    System.out.println("BENCH " + file.toAbsolutePath() + " " + result);
    spark.stop();
  }

  private static long pct(List<Long> sorted, double p) {
    if (sorted.isEmpty()) {
      return -1;
    }
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
  }

  private static StreamingQueryListener collect(List<StreamingQueryProgress> into) {
    return new StreamingQueryListener() {
      @Override
      public void onQueryStarted(QueryStartedEvent e) {}

      @Override
      public void onQueryProgress(QueryProgressEvent e) {
        into.add(e.progress());
      }

      @Override
      public void onQueryTerminated(QueryTerminatedEvent e) {}
    };
  }

  private static long rawConsume(String bootstrap, List<String> topics) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID());
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    long n = 0;
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts = new ArrayList<>();
      topics.forEach(t -> c.partitionsFor(t).forEach(i -> parts.add(new TopicPartition(t, i.partition()))));
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
        n += c.poll(Duration.ofMillis(200)).count();
      }
    }
    return n;
  }

  /** Produces at a fixed rate, each valid record's times shifted so that received_at = now. */
  private static void produceLive(String bootstrap, Map<String, String> topics, List<OutRecord> records, int rate)
      throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1024 * 1024);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      long start = System.nanoTime();
      for (int i = 0; i < records.size(); i++) {
        long due = start + (long) (i * 1e9 / rate);
        long wait = due - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        OutRecord r = records.get(i);
        byte[] payload = r.isMalformed() ? r.payload() : shifted(r.payload(), System.currentTimeMillis() - r.arrivalMillis());
        producer.send(new ProducerRecord<>(topics.get(r.topic()), r.key().getBytes(), payload));
      }
      producer.flush();
    }
  }

  private static byte[] shifted(byte[] payload, long byMillis) throws Exception {
    ObjectNode n = (ObjectNode) ContractJson.mapper().readTree(payload);
    for (String field : List.of("event_time", "received_at", "install_begin_time")) {
      if (n.hasNonNull(field)) {
        Instant t = ContractJson.parseInstant(n.get(field).asText()).plusMillis(byMillis);
        n.put(field, ContractJson.formatInstant(t));
      }
    }
    return ContractJson.mapper().writeValueAsBytes(n);
  }
}
