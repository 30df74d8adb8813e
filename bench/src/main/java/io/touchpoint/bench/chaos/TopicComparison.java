package io.touchpoint.bench.chaos;

import io.touchpoint.bench.TopicContents;
import io.touchpoint.model.DeadLetter;
import io.touchpoint.model.json.ContractJson;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The speed layer's output topics of two runs, by id. The topics are at least once by contract (a
 * replayed micro-batch writes its records again, identical): readers keep one value per key, so a
 * key is missing when the run lacks it or holds another value, extra when only the run has it, and
 * a duplicate id when the run holds two different values for it. Identical replays are counted
 * apart.
 */
final class TopicComparison {
  private final String bootstrap;

  TopicComparison(String bootstrap) {
    this.bootstrap = bootstrap;
  }

  /** A verdict or credited-event topic: keyed by the record key (the attribution / event id). */
  Comparison byKey(String name, String referenceTopic, String runTopic) {
    return compare(name, referenceTopic, runTopic, r -> utf8(r.key()), r -> utf8(r.value()));
  }

  /**
   * The dead-letter topic: keyed by the input record's position; the value compared is the reason
   * codes (the dead letter's own time differs from run to run).
   */
  Comparison deadLetters(String referenceTopic, String runTopic) {
    return compare(
        "dead-letter",
        referenceTopic,
        runTopic,
        r -> {
          DeadLetter d = ContractJson.fromJson(r.value(), DeadLetter.class);
          return d.sourceTopic() + "/" + d.sourcePartition() + "/" + d.sourceOffset();
        },
        r -> ContractJson.fromJson(r.value(), DeadLetter.class).reasonCodes().toString());
  }

  private Comparison compare(
      String name,
      String referenceTopic,
      String runTopic,
      Function<ConsumerRecord<byte[], byte[]>, String> key,
      Function<ConsumerRecord<byte[], byte[]>, String> value) {
    Map<String, Set<String>> ref =
        values(TopicContents.read(bootstrap, referenceTopic), key, value);
    List<ConsumerRecord<byte[], byte[]>> runRecords = TopicContents.read(bootstrap, runTopic);
    Map<String, Set<String>> run = values(runRecords, key, value);
    long records = runRecords.size();
    long missing =
        ref.entrySet().stream()
            .filter(e -> !Objects.equals(e.getValue(), run.get(e.getKey())))
            .count();
    long extra = run.keySet().stream().filter(k -> !ref.containsKey(k)).count();
    long conflicting = run.values().stream().filter(v -> v.size() > 1).count();
    return new Comparison(
        "topic", name, ref.size(), run.size(), missing, extra, conflicting, records - run.size());
  }

  private static Map<String, Set<String>> values(
      List<ConsumerRecord<byte[], byte[]>> records,
      Function<ConsumerRecord<byte[], byte[]>, String> key,
      Function<ConsumerRecord<byte[], byte[]>, String> value) {
    Map<String, Set<String>> m = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      m.computeIfAbsent(key.apply(r), k -> new HashSet<>()).add(value.apply(r));
    }
    return m;
  }

  private static String utf8(byte[] b) {
    return b == null ? "" : new String(b, StandardCharsets.UTF_8);
  }
}
