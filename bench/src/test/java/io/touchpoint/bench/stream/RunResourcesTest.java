package io.touchpoint.bench.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.touchpoint.local.S3Admin;
import io.touchpoint.local.Service;
import io.touchpoint.local.test.EmbeddedStack;
import io.touchpoint.local.test.StackHandle;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A bench run's topics, bucket and local checkpoints are gone after it (the leak that filled the
 * disk), and all still there with {@code --keep}; once removed, a run creates no new topic.
 */
@EmbeddedStack(services = {Service.KAFKA, Service.S3})
class RunResourcesTest {
  private static final byte[] RECORD = new byte[1000];
  private static final int RECORDS = 200;

  @Test
  void aRunLeavesNoTopicBucketOrCheckpointBehind(StackHandle stack) throws Exception {
    BenchStack bench = new BenchStack(stack.config());
    Written w = writeAsARunDoes(stack, bench);

    RunResources.Summary s = bench.resources.finish(false);

    assertThat(s.errors()).isEmpty();
    assertThat(s.kept()).isFalse();
    assertThat(s.topics()).isEqualTo(w.topics.size());
    assertThat(s.topicBytes())
        .as("the records' bytes on the broker")
        .isGreaterThan(RECORDS * 1000L);
    assertThat(s.objects()).isEqualTo(3);
    assertThat(s.bucketBytes()).isEqualTo(w.objectBytes);
    assertThat(s.folderBytes()).isEqualTo(w.fileBytes);
    assertThat(s.line()).startsWith("bench stream: removed ").contains(bench.resources.bucket());
    assertThat(topicsOf(stack)).doesNotContainAnyElementsOf(w.topics);
    assertThat(s3Admin(stack).bucketExists(bench.resources.bucket())).isFalse();
    assertThat(bench.checkpointRoot()).doesNotExist();
    assertThat(bench.resources.finish(false)).as("a second call removes nothing more").isSameAs(s);

    // Ctrl-C: the shutdown hook finished the run while the main thread goes on to a next phase
    assertThatThrownBy(() -> bench.new Phase("after-finish"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already removed");
    assertThat(topicsOf(stack)).noneMatch(t -> t.contains("-after-finish-"));
  }

  @Test
  void withKeepEverythingStaysForInspection(StackHandle stack) throws Exception {
    BenchStack bench = new BenchStack(stack.config());
    Written w = writeAsARunDoes(stack, bench);

    RunResources.Summary s = bench.resources.finish(true);

    assertThat(s.errors()).isEmpty();
    assertThat(s.kept()).isTrue();
    assertThat(s.line()).startsWith("bench stream: kept for inspection (--keep): ");
    assertThat(s.bucketBytes()).isEqualTo(w.objectBytes);
    assertThat(s.folderBytes()).isEqualTo(w.fileBytes);
    assertThat(topicsOf(stack)).containsAll(w.topics);
    assertThat(s3Admin(stack).bucketExists(bench.resources.bucket())).isTrue();
    assertThat(bench.checkpointRoot().resolve("catchup/speed-layer/offsets/0")).exists();

    // what a kept run left can still be removed by the same means afterwards
    RunResources later =
        new RunResources(stack.kafkaBootstrap(), s3Of(stack), bench.resources.bucket());
    w.topics.forEach(later::topic);
    later.folder(bench.checkpointRoot());
    assertThat(later.finish(false).errors()).isEmpty();
    assertThat(topicsOf(stack)).doesNotContainAnyElementsOf(w.topics);
    assertThat(s3Admin(stack).bucketExists(bench.resources.bucket())).isFalse();
    assertThat(bench.checkpointRoot()).doesNotExist();
  }

  private record Written(List<String> topics, long objectBytes, long fileBytes) {}

  /** A phase's topics with records in one, lake and checkpoint objects, local checkpoint files. */
  private static Written writeAsARunDoes(StackHandle stack, BenchStack bench) throws Exception {
    BenchStack.Phase phase = bench.new Phase("catchup");
    try (KafkaProducer<byte[], byte[]> p =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap()),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      for (int i = 0; i < RECORDS; i++) {
        p.send(new ProducerRecord<>(phase.touchpoints, RECORD));
      }
    }
    long objectBytes = 0;
    try (S3Client s3 = s3(stack)) {
      for (String key :
          List.of(
              "catchup/bronze/_delta_log/00000000000000000000.json",
              "catchup/bronze/event_date=2026-11-30/part-0.parquet",
              "checkpoints/s3-checkpoint-2000/speed-layer/offsets/0")) {
        byte[] body = ("content of " + key).getBytes();
        s3.putObject(b -> b.bucket(bench.resources.bucket()).key(key), RequestBody.fromBytes(body));
        objectBytes += body.length;
      }
    }
    Path offsets =
        Path.of(URI.create(phase.checkpoint(BenchStack.CheckpointStore.LOCAL, "speed-layer")))
            .resolve("offsets/0");
    Files.createDirectories(offsets.getParent());
    Files.write(offsets, new byte[4096]);
    Path state =
        Path.of(URI.create(phase.checkpoint(BenchStack.CheckpointStore.LOCAL, "stateful")))
            .resolve("state/0/0/1.changelog");
    Files.createDirectories(state.getParent());
    Files.write(state, new byte[1234]);
    return new Written(
        List.of(
            phase.touchpoints,
            phase.appEvents,
            phase.attributions,
            phase.attributedEvents,
            phase.deadLetter),
        objectBytes,
        4096 + 1234);
  }

  private static Set<String> topicsOf(StackHandle stack) throws Exception {
    try (Admin a =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, (Object) stack.kafkaBootstrap()))) {
      return a.listTopics().names().get();
    }
  }

  private static S3Admin s3Admin(StackHandle stack) {
    return new S3Admin(stack.s3Endpoint(), stack.s3AccessKey(), stack.s3SecretKey());
  }

  private static S3Client s3(StackHandle stack) {
    return RunResources.client(s3Of(stack));
  }

  private static RunResources.S3 s3Of(StackHandle stack) {
    return new RunResources.S3(
        stack.s3Endpoint(), stack.s3AccessKey(), stack.s3SecretKey(), stack.s3Region());
  }
}
