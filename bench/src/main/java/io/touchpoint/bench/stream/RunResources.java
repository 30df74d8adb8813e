package io.touchpoint.bench.stream;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.hadoop.util.ShutdownHookManager;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * What one bench run creates outside its JVM — Kafka topics, an S3 bucket (the phases' lakes and
 * S3-API checkpoints), local folders (checkpoints, the simulation) — and their removal at the end.
 * A full run writes tens of GB (every phase replays the load into fresh topics and lakes), so a run
 * that kept them filled the disk; {@code --keep} keeps them for inspection. Removal is idempotent
 * and also runs on Ctrl-C/SIGTERM (a shutdown hook after Spark's, so no query still writes).
 */
final class RunResources {
  /** Below Spark's shutdown hook manager (Hadoop priority 40): runs once Spark has stopped. */
  private static final int HOOK_PRIORITY = 35;

  private static final long HOOK_TIMEOUT_SECONDS = 120;
  private static final int DELETE_BATCH = 1000;
  private static final long TOPIC_DELETE_TIMEOUT_SECONDS = 60;

  /** Where the S3 API is and how to sign for it. */
  record S3(String endpoint, String accessKey, String secretKey, String region) {}

  /** What was removed (or kept), with sizes in bytes. */
  record Summary(
      boolean kept,
      int topics,
      long topicBytes,
      String bucket,
      long objects,
      long bucketBytes,
      List<Path> folders,
      long folderBytes,
      List<String> errors) {

    long bytes() {
      return topicBytes + bucketBytes + folderBytes;
    }

    String line() {
      String what =
          String.format(
              Locale.ROOT,
              "%d topics (%s), bucket %s (%d objects, %s), %d folders %s (%s)",
              topics,
              size(topicBytes),
              bucket,
              objects,
              size(bucketBytes),
              folders.size(),
              folders,
              size(folderBytes));
      String head =
          kept
              ? "kept for inspection (--keep): "
              : String.format(Locale.ROOT, "removed %s: ", size(bytes()));
      return "bench stream: "
          + head
          + what
          + (errors.isEmpty() ? "" : "; NOT removed: " + String.join("; ", errors));
    }
  }

  private final String bootstrap;
  private final S3 s3;
  private final String bucket;
  private final List<String> topics = new CopyOnWriteArrayList<>();
  private final List<Path> folders = new CopyOnWriteArrayList<>();
  private volatile Summary done;

  RunResources(String bootstrap, S3 s3, String bucket) {
    this.bootstrap = bootstrap;
    this.s3 = s3;
    this.bucket = bucket;
  }

  String bucket() {
    return bucket;
  }

  /** A topic of the run (already created, or created by the caller right after). */
  synchronized void topic(String name) {
    refuseOnceFinished("topic " + name);
    topics.add(name);
  }

  /**
   * Registers and creates a topic in one step under the lock {@link #finish} holds, so a topic is
   * either removed by the finish or refused: on Ctrl-C the shutdown hook may finish while the main
   * thread goes on to the next phase, whose topics would otherwise outlive the run.
   */
  synchronized void createTopic(String name, Consumer<String> create) {
    topic(name);
    create.accept(name);
  }

  private void refuseOnceFinished(String what) {
    if (done != null) {
      throw new IllegalStateException(
          "bench stream: the run's resources were already removed; not creating " + what);
    }
  }

  /** A local folder the run created (removed with everything in it). */
  void folder(Path path) {
    if (!folders.contains(path)) {
      folders.add(path);
    }
  }

  /**
   * Removes (or, with {@code keep}, only measures) everything the run created, once: later calls
   * return the first summary. Never throws: what cannot be removed is named in the summary.
   */
  synchronized Summary finish(boolean keep) {
    if (done != null) {
      return done;
    }
    List<String> errors = new ArrayList<>();
    long topicBytes = 0;
    try {
      topicBytes = topicBytes(keep);
    } catch (Exception e) {
      errors.add("topics: " + e.getMessage());
    }
    long[] objects = {0, 0};
    try {
      objects = bucket(keep);
    } catch (Exception e) {
      errors.add("bucket " + bucket + ": " + e.getMessage());
    }
    long folderBytes = 0;
    List<Path> existing = new ArrayList<>();
    for (Path f : folders) {
      try {
        if (Files.exists(f)) {
          existing.add(f);
          folderBytes += keep ? sizeOf(f) : delete(f);
        }
      } catch (Exception e) {
        errors.add(f + ": " + e.getMessage());
      }
    }
    done =
        new Summary(
            keep,
            topics.size(),
            topicBytes,
            bucket,
            objects[0],
            objects[1],
            List.copyOf(existing),
            folderBytes,
            List.copyOf(errors));
    return done;
  }

  /** {@link #finish}, printing its line the first time (not again from the shutdown hook). */
  synchronized void finishAndReport(boolean keep, PrintStream out) {
    if (done == null) {
      out.println(finish(keep).line());
    }
  }

  /** Runs {@link #finishAndReport} when the JVM is stopped (Ctrl-C, SIGTERM) before the run did. */
  void finishOnShutdown(boolean keep, PrintStream out) {
    ShutdownHookManager.get()
        .addShutdownHook(
            () -> finishAndReport(keep, out),
            HOOK_PRIORITY,
            HOOK_TIMEOUT_SECONDS,
            TimeUnit.SECONDS);
  }

  /** The topics' bytes on the broker (every replica's log), then deleted unless kept. */
  private long topicBytes(boolean keep) throws Exception {
    if (topics.isEmpty()) {
      return 0;
    }
    Set<String> ours = Set.copyOf(topics);
    try (Admin a = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      List<Integer> brokers = a.describeCluster().nodes().get().stream().map(Node::id).toList();
      long bytes = 0;
      for (Map<String, LogDirDescription> dirs :
          a.describeLogDirs(brokers).allDescriptions().get().values()) {
        for (LogDirDescription d : dirs.values()) {
          for (Map.Entry<TopicPartition, ReplicaInfo> r : d.replicaInfos().entrySet()) {
            if (ours.contains(r.getKey().topic())) {
              bytes += r.getValue().size();
            }
          }
        }
      }
      if (!keep) {
        Set<String> present = a.listTopics().names().get();
        Collection<String> delete = ours.stream().filter(present::contains).toList();
        a.deleteTopics(delete).all().get(TOPIC_DELETE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      }
      return bytes;
    }
  }

  /** {objects, bytes} of the bucket, then its objects and the bucket deleted unless kept. */
  private long[] bucket(boolean keep) {
    try (S3Client c = client(s3)) {
      long objects = 0;
      long bytes = 0;
      List<ObjectIdentifier> batch = new ArrayList<>();
      for (S3Object o : c.listObjectsV2Paginator(b -> b.bucket(bucket)).contents()) {
        objects++;
        bytes += o.size();
        if (!keep) {
          batch.add(ObjectIdentifier.builder().key(o.key()).build());
          if (batch.size() == DELETE_BATCH) {
            deleteObjects(c, batch);
          }
        }
      }
      if (!keep) {
        deleteObjects(c, batch);
        c.deleteBucket(b -> b.bucket(bucket));
      }
      return new long[] {objects, bytes};
    } catch (NoSuchBucketException e) {
      return new long[] {0, 0};
    }
  }

  private void deleteObjects(S3Client c, List<ObjectIdentifier> batch) {
    if (batch.isEmpty()) {
      return;
    }
    var r =
        c.deleteObjects(
            b -> b.bucket(bucket).delete(Delete.builder().objects(batch).quiet(true).build()));
    if (r.hasErrors() && !r.errors().isEmpty()) {
      throw new IllegalStateException(
          r.errors().size() + " objects not deleted, first: " + r.errors().get(0));
    }
    batch.clear();
  }

  /** An S3 client for the stack's S3 API (path-style, static keys). */
  static S3Client client(S3 s3) {
    return S3Client.builder()
        .endpointOverride(URI.create(s3.endpoint()))
        .region(Region.of(s3.region()))
        .forcePathStyle(true)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())))
        .build();
  }

  static long sizeOf(Path root) throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      return all.filter(Files::isRegularFile).mapToLong(RunResources::size).sum();
    }
  }

  /** Deletes the folder and everything in it; returns the bytes its files held. */
  static long delete(Path root) throws IOException {
    long bytes = sizeOf(root);
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        try {
          Files.delete(p);
        } catch (NoSuchFileException gone) {
          // removed meanwhile (a Spark temp file): fine
        }
      }
    }
    return bytes;
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0; // removed meanwhile
    }
  }

  static String size(long bytes) {
    if (bytes >= 1L << 30) {
      return String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30));
    }
    if (bytes >= 1L << 20) {
      return String.format(Locale.ROOT, "%.0f MB", bytes / (double) (1L << 20));
    }
    return String.format(Locale.ROOT, "%.0f kB", bytes / 1024.0);
  }
}
