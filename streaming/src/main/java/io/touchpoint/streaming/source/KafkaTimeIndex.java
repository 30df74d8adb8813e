package io.touchpoint.streaming.source;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/** The brokers' time index of some partitions, through the admin client (ListOffsets by time). */
final class KafkaTimeIndex implements TimeCut.OffsetsAtTime {
  private final Admin admin;
  private final Iterable<TopicPartition> partitions;
  private final Duration timeout;

  KafkaTimeIndex(Admin admin, Iterable<TopicPartition> partitions, Duration timeout) {
    this.admin = admin;
    this.partitions = partitions;
    this.timeout = timeout;
  }

  static Admin admin(Map<String, String> kafkaParams) {
    Properties p = new Properties();
    p.putAll(kafkaParams);
    p.putIfAbsent("client.id", "touchpoint-time-cut");
    return Admin.create(p);
  }

  @Override
  public Map<TopicPartition, Long> firstAtOrAfter(long timestamp) {
    Map<TopicPartition, Long> first = new HashMap<>();
    list(OffsetSpec.forTimestamp(timestamp))
        .forEach(
            (tp, info) -> {
              if (info.offset() >= 0) {
                first.put(tp, info.offset());
              }
            });
    return first;
  }

  /** The newest record timestamp over the partitions (-1 when they are all empty). */
  long newestTimestamp() {
    return list(OffsetSpec.maxTimestamp()).values().stream()
        .mapToLong(ListOffsetsResultInfo::timestamp)
        .max()
        .orElse(-1);
  }

  private Map<TopicPartition, ListOffsetsResultInfo> list(OffsetSpec spec) {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    partitions.forEach(tp -> request.put(tp, spec));
    try {
      return admin.listOffsets(request).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while listing Kafka offsets by time", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("could not list Kafka offsets by time: " + e, e);
    }
  }
}
