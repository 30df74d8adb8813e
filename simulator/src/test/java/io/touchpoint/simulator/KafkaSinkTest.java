package io.touchpoint.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.touchpoint.model.Topics;
import io.touchpoint.simulator.output.KafkaSink;
import io.touchpoint.simulator.output.OutputFormat;
import io.touchpoint.simulator.output.OutputOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Kafka output carries exactly the JSONL records, in the same order, keyed by device. */
class KafkaSinkTest {
  private static final SimulationParams SMALL = SimulationParams.defaults().withSize(400, 1).withSeed(21);

  @TempDir Path tmp;

  @Test
  void producesTheSameRecordsInTheSameOrderAsTheJsonlFiles() throws Exception {
    new Simulator(SMALL, OutputOptions.jsonl(tmp.resolve("jsonl")), null).run();
    MockProducer<byte[], byte[]> producer =
        new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    OutputOptions kafka = new OutputOptions(tmp.resolve("kafka"), OutputFormat.KAFKA, "unused", 0, "tp", "ae");
    new Simulator(SMALL, kafka, null).run(new KafkaSink(producer, KafkaSink.topics("tp", "ae"), 0));

    List<ProducerRecord<byte[], byte[]>> sent = producer.history();
    assertThat(payloads(sent, "tp")).containsExactlyElementsOf(lines(tmp.resolve("jsonl/touchpoints.jsonl")));
    assertThat(payloads(sent, "ae")).containsExactlyElementsOf(lines(tmp.resolve("jsonl/app-events.jsonl")));
    assertThat(sent).allMatch(r -> r.key() != null && r.key().length > 0);
    assertThat(Files.readAllBytes(tmp.resolve("kafka/truth.jsonl")))
        .isEqualTo(Files.readAllBytes(tmp.resolve("jsonl/truth.jsonl")));
  }

  @Test
  void aTargetRateHoldsTheProducerBack() throws Exception {
    MockProducer<byte[], byte[]> producer =
        new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    KafkaSink sink = new KafkaSink(producer, KafkaSink.topics(Topics.TOUCHPOINTS, Topics.APP_EVENTS), 200);
    long start = System.nanoTime();
    for (int i = 0; i < 41; i++) {
      sink.accept(new io.touchpoint.simulator.output.OutRecord(i, i, Topics.TOUCHPOINTS, "k", new byte[] {'{', '}'},
          null), i);
    }
    sink.close();
    assertThat((System.nanoTime() - start) / 1e9).isGreaterThan(0.15);
  }

  private static List<String> payloads(List<ProducerRecord<byte[], byte[]>> sent, String topic) {
    return sent.stream().filter(r -> r.topic().equals(topic)).map(r -> Arrays.toString(r.value())).toList();
  }

  private static List<String> lines(Path file) throws Exception {
    byte[] all = Files.readAllBytes(file);
    List<String> out = new java.util.ArrayList<>();
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
