package io.touchpoint.bench.stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.touchpoint.model.json.ContractJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * End-to-end latency of a live run: for every output record (attributions, attributed events), its
 * broker timestamp minus the input's {@code received_at} (which the producer set to the moment it
 * sent the input). Only inputs received at or after {@code fromMillis} count (the warm-up is left
 * out).
 */
final class Latencies {
  final List<Long> sortedMs;

  private Latencies(List<Long> sortedMs) {
    this.sortedMs = sortedMs;
  }

  /** Reads of the output topics tried before giving up (a slow broker on a loaded machine). */
  private static final int ATTEMPTS = 3;

  static Latencies of(BenchKafka kafka, List<String> outputTopics, long fromMillis) {
    List<Long> ms = new ArrayList<>();
    for (int attempt = 1; ; attempt++) {
      ms.clear();
      try {
        kafka.readAll(
            outputTopics,
            r -> {
              long received = receivedAt(r.value());
              if (received >= fromMillis) {
                ms.add(r.timestamp() - received);
              }
            });
        break;
      } catch (org.apache.kafka.common.KafkaException e) {
        if (attempt == ATTEMPTS) {
          throw e;
        }
      }
    }
    Collections.sort(ms);
    return new Latencies(ms);
  }

  /** Nearest-rank percentile; -1 without samples. */
  long percentile(double p) {
    if (sortedMs.isEmpty()) {
      return -1;
    }
    return sortedMs.get(
        Math.max(0, Math.min(sortedMs.size() - 1, (int) Math.ceil(p * sortedMs.size()) - 1)));
  }

  int count() {
    return sortedMs.size();
  }

  private static long receivedAt(byte[] json) {
    try {
      JsonNode n = ContractJson.mapper().readTree(json);
      return ContractJson.parseInstant(n.get("received_at").asText()).toEpochMilli();
    } catch (IOException e) {
      throw new IllegalStateException("an output record without received_at", e);
    }
  }
}
