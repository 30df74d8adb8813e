package io.touchpoint.batch.steps;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class KeyTimesTest {
  private static final long HORIZON = 100;

  @Test
  void aTouchReachesOnlyACandidateOfItsKeyWithinTheHorizonAfterIt() {
    // key 7: candidates at 1000 and 1500 (given out of order); key 9: one at 50
    KeyTimes k = KeyTimes.of(new long[] {7, 9, 7}, new long[] {1500, 50, 1000}, 3);

    assertThat(k.keys()).isEqualTo(2);
    assertThat(k.candidates()).isEqualTo(3);
    assertThat(k.contains(7)).isTrue();
    assertThat(k.contains(8)).isFalse();
    assertThat(k.reaches(7, 900, HORIZON)).as("horizon's far end, included").isTrue();
    assertThat(k.reaches(7, 899, HORIZON)).as("older than the horizon").isFalse();
    assertThat(k.reaches(7, 1000, HORIZON)).as("the candidate's own instant, included").isTrue();
    assertThat(k.reaches(7, 1001, HORIZON))
        .as("after the first, too early for the second")
        .isFalse();
    assertThat(k.reaches(7, 1450, HORIZON)).as("the second candidate").isTrue();
    assertThat(k.reaches(7, 1501, HORIZON)).as("after every candidate").isFalse();
    assertThat(k.reaches(9, -50, HORIZON)).isTrue();
    assertThat(k.reaches(8, 1000, HORIZON)).as("no candidate's key").isFalse();
  }

  @Test
  void keysOfOneSlotAndOneTagAreStillToldApart() {
    // same slot (equal low bits) and the same tag (top byte 0 is stored as 1, like top byte 1)
    long a = 5;
    long b = (1L << 56) | 5;
    KeyTimes k = KeyTimes.of(new long[] {a}, new long[] {1000}, 1);
    assertThat(k.contains(a)).isTrue();
    assertThat(k.contains(b)).isFalse();
    assertThat(k.reaches(b, 1000, HORIZON)).isFalse();
    KeyTimes both = KeyTimes.of(new long[] {b, a}, new long[] {2000, 1000}, 2);
    assertThat(both.reaches(a, 1950, HORIZON)).as("a's candidate is at 1000").isFalse();
    assertThat(both.reaches(b, 1950, HORIZON)).isTrue();
  }

  @Test
  void anEmptyDayReachesNothing() {
    KeyTimes k = KeyTimes.of(new long[0], new long[0], 0);
    assertThat(k.contains(0)).isFalse();
    assertThat(k.reaches(0, 0, HORIZON)).isFalse();
  }

  @Test
  void agreesWithASortedMapOnManyCollidingKeys() {
    Random random = new Random(13);
    int n = 20_000;
    long[] keys = new long[n];
    long[] times = new long[n];
    TreeMap<Long, TreeSet<Long>> reference = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      // few distinct low bits: long probe chains; key 0 and negative keys included
      keys[i] = (random.nextInt(3000) - 1000L) << 40;
      times[i] = random.nextInt(100_000);
      reference.computeIfAbsent(keys[i], x -> new TreeSet<>()).add(times[i]);
    }
    KeyTimes k = KeyTimes.of(keys, times, n);
    assertThat(k.keys()).isEqualTo(reference.size());
    for (int i = 0; i < 50_000; i++) {
      long key = (random.nextInt(3200) - 1100L) << 40;
      long t = random.nextInt(101_000) - 500;
      TreeSet<Long> candidates = reference.get(key);
      Long first = candidates == null ? null : candidates.ceiling(t);
      assertThat(k.reaches(key, t, HORIZON))
          .as("key %d time %d", key, t)
          .isEqualTo(first != null && first - t <= HORIZON);
      assertThat(k.contains(key)).isEqualTo(candidates != null);
    }
  }
}
