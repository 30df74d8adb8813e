package io.touchpoint.bench.stream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.touchpoint.model.json.ContractJson;
import io.touchpoint.simulator.output.OutRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes simulated records into the benchmark's topics: all at once (the backlog for the catch-up
 * and raw-consume measures) or at a fixed rate with each valid record's times shifted so that its
 * {@code received_at} is the moment it is sent (latency = output broker time minus that).
 */
final class RecordProducer {
  private static final List<String> TIME_FIELDS =
      List.of("event_time", "received_at", "install_begin_time");
  private static final int LINGER_MS = 5;
  private static final int MAX_REQUEST_BYTES = 1024 * 1024;
  private final String bootstrap;
  private final Map<String, String> topics;

  /**
   * @param topics contract topic name -> the benchmark's topic
   */
  RecordProducer(String bootstrap, Map<String, String> topics) {
    this.bootstrap = bootstrap;
    this.topics = topics;
  }

  /** Everything as fast as the broker takes it, times unchanged; waits for the acks. */
  void produceAll(List<OutRecord> records) {
    try (KafkaProducer<byte[], byte[]> p = producer()) {
      for (OutRecord r : records) {
        p.send(new ProducerRecord<>(topics.get(r.topic()), r.key().getBytes(), r.payload()));
      }
      p.flush();
    }
  }

  /**
   * {@code rate} records per second until the records run out or {@code stop} says so. Returns how
   * many were sent.
   */
  long produceAtRate(List<OutRecord> records, int rate, BooleanSupplier stop)
      throws InterruptedException {
    long sent = 0;
    try (KafkaProducer<byte[], byte[]> p = producer()) {
      long start = System.nanoTime();
      for (OutRecord r : records) {
        if (stop.getAsBoolean()) {
          break;
        }
        long wait = start + (long) (sent * 1e9 / rate) - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        byte[] payload =
            r.isMalformed()
                ? r.payload()
                : shifted(r.payload(), System.currentTimeMillis() - r.arrivalMillis());
        p.send(new ProducerRecord<>(topics.get(r.topic()), r.key().getBytes(), payload));
        sent++;
      }
      p.flush();
    }
    return sent;
  }

  private KafkaProducer<byte[], byte[]> producer() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.LINGER_MS_CONFIG, LINGER_MS);
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_REQUEST_BYTES);
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /**
   * The payload with its times moved by {@code byMillis}. The simulator writes compact contract
   * JSON with every time in the contract's millisecond format, so the values are replaced in place
   * (same length) without parsing the record: at 10 000 records/s a JSON tree read and written per
   * record was a tenth of the machine's CPU, taken from the layer and the floors being measured.
   * Anything else (spaces, a time in another format, a field twice) takes the tree path.
   */
  static byte[] shifted(byte[] payload, long byMillis) {
    byte[] out = shiftedInPlace(payload, byMillis);
    return out != null ? out : shiftedByTree(payload, byMillis);
  }

  /** Length of a time in the contract's format, e.g. 2026-11-30T12:34:56.789Z. */
  private static final int TIME_LENGTH = 24;

  private static final byte[][] TIME_KEYS =
      TIME_FIELDS.stream()
          .map(f -> ("\"" + f + "\":\"").getBytes(StandardCharsets.US_ASCII))
          .toArray(byte[][]::new);

  private static final byte[][] FIELD_NAMES =
      TIME_FIELDS.stream()
          .map(f -> ("\"" + f + "\"").getBytes(StandardCharsets.US_ASCII))
          .toArray(byte[][]::new);

  /** The shifted copy, or null when the payload is not in the form this path handles. */
  static byte[] shiftedInPlace(byte[] payload, long byMillis) {
    int[] names = namePositions(payload);
    byte[] out = null;
    for (int f = 0; f < TIME_KEYS.length; f++) {
      int key = names[f];
      if (key == ABSENT) {
        continue;
      }
      if (key == TWICE || !startsWith(payload, key, TIME_KEYS[f])) {
        return null; // twice, or in another form (spaces, null): the tree decides
      }
      int value = key + TIME_KEYS[f].length;
      int end = value + TIME_LENGTH;
      if (end >= payload.length || payload[end - 1] != 'Z' || payload[end] != '"') {
        return null;
      }
      String text = new String(payload, value, TIME_LENGTH, StandardCharsets.US_ASCII);
      byte[] shifted;
      try {
        shifted =
            ContractJson.formatInstant(ContractJson.parseInstant(text).plusMillis(byMillis))
                .getBytes(StandardCharsets.US_ASCII);
      } catch (RuntimeException e) {
        return null;
      }
      if (shifted.length != TIME_LENGTH) {
        return null;
      }
      if (out == null) {
        out = payload.clone();
      }
      System.arraycopy(shifted, 0, out, value, TIME_LENGTH);
    }
    return out == null ? payload : out;
  }

  private static final int ABSENT = -1;
  private static final int TWICE = -2;

  /**
   * Where each time field's quoted name starts, ABSENT or TWICE: one pass over the payload, a
   * comparison only at quotes (a search per field and form was half of the generator's CPU).
   */
  private static int[] namePositions(byte[] payload) {
    int[] at = new int[FIELD_NAMES.length];
    java.util.Arrays.fill(at, ABSENT);
    for (int i = 0; i < payload.length; i++) {
      if (payload[i] != '"') {
        continue;
      }
      for (int f = 0; f < FIELD_NAMES.length; f++) {
        if (startsWith(payload, i, FIELD_NAMES[f])) {
          at[f] = at[f] == ABSENT ? i : TWICE;
        }
      }
    }
    return at;
  }

  private static boolean startsWith(byte[] in, int from, byte[] what) {
    if (from + what.length > in.length) {
      return false;
    }
    for (int j = 0; j < what.length; j++) {
      if (in[from + j] != what[j]) {
        return false;
      }
    }
    return true;
  }

  static byte[] shiftedByTree(byte[] payload, long byMillis) {
    try {
      ObjectNode n = (ObjectNode) ContractJson.mapper().readTree(payload);
      for (String field : TIME_FIELDS) {
        if (n.hasNonNull(field)) {
          Instant t = ContractJson.parseInstant(n.get(field).asText()).plusMillis(byMillis);
          n.put(field, ContractJson.formatInstant(t));
        }
      }
      return ContractJson.mapper().writeValueAsBytes(n);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
