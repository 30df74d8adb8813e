package io.touchpoint.batch.steps;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which files the attribute step may read by bucket, from their Delta statistics alone. */
class WalkLayoutTest {
  private static String stats(String min, String max, String nulls) {
    return "{\"numRecords\":10,\"minValues\":{%s},\"maxValues\":{%s},\"nullCount\":{%s}}"
        .formatted(min, max, nulls);
  }

  @Test
  void aFileIsOneBucketOnlyWhenItsStatisticsSaySoForTheConfiguredCount() {
    String noNulls = "\"walk_bucket\":0,\"walk_buckets\":0";
    assertThat(
            WalkLayout.bucketOf(
                stats(
                    "\"walk_bucket\":7,\"walk_buckets\":32",
                    "\"walk_bucket\":7,\"walk_buckets\":32",
                    noNulls),
                32))
        .isEqualTo(7);
    // two buckets in one file (e.g. an erasure's delete rewrote two files into one)
    assertThat(
            WalkLayout.bucketOf(
                stats(
                    "\"walk_bucket\":3,\"walk_buckets\":32",
                    "\"walk_bucket\":7,\"walk_buckets\":32",
                    noNulls),
                32))
        .isEqualTo(-1);
    // compacted with another bucket count: bucket 7 of 16 holds keys of buckets 7 and 23 of 32
    assertThat(
            WalkLayout.bucketOf(
                stats(
                    "\"walk_bucket\":7,\"walk_buckets\":16",
                    "\"walk_bucket\":7,\"walk_buckets\":16",
                    noNulls),
                32))
        .isEqualTo(-1);
    // compacted with walk-buckets = 0 (null columns), before the layout, or without statistics
    assertThat(WalkLayout.bucketOf(stats("", "", "\"walk_bucket\":10,\"walk_buckets\":10"), 32))
        .isEqualTo(-1);
    assertThat(WalkLayout.bucketOf(stats("\"event_time\":1", "\"event_time\":2", ""), 32))
        .isEqualTo(-1);
    assertThat(WalkLayout.bucketOf(null, 32)).isEqualTo(-1);
    assertThat(WalkLayout.bucketOf("{\"numRecords\":0}", 32)).isZero();
  }
}
