package io.touchpoint.local;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * Creates topics and waits until the broker serves every partition. {@code createTopics()} returns
 * once the controller accepted the topic, before the broker has applied it: an idempotent producer
 * that writes at once can see its first request refused (NOT_LEADER_OR_FOLLOWER) and a later one
 * accepted, after which the first is refused as out of order until its delivery timeout — records
 * lost (KAFKA-15591). Waiting for a leader on every partition closes that window.
 */
public final class KafkaTopics {
  private static final Duration POLL = Duration.ofMillis(100);

  private KafkaTopics() {}

  /** Creates the topics and returns once each partition has a leader, or throws after timeout. */
  public static void createAndAwait(Admin admin, Collection<NewTopic> topics, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    admin.createTopics(topics).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    awaitLeaders(admin, topics.stream().map(NewTopic::name).toList(), deadline);
  }

  /** Waits until every partition of the topics has a leader, until the deadline (nanoTime). */
  static void awaitLeaders(Admin admin, List<String> names, long deadline) throws Exception {
    while (true) {
      String waiting = firstWithoutLeader(admin, names);
      if (waiting == null) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "topic " + waiting + " was created but has no partition leader yet");
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  /** The first topic with a partition the broker does not lead yet, or null when all are led. */
  private static String firstWithoutLeader(Admin admin, List<String> names) {
    Map<String, TopicDescription> described;
    try {
      described = admin.describeTopics(names).allTopicNames().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      return names.get(0); // not yet known to the broker's metadata: keep waiting
    }
    for (String name : names) {
      TopicDescription d = described.get(name);
      if (d == null || d.partitions().isEmpty()) {
        return name;
      }
      for (TopicPartitionInfo p : d.partitions()) {
        if (p.leader() == null || p.leader().isEmpty()) {
          return name;
        }
      }
    }
    return null;
  }
}
