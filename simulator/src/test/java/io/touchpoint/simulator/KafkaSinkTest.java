package io.touchpoint.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.touchpoint.local.Service;
import io.touchpoint.local.test.EmbeddedStack;
import io.touchpoint.local.test.StackHandle;
import io.touchpoint.simulator.output.OutputFormat;
import io.touchpoint.simulator.output.OutputOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka output, through the embedded stack's real broker, carries exactly the JSONL records.
 */
@EmbeddedStack(services = Service.KAFKA)
class KafkaSinkTest {
  private static final SimulationParams SMALL =
      SimulationParams.defaults().withSize(400, 1).withSeed(21);

  @TempDir Path tmp;

  @Test
  void producesTheSameRecordsInTheSameOrderAsTheJsonlFiles(StackHandle stack) throws Exception {
    new Simulator(SMALL, OutputOptions.jsonl(tmp.resolve("jsonl")), null).run();
    String touchpoints = stack.newTopic("sim-tp", 1); // one partition: the whole order is kept
    String appEvents = stack.newTopic("sim-ae", 1);
    OutputOptions kafka =
        new OutputOptions(
            tmp.resolve("kafka"),
            OutputFormat.KAFKA,
            stack.kafkaBootstrap(),
            0,
            touchpoints,
            appEvents);
    new Simulator(SMALL, kafka, null).run();

    List<String> expectedTp = lines(tmp.resolve("jsonl/touchpoints.jsonl"));
    List<String> expectedAe = lines(tmp.resolve("jsonl/app-events.jsonl"));
    List<ConsumerRecord<byte[], byte[]>> tp = consume(stack, touchpoints, expectedTp.size());
    List<ConsumerRecord<byte[], byte[]>> ae = consume(stack, appEvents, expectedAe.size());
    assertThat(tp)
        .extracting(r -> Arrays.toString(r.value()))
        .containsExactlyElementsOf(expectedTp);
    assertThat(ae)
        .extracting(r -> Arrays.toString(r.value()))
        .containsExactlyElementsOf(expectedAe);
    assertThat(tp).allMatch(r -> r.key() != null && r.key().length > 0);
    assertThat(Files.readAllBytes(tmp.resolve("kafka/truth.jsonl")))
        .isEqualTo(Files.readAllBytes(tmp.resolve("jsonl/truth.jsonl")));
  }

  @Test
  void aTargetRateHoldsTheProducerBack(StackHandle stack) throws Exception {
    SimulationParams tiny = SimulationParams.defaults().withSize(30, 1).withSeed(3);
    OutputOptions fast =
        new OutputOptions(
            tmp.resolve("fast"),
            OutputFormat.KAFKA,
            stack.kafkaBootstrap(),
            0,
            stack.newTopic("fast-tp"),
            stack.newTopic("fast-ae"));
    SimulationResult unthrottled = new Simulator(tiny, fast, null).run();
    double rate = 2_000;
    OutputOptions slow =
        new OutputOptions(
            tmp.resolve("slow"),
            OutputFormat.KAFKA,
            stack.kafkaBootstrap(),
            rate,
            stack.newTopic("slow-tp"),
            stack.newTopic("slow-ae"));
    SimulationResult throttled = new Simulator(tiny, slow, null).run();
    double minimumSeconds = throttled.totalRecords() / rate;
    assertThat(throttled.writing().toMillis() / 1000.0)
        .isGreaterThanOrEqualTo(minimumSeconds * 0.9);
    assertThat(throttled.totalRecords()).isEqualTo(unthrottled.totalRecords());
  }

  private static List<ConsumerRecord<byte[], byte[]>> consume(
      StackHandle stack, String topic, int expected) {
    List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, stack.uniqueName("sim-check"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      c.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (got.size() < expected && System.nanoTime() < deadline) {
        c.poll(Duration.ofMillis(500)).forEach(got::add);
      }
    }
    return got;
  }

  private static List<String> lines(Path file) throws Exception {
    byte[] all = Files.readAllBytes(file);
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < all.length; i++) {
      if (all[i] == '\n') {
        out.add(Arrays.toString(Arrays.copyOfRange(all, start, i)));
        start = i + 1;
      }
    }
    return out;
  }
}
