package io.touchpoint.batch.steps;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.unix_micros;

import io.touchpoint.batch.BatchFunctions;
import java.io.Serializable;
import java.time.Duration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.sketch.BloomFilter;

/**
 * What D's candidates will ask for: how many there are, how many link keys (click id,
 * probabilistic) they ask, and filters of their walk keys and link keys, registered as the SQL
 * predicates {@code tp_walk_key_wanted} / {@code tp_link_key_wanted} and the touch key function
 * {@code tp_touch_walk_key}, which drop, before the shuffle, the touches and earlier installs no
 * candidate can ask for.
 *
 * <p>Up to {@code exactLimit} candidates, the walk-key filter is exact ({@link KeyTimes}: each
 * key's candidate times, broadcast): a touch travels only when a candidate on its key lies within
 * the walk's horizon after it, and an earlier install only when its key is a candidate's. Above the
 * limit (a day too large to hold on the driver and every executor), and always for the link keys, a
 * Bloom filter of the keys: a false positive only keeps a row the walk then ignores. Both plans
 * give the walk every row it reads, so the same verdicts.
 */
record WalkKeys(
    long candidates,
    long linkKeys,
    String primaryFilter,
    String linkFilter,
    String touchKey,
    String plan) {
  /** False-positive rate of the Bloom filters: 1 % of the unwanted rows still travel. */
  private static final double FPP = 0.01;

  static WalkKeys of(
      SparkSession spark,
      Dataset<Row> candidates,
      Duration horizon,
      long exactLimit,
      boolean smallStep) {
    // read two or three times (count, then each filter). With an exact filter possible, or on a
    // small step, the keys and times are computed once and kept: on a small day each read of D's
    // app events is a Delta file-filtering job of its own (four more jobs, +1.2 s on the demo's
    // night without the cache). Without (exactLimit 0: the walk reads the touches by bucket and
    // only the earlier installs are filtered, by the Bloom filter of the walk keys), building that
    // cache of every candidate's columns cost more than computing the key again in the Bloom
    // filter's pass (JFR at 50 M touches: the cache build was 4 % of the step's CPU)
    boolean keep = exactLimit > 0 || smallStep;
    Dataset<Row> keys =
        candidates.select(
            WalkRows.primaryOf().as("k"),
            WalkRows.secondaryOf(candidates).as("s"),
            unix_micros(col("event_time")).as("t"));
    if (keep) {
      keys = keys.persist(StorageLevel.MEMORY_AND_DISK());
    }
    try {
      Row counts = keys.agg(count(lit(1)), sum(size(col("s")))).first();
      long n = counts.getLong(0);
      long links = counts.isNullAt(1) ? 0 : counts.getLong(1);
      if (n == 0) {
        return new WalkKeys(0, 0, null, null, null, "none");
      }
      String plan;
      if (n <= exactLimit) {
        KeyTimes exact = KeyTimes.collect(keys.where(col("k").isNotNull()).select("k", "t"));
        long within = horizon.toNanos() / 1_000L; // Spark's timestamps are microseconds
        Broadcast<KeyTimes> b = broadcast(spark, exact);
        register(spark, "tp_walk_key_wanted", k -> k != null && b.value().contains(k));
        registerTouchKey(spark, (k, t) -> t != null && b.value().reaches(k, t, within));
        plan =
            "exact key/time filter (%d keys, %d MB, horizon %s)"
                .formatted(exact.keys(), exact.bytes() >> 20, horizon);
      } else {
        Broadcast<BloomFilter> walk = broadcast(spark, keys.stat().bloomFilter(col("k"), n, FPP));
        register(spark, "tp_walk_key_wanted", k -> k != null && walk.value().mightContainLong(k));
        registerTouchKey(spark, (k, t) -> walk.value().mightContainLong(k));
        plan =
            "Bloom filter (%d candidates > exact-filter-max-candidates %d)"
                .formatted(n, exactLimit);
      }
      if (links > 0) {
        Broadcast<BloomFilter> link =
            broadcast(
                spark,
                keys.select(explode(col("s")).as("k")).stat().bloomFilter(col("k"), links, FPP));
        register(spark, "tp_link_key_wanted", k -> k != null && link.value().mightContainLong(k));
      }
      return new WalkKeys(
          n, links, "tp_walk_key_wanted", "tp_link_key_wanted", "tp_touch_walk_key", plan);
    } finally {
      if (keep) {
        keys.unpersist(false);
      }
    }
  }

  /** Whether a touch's key (never null) at a time (microseconds) can reach a candidate. */
  private interface TouchWanted extends Serializable {
    boolean test(long key, Long time);
  }

  /**
   * A touch's walk key, null when it has none or no candidate asks it: one function (not a key
   * generator and a filter), nondeterministic so that the optimizer neither pushes the filter on
   * its result below it (computing it twice) nor reads a dropped touch's other columns.
   */
  private static void registerTouchKey(SparkSession spark, TouchWanted wanted) {
    spark
        .udf()
        .register(
            "tp_touch_walk_key",
            udf(
                    (UDF3<String, String, Long, Long>)
                        (app, aid, time) -> {
                          Long k = BatchFunctions.touchPrimaryKey(app, aid);
                          return k != null && wanted.test(k, time) ? k : null;
                        },
                    DataTypes.LongType)
                .asNondeterministic());
  }

  private static <T> Broadcast<T> broadcast(SparkSession spark, T value) {
    return new JavaSparkContext(spark.sparkContext()).broadcast(value);
  }

  private static void register(SparkSession spark, String name, UDF1<Long, Boolean> predicate) {
    spark.udf().register(name, predicate, DataTypes.BooleanType);
  }
}
