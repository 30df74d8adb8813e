package io.touchpoint.batch.steps;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;

/**
 * D's candidates' walk keys (64-bit hashes) with the candidates' times on each, in primitive
 * arrays: answers whether a touch can reach some candidate's walk — a candidate on its key at a
 * time in {@code [touch time, touch time + horizon]} — exactly, where a Bloom filter of the keys
 * keeps every touch of a candidate's key (and a few of no candidate's).
 *
 * <p>An open-addressing table (linear probing) of {@value #SLOT} longs per slot — key, run (start
 * and length in {@code times}; 0 = empty slot), the key's latest candidate time — so that a lookup
 * reads one cache line, and a key with one candidate (most keys) needs nothing else; a key with
 * several is binary-searched in its run of sorted times. Beside it, one byte per slot (a tag: 8
 * bits of the key, 0 = empty) that a lookup scans first: at 5 M keys the table is ~200 MB, far
 * beyond any cache, and half of the touches are on keys no candidate has (JFR of the 50 M-touch
 * step's map side: the table's lookups were 36 % of executor samples, nearly all of it waiting for
 * memory); their probes now end in the 8 MB of tags, which stay in the last-level cache, and a key
 * that is present costs one read of the table.
 */
final class KeyTimes implements Serializable {
  private static final long serialVersionUID = 1L;

  private static final int SLOT = 3;
  private static final int KEY = 0;
  private static final int RUN = 1;
  private static final int LATEST = 2;

  /** Slots per pair at least, as a fraction (3 / 2: the table is at most two-thirds full). */
  private static final int SPREAD_NUMERATOR = 3;

  private static final int SPREAD_DENOMINATOR = 2;

  private final long[] table;
  private final byte[] tags; // per slot: tag(key) when taken, 0 when empty
  private final long[] times; // each key's run, ascending
  private final int mask;
  private final int keys;

  private KeyTimes(long[] table, byte[] tags, long[] times, int keys) {
    this.table = table;
    this.tags = tags;
    this.times = times;
    this.mask = table.length / SLOT - 1;
    this.keys = keys;
  }

  /**
   * The table of the (key, time) rows of {@code pairs} (two non-null longs): each partition sends
   * its pairs as two primitive arrays.
   */
  static KeyTimes collect(Dataset<Row> pairs) {
    List<long[][]> parts =
        pairs.queryExecution().toRdd().toJavaRDD().mapPartitions(KeyTimes::arrays).collect();
    int n = 0;
    for (long[][] p : parts) {
      n = Math.addExact(n, p[0].length);
    }
    long[] keys = new long[n];
    long[] times = new long[n];
    int at = 0;
    for (long[][] p : parts) {
      System.arraycopy(p[0], 0, keys, at, p[0].length);
      System.arraycopy(p[1], 0, times, at, p[1].length);
      at += p[0].length;
    }
    return of(keys, times, n);
  }

  private static Iterator<long[][]> arrays(Iterator<InternalRow> rows) {
    long[] keys = new long[1024];
    long[] times = new long[1024];
    int n = 0;
    while (rows.hasNext()) {
      InternalRow r = rows.next();
      if (n == keys.length) {
        keys = Arrays.copyOf(keys, n * 2);
        times = Arrays.copyOf(times, n * 2);
      }
      keys[n] = r.getLong(0);
      times[n++] = r.getLong(1);
    }
    long[][] pairs = {Arrays.copyOf(keys, n), Arrays.copyOf(times, n)};
    return Collections.singletonList(pairs).iterator();
  }

  /**
   * The table of {@code n} (key, time) pairs: {@code keys[i]} at {@code times[i]} (any order, keys
   * may repeat).
   */
  static KeyTimes of(long[] keys, long[] times, int n) {
    long wanted = Math.max(2L, (long) n * SPREAD_NUMERATOR / SPREAD_DENOMINATOR);
    int capacity = Integer.highestOneBit((int) Math.min(wanted - 1, 1 << 30)) << 1; // power of two
    long[] table = new long[capacity * SLOT];
    byte[] tags = new byte[capacity];
    int[] length = new int[capacity];
    int mask = capacity - 1;
    int[] slotOf = new int[n];
    int distinct = 0;
    for (int i = 0; i < n; i++) { // each key's slot and number of times
      int s = slot(tags, table, mask, keys[i]);
      if (length[s] == 0) {
        tags[s] = tag(keys[i]);
        table[s * SLOT + KEY] = keys[i];
        table[s * SLOT + RUN] = 1; // taken; the run is set below
        table[s * SLOT + LATEST] = Long.MIN_VALUE;
        distinct++;
      }
      length[s]++;
      table[s * SLOT + LATEST] = Math.max(table[s * SLOT + LATEST], times[i]);
      slotOf[i] = s;
    }
    int[] fill = new int[capacity];
    for (int s = 0, at = 0; s < capacity; s++) { // each key's run in the times array
      fill[s] = at;
      if (length[s] > 0) {
        table[s * SLOT + RUN] = ((long) at << 32) | length[s];
      }
      at += length[s];
    }
    long[] sorted = new long[n];
    for (int i = 0; i < n; i++) {
      sorted[fill[slotOf[i]]++] = times[i];
    }
    for (int s = 0; s < capacity; s++) {
      if (length[s] > 1) {
        int start = (int) (table[s * SLOT + RUN] >>> 32);
        Arrays.sort(sorted, start, start + length[s]);
      }
    }
    return new KeyTimes(table, tags, sorted, distinct);
  }

  /** Some candidate is walked under {@code key}. */
  boolean contains(long key) {
    return tags[slot(tags, table, mask, key)] != 0;
  }

  /**
   * Some candidate on {@code key} lies at {@code [time, time + horizon]} (both ends included: a
   * superset of the walk's own window, which never hands a candidate a touch of its own instant).
   */
  boolean reaches(long key, long time, long horizon) {
    int s = slot(tags, table, mask, key);
    if (tags[s] == 0) {
      return false; // no candidate on the key: answered from the tags alone
    }
    int at = s * SLOT;
    long run = table[at + RUN];
    if (table[at + LATEST] < time) {
      return false; // no candidate at or after the touch
    }
    int length = (int) run;
    if (length == 1) {
      return table[at + LATEST] - time <= horizon;
    }
    int from = (int) (run >>> 32);
    int to = from + length;
    int i = Arrays.binarySearch(times, from, to, time);
    int first = i >= 0 ? i : -i - 1; // the first candidate time >= time (exists: LATEST >= time)
    return times[first] - time <= horizon;
  }

  int keys() {
    return keys;
  }

  int candidates() {
    return times.length;
  }

  /** The arrays' size, for the operator's log line. */
  long bytes() {
    return (long) table.length * Long.BYTES + tags.length + (long) times.length * Long.BYTES;
  }

  /**
   * The slot holding {@code key}, or the empty slot where it would go (linear probing): the table
   * is read only where the tag matches.
   */
  private static int slot(byte[] tags, long[] table, int mask, long key) {
    byte tag = tag(key);
    int s = (int) (key ^ (key >>> 32)) & mask; // keys are already 64-bit hashes
    for (byte t = tags[s]; t != 0; t = tags[s]) {
      if (t == tag && table[s * SLOT + KEY] == key) {
        return s;
      }
      s = (s + 1) & mask;
    }
    return s;
  }

  /** 8 bits of the key the slot index does not use (the top byte), never 0. */
  private static byte tag(long key) {
    byte t = (byte) (key >>> 56);
    return t == 0 ? 1 : t;
  }
}
