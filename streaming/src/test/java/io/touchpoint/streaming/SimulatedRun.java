package io.touchpoint.streaming;

import io.touchpoint.model.Event;
import io.touchpoint.model.Topics;
import io.touchpoint.model.json.ContractJson;
import io.touchpoint.model.validation.EventValidator;
import io.touchpoint.model.validation.ValidationPolicy;
import io.touchpoint.simulator.SimulationParams;
import io.touchpoint.simulator.SimulationResult;
import io.touchpoint.simulator.Simulator;
import io.touchpoint.simulator.output.InputProducers;
import io.touchpoint.simulator.output.OutRecord;
import io.touchpoint.simulator.output.OutputOptions;
import io.touchpoint.simulator.output.RecordSink;
import io.touchpoint.simulator.output.RulesOverlay;
import io.touchpoint.simulator.truth.MalformedTruth;
import io.touchpoint.simulator.truth.TruthRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * A simulation held in memory: every record in arrival order, the ground truth, the malformed
 * truth, and each valid event with its received_at (first arrival). Produced into Kafka by the
 * tests themselves, in chunks that end where the arrival time changes.
 */
final class SimulatedRun {
  final Path dir;
  final SimulationResult result;
  final List<OutRecord> records = new ArrayList<>();
  final List<TruthRecord> truth;
  final List<MalformedTruth> malformed;

  /** Valid events by id, first arrival. */
  final Map<String, Event> events = new HashMap<>();

  private SimulatedRun(Path dir, SimulationParams params) throws IOException {
    this.dir = dir;
    this.result =
        new Simulator(params, OutputOptions.jsonl(dir), null)
            .run(
                new RecordSink() {
                  @Override
                  public void accept(OutRecord record, long position) {
                    records.add(record);
                  }

                  @Override
                  public void close() {}
                });
    this.truth = readLines(dir.resolve(Simulator.TRUTH_FILE), TruthRecord.class);
    this.malformed = readLines(dir.resolve(Simulator.MALFORMED_TRUTH_FILE), MalformedTruth.class);
    EventValidator validator = new EventValidator(ValidationPolicy.load());
    for (OutRecord r : records) {
      if (!r.isMalformed()) {
        Event e = validator.validate(r.payload(), Instant.now()).event();
        if (e == null) {
          throw new IllegalStateException(
              "the simulator's valid record is invalid: " + new String(r.payload()));
        }
        events.putIfAbsent(e.eventId(), e);
      }
    }
  }

  static SimulatedRun simulate(Path dir, SimulationParams params) throws IOException {
    return new SimulatedRun(dir, params);
  }

  Path rulesOverlay() {
    return dir.resolve(RulesOverlay.FILE);
  }

  long validRecords() {
    return records.stream().filter(r -> !r.isMalformed()).count();
  }

  /**
   * Splits the records into about {@code n} chunks of consecutive arrivals, each ending where the
   * arrival instant changes (so no two records received at the same millisecond are split).
   */
  List<List<OutRecord>> chunks(int n) {
    List<List<OutRecord>> chunks = new ArrayList<>();
    int target = Math.max(1, records.size() / n);
    List<OutRecord> current = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      OutRecord r = records.get(i);
      if (current.size() >= target && r.arrivalMillis() != records.get(i - 1).arrivalMillis()) {
        chunks.add(current);
        current = new ArrayList<>();
      }
      current.add(r);
    }
    if (!current.isEmpty()) {
      chunks.add(current);
    }
    return chunks;
  }

  /**
   * Produces records in order to the test's topics (contract name -> actual name) and waits for the
   * acks.
   */
  static void produce(String bootstrap, Map<String, String> topics, List<OutRecord> records)
      throws Exception {
    try (Producer<byte[], byte[]> producer =
        InputProducers.create(InputProducers.lossless(bootstrap, "touchpoint-test-input", 5))) {
      List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
      for (OutRecord r : records) {
        acks.add(
            producer.send(
                new ProducerRecord<>(topics.get(r.topic()), r.key().getBytes(), r.payload())));
      }
      producer.flush();
      for (Future<RecordMetadata> f : acks) {
        f.get();
      }
    }
  }

  static Map<String, String> topicMap(String touchpoints, String appEvents) {
    return Map.of(Topics.TOUCHPOINTS, touchpoints, Topics.APP_EVENTS, appEvents);
  }

  private static <T> List<T> readLines(Path file, Class<T> type) throws IOException {
    List<T> list = new ArrayList<>();
    if (!Files.exists(file)) {
      return list;
    }
    for (String line : Files.readAllLines(file)) {
      if (!line.isBlank()) {
        list.add(ContractJson.mapper().readValue(line, type));
      }
    }
    return list;
  }
}
