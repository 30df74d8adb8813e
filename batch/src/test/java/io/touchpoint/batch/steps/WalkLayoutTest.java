package io.touchpoint.batch.steps;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which files the attribute step may read by bucket, and how, from their Delta statistics alone.
 */
class WalkLayoutTest {
  private static String stats(String min, String max, String nulls) {
    return "{\"numRecords\":10,\"minValues\":{%s},\"maxValues\":{%s},\"nullCount\":{%s}}"
        .formatted(min, max, nulls);
  }

  private static final String NO_NULLS = "\"walk_bucket\":0,\"walk_buckets\":0";

  private static String oneBucket(int bucket, int buckets) {
    String v = "\"walk_bucket\":%d,\"walk_buckets\":%d".formatted(bucket, buckets);
    return stats(v, v, NO_NULLS);
  }

  private static WalkLayout.LoggedFile file(String name, String stats) {
    return new WalkLayout.LoggedFile(name, 100, stats, false);
  }

  @Test
  void aFileIsOneBucketOnlyWhenItsStatisticsSaySo() {
    assertThat(WalkLayout.slotOf(oneBucket(7, 32))).isEqualTo(new WalkLayout.Slot(7, 32));
    assertThat(WalkLayout.slotOf(oneBucket(0, 1))).isEqualTo(new WalkLayout.Slot(0, 1));
    // two buckets in one file (e.g. an erasure's delete rewrote two files into one)
    assertThat(
            WalkLayout.slotOf(
                stats(
                    "\"walk_bucket\":3,\"walk_buckets\":32",
                    "\"walk_bucket\":7,\"walk_buckets\":32",
                    NO_NULLS)))
        .isNull();
    // rows of two bucket counts in one file
    assertThat(
            WalkLayout.slotOf(
                stats(
                    "\"walk_bucket\":3,\"walk_buckets\":16",
                    "\"walk_bucket\":3,\"walk_buckets\":32",
                    NO_NULLS)))
        .isNull();
    // a bucket outside its count
    assertThat(WalkLayout.slotOf(oneBucket(32, 32))).isNull();
    // compacted with walk-buckets = 0 (null columns), before the layout, or without statistics
    assertThat(WalkLayout.slotOf(stats("", "", "\"walk_bucket\":10,\"walk_buckets\":10"))).isNull();
    assertThat(WalkLayout.slotOf(stats("\"event_time\":1", "\"event_time\":2", ""))).isNull();
    assertThat(WalkLayout.slotOf(null)).isNull();
    assertThat(WalkLayout.slotOf("{\"numRecords\":0}")).isEqualTo(WalkLayout.Slot.EMPTY);
  }

  @Test
  void daysOfNestedBucketCountsAreReadInTheSmallest() {
    // a large day in 32 buckets, a small one in 8, an empty file: read in 8 buckets; bucket 13 of
    // 32 holds keys of bucket 13 mod 8 = 5 of 8 only
    WalkLayout.Layout layout =
        WalkLayout.plan(
            List.of(
                file("d1-b13-of-32", oneBucket(13, 32)),
                file("d1-b5-of-32", oneBucket(5, 32)),
                file("d1-b0-of-32", oneBucket(0, 32)),
                file("d2-b5-of-8", oneBucket(5, 8)),
                file("d2-empty", "{\"numRecords\":0}")),
            "d1..d2",
            32);
    assertThat(layout.usable()).isTrue();
    assertThat(layout.buckets()).isEqualTo(8);
    assertThat(layout.fileCount()).isEqualTo(5);
    assertThat(layout.files()).hasSize(8);
    assertThat(layout.files().get(5))
        .extracting(WalkLayout.FileRef::path)
        .containsExactlyInAnyOrder("d1-b13-of-32", "d1-b5-of-32", "d2-b5-of-8");
    assertThat(layout.files().get(0))
        .extracting(WalkLayout.FileRef::path)
        .containsExactly("d1-b0-of-32");
    // days of one bucket each: one bucket holding every file
    WalkLayout.Layout small =
        WalkLayout.plan(
            List.of(
                file("a", oneBucket(0, 1)), file("b", oneBucket(0, 1)), file("c", oneBucket(3, 4))),
            "d1..d2",
            32);
    assertThat(small.buckets()).isEqualTo(1);
    assertThat(small.files()).singleElement().asList().hasSize(3);
    // no rows at all: the configured count
    assertThat(WalkLayout.plan(List.of(), "d1..d2", 32).buckets()).isEqualTo(32);
  }

  @Test
  void countsThatDoNotNestOrFilesWithoutALayoutMeanTheShufflePlan() {
    // 24 buckets (walk-buckets changed) beside 16: bucket b of 16 is not a union of buckets of 24
    WalkLayout.Layout mixed =
        WalkLayout.plan(
            List.of(file("d1", oneBucket(3, 24)), file("d2", oneBucket(3, 16))), "d1..d2", 32);
    assertThat(mixed.usable()).isFalse();
    assertThat(mixed.reason()).contains("do not nest");
    WalkLayout.Layout before =
        WalkLayout.plan(
            List.of(file("d1", oneBucket(3, 32)), file("old", stats("", "", ""))), "d1..d2", 32);
    assertThat(before.usable()).isFalse();
    assertThat(before.reason()).contains("old not a one-bucket file");
    WalkLayout.Layout deleted =
        WalkLayout.plan(
            List.of(new WalkLayout.LoggedFile("dv", 100, oneBucket(1, 32), true)), "d1..d2", 32);
    assertThat(deleted.reason()).contains("deletion vectors");
  }

  @Test
  void aDayGetsFewerBucketsWhenItIsSmall() {
    long mb = 1L << 20;
    // halved while every half still holds 32 MiB
    assertThat(WalkLayout.bucketsFor(5 * mb, 32, 32 * mb)).isEqualTo(1);
    assertThat(WalkLayout.bucketsFor(0, 32, 32 * mb)).isEqualTo(1);
    assertThat(WalkLayout.bucketsFor(33 * mb, 32, 32 * mb)).isEqualTo(2);
    assertThat(WalkLayout.bucketsFor(200 * mb, 32, 32 * mb)).isEqualTo(8);
    assertThat(WalkLayout.bucketsFor(1800 * mb, 32, 32 * mb)).isEqualTo(32);
    assertThat(WalkLayout.bucketsFor(5000 * mb, 32, 32 * mb)).isEqualTo(32);
    // an odd count cannot be halved into counts that nest; 0 = always the configured count
    assertThat(WalkLayout.bucketsFor(mb, 24, 32 * mb)).isEqualTo(3);
    assertThat(WalkLayout.bucketsFor(mb, 7, 32 * mb)).isEqualTo(7);
    assertThat(WalkLayout.bucketsFor(mb, 32, 0)).isEqualTo(32);
  }
}
