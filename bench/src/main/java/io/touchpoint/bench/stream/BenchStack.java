package io.touchpoint.bench.stream;

import io.touchpoint.local.Console;
import io.touchpoint.local.S3Admin;
import io.touchpoint.local.Service;
import io.touchpoint.local.Stack;
import io.touchpoint.local.StackConfig;
import io.touchpoint.model.Topics;
import io.touchpoint.streaming.StreamingConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

/**
 * The embedded stack as the benchmark uses it: Kafka and S3 started if they are not running (like
 * {@code ./touchpoint up}), and per phase fresh topics, a fresh lake prefix and checkpoint, so
 * phases never see each other's data.
 */
final class BenchStack {
  final StackConfig config;
  final BenchKafka kafka;
  final RunResources resources;
  private final String runId = Long.toString(System.currentTimeMillis(), 36);
  private final String bucket;
  private final java.util.Set<String> phaseNames =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  BenchStack(StackConfig config) {
    this.config = config;
    this.kafka = new BenchKafka(config.kafkaBootstrap());
    this.bucket = "bench-stream-" + runId;
    this.resources =
        new RunResources(
            config.kafkaBootstrap(),
            new RunResources.S3(
                config.s3Endpoint(), config.s3AccessKey, config.s3SecretKey, config.s3Region),
            bucket);
    resources.folder(checkpointRoot());
    new S3Admin(config.s3Endpoint(), config.s3AccessKey, config.s3SecretKey).createBucket(bucket);
  }

  /** Starts Kafka and S3 unless they already run (the stack is shared: never stopped here). */
  static BenchStack up() {
    StackConfig config = StackConfig.load();
    new Stack(config, Console.stdout()).up(EnumSet.of(Service.KAFKA, Service.S3));
    return new BenchStack(config);
  }

  /** {@code name}, or with "-2", "-3"... when a phase had it already (a rate given twice). */
  private String unique(String name) {
    String n = name;
    for (int i = 2; !phaseNames.add(n); i++) {
      n = name + "-" + i;
    }
    return n;
  }

  /** The run's local checkpoints: {@code bench-checkpoints/<run id>} under the stack's home. */
  Path checkpointRoot() {
    return config.dataDir.resolve("bench-checkpoints").resolve(runId);
  }

  /**
   * Where a phase's checkpoints live: local disk under the stack's home, or S3 (S3Proxy via s3a).
   */
  enum CheckpointStore {
    LOCAL,
    S3
  }

  /** One phase's topics (input and output) and its job configuration. */
  final class Phase {
    final String name;
    final String touchpoints;
    final String appEvents;
    final String attributions;
    final String attributedEvents;
    final String deadLetter;

    Phase(String name) {
      this(name, null);
    }

    /** A phase with its own outputs, reading {@code inputsOf}'s input topics (null: its own). */
    Phase(String name, Phase inputsOf) {
      this.name = unique(name);
      String prefix = "bench-" + runId + "-" + this.name + "-";
      this.touchpoints = inputsOf != null ? inputsOf.touchpoints : topic(prefix + "touchpoints");
      this.appEvents = inputsOf != null ? inputsOf.appEvents : topic(prefix + "app-events");
      this.attributions = topic(prefix + "attributions");
      this.attributedEvents = topic(prefix + "attributed-events");
      this.deadLetter = topic(prefix + "dead-letter");
    }

    List<String> inputs() {
      return List.of(touchpoints, appEvents);
    }

    List<String> outputs() {
      return List.of(attributions, attributedEvents);
    }

    Map<String, String> topicMap() {
      return Map.of(Topics.TOUCHPOINTS, touchpoints, Topics.APP_EVENTS, appEvents);
    }

    String bootstrap() {
      return config.kafkaBootstrap();
    }

    /** A checkpoint location of this phase ({@code query} names it among the phase's). */
    String checkpoint(CheckpointStore store, String query) {
      return store == CheckpointStore.S3
          ? "s3a://" + bucket + "/checkpoints/" + name + "/" + query
          : checkpointRoot().resolve(name).resolve(query).toUri().toString();
    }

    /**
     * The job's settings: streaming.conf defaults, this phase's names, then the caller's extras.
     */
    StreamingConfig jobConfig(Path rules, CheckpointStore store, List<String> extra) {
      return StreamingConfig.load(null, jobSettings(rules, store, extra));
    }

    /** The job's settings as {@code key=value} pairs ({@code --conf} of a child process). */
    List<String> jobSettings(Path rules, CheckpointStore store, List<String> extra) {
      List<String> o =
          new ArrayList<>(
              List.of(
                  "app-name=bench-" + name,
                  "kafka.bootstrap-servers=" + config.kafkaBootstrap(),
                  "kafka.topics.touchpoints=" + touchpoints,
                  "kafka.topics.app-events=" + appEvents,
                  "kafka.topics.attributions=" + attributions,
                  "kafka.topics.attributed-events=" + attributedEvents,
                  "kafka.topics.dead-letter=" + deadLetter,
                  "lake.root=s3a://" + bucket + "/" + name,
                  "lake.s3a.endpoint=" + config.s3Endpoint(),
                  "lake.s3a.access-key=" + config.s3AccessKey,
                  "lake.s3a.secret-key=" + config.s3SecretKey,
                  "lake.s3a.region=" + config.s3Region,
                  "checkpoint=" + checkpoint(store, "speed-layer"),
                  "rules-file=" + rules));
      o.addAll(extra);
      return o;
    }

    private String topic(String topicName) {
      resources.createTopic(topicName, t -> kafka.createTopic(t, config.kafkaPartitions));
      return topicName;
    }
  }
}
