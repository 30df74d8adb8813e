package io.touchpoint.serving;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Speed-layer output messages as the contract writes them (attributions, attributed events). */
final class SpeedMessages {
  private SpeedMessages() {}

  record Message(String key, String json) {}

  /**
   * n attributions at {@code time}: every 5th organic, every 7th rejected (CTIT), the rest
   * attributed clicks.
   */
  static List<Message> attributions(String app, Instant time, int n, String seed) {
    List<Message> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String id =
          UUID.nameUUIDFromBytes((seed + "-a-" + i).getBytes(StandardCharsets.UTF_8)).toString();
      String t = time.plusMillis(i).toString();
      boolean organic = i % 5 == 0;
      boolean rejected = !organic && i % 7 == 0;
      StringBuilder b = new StringBuilder("{");
      b.append("\"attribution_id\":\"")
          .append(id)
          .append("\",\"candidate_event_id\":\"")
          .append(UUID.randomUUID())
          .append("\",\"app_id\":\"")
          .append(app)
          .append("\",\"kind\":\"INSTALL\",\"outcome\":\"")
          .append(organic ? "ORGANIC" : rejected ? "REJECTED" : "ATTRIBUTED")
          .append("\",\"event_time\":\"")
          .append(t)
          .append("\",\"received_at\":\"")
          .append(t)
          .append("\",\"device_key\":\"aid:")
          .append(id)
          .append("\",\"platform\":\"ios\",\"country\":\"US\"");
      if (organic) {
        b.append(",\"match_type\":\"NONE\",\"touch_type\":\"NONE\"");
      } else {
        b.append(
                ",\"media_source\":\"net_one\",\"campaign_id\":\"cmp-net_one\",\"site_id\":\"site-1\"")
            .append(",\"match_type\":\"DEVICE_ID\",\"touch_type\":\"CLICK\",\"touch_event_id\":\"")
            .append(UUID.randomUUID())
            .append("\",\"touch_time\":\"")
            .append(t)
            .append("\",\"ctit_seconds\":")
            .append(rejected ? 3 : 120)
            .append(
                ",\"contributors\":[{\"media_source\":\"net_two\",\"campaign_id\":\"x\",\"touch_type\":\"IMPRESSION\"}]");
      }
      b.append(",\"fraud_reasons\":[")
          .append(rejected ? "\"CTIT_BELOW_THRESHOLD\"" : "")
          .append("],\"re_engagement\":false}");
      out.add(new Message("aid:" + id, b.toString()));
    }
    return out;
  }

  /** n purchases at {@code time}, alternating USD 10.5 and EUR 20, credited to net_one. */
  static List<Message> purchases(String app, Instant time, int n, String seed) {
    List<Message> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String id =
          UUID.nameUUIDFromBytes((seed + "-e-" + i).getBytes(StandardCharsets.UTF_8)).toString();
      String t = time.plusMillis(i).toString();
      out.add(
          new Message(
              "aid:" + id,
              "{\"event_id\":\""
                  + id
                  + "\",\"app_id\":\""
                  + app
                  + "\",\"event_name\":\"purchase\",\"event_time\":\""
                  + t
                  + "\",\"received_at\":\""
                  + t
                  + "\",\"device_key\":\"aid:"
                  + id
                  + "\",\"platform\":\"android\",\"country\":\"DE\",\"revenue\":"
                  + (i % 2 == 0 ? "10.5,\"currency\":\"USD\"" : "20,\"currency\":\"EUR\"")
                  + ",\"install_attribution_id\":\""
                  + UUID.randomUUID()
                  + "\",\"install_time\":\""
                  + time
                  + "\",\"install_outcome\":\"ATTRIBUTED\",\"media_source\":\"net_one\",\"campaign_id\":\"cmp-net_one\"}"));
    }
    return out;
  }

  static void produce(String bootstrap, String topic, List<Message> messages) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
      for (Message m : messages) {
        producer.send(new ProducerRecord<>(topic, m.key(), m.json()));
      }
      producer.flush();
    }
  }
}
