package io.touchpoint.batch.steps;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.udf;

import io.touchpoint.batch.BatchFunctions;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.sketch.BloomFilter;

/**
 * What D's candidates will ask for: how many there are, how many link keys (click id,
 * probabilistic) they ask, and Bloom filters of their walk keys and link keys, registered as the
 * SQL predicates {@code tp_walk_key_wanted} / {@code tp_link_key_wanted} and the touch key function
 * {@code tp_touch_walk_key}, which drop, before the shuffle, the touches and earlier installs no
 * candidate can ask for. A false positive only keeps a row the walk then ignores.
 */
record WalkKeys(
    long candidates, long linkKeys, String primaryFilter, String linkFilter, String touchKey) {
  /** False-positive rate of the filters: 1 % of the unwanted rows still travel. */
  private static final double FPP = 0.01;

  static WalkKeys of(SparkSession spark, Dataset<Row> candidates) {
    // read two or three times (count, then each filter): the candidates' keys are computed once
    Dataset<Row> keys =
        candidates
            .select(WalkRows.primaryOf().as("k"), WalkRows.secondaryOf(candidates).as("s"))
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Row counts = keys.agg(count(lit(1)), sum(size(col("s")))).first();
      long n = counts.getLong(0);
      long links = counts.isNullAt(1) ? 0 : counts.getLong(1);
      if (n == 0) {
        return new WalkKeys(0, 0, null, null, null);
      }
      Broadcast<BloomFilter> walk = broadcast(spark, keys.stat().bloomFilter(col("k"), n, FPP));
      register(spark, "tp_walk_key_wanted", walk);
      // a touch's walk key, null when it has none or no candidate asks it: one function (not a key
      // generator and a filter), nondeterministic so that the optimizer neither pushes the filter
      // on its result below it (computing it twice) nor reads a dropped touch's other columns
      spark
          .udf()
          .register(
              "tp_touch_walk_key",
              udf(
                      (UDF2<String, String, Long>)
                          (app, aid) -> {
                            Long k = BatchFunctions.touchPrimaryKey(app, aid);
                            return k != null && walk.value().mightContainLong(k) ? k : null;
                          },
                      DataTypes.LongType)
                  .asNondeterministic());
      if (links > 0) {
        register(
            spark,
            "tp_link_key_wanted",
            broadcast(
                spark,
                keys.select(explode(col("s")).as("k")).stat().bloomFilter(col("k"), links, FPP)));
      }
      return new WalkKeys(
          n, links, "tp_walk_key_wanted", "tp_link_key_wanted", "tp_touch_walk_key");
    } finally {
      keys.unpersist(false);
    }
  }

  private static Broadcast<BloomFilter> broadcast(SparkSession spark, BloomFilter filter) {
    return new JavaSparkContext(spark.sparkContext()).broadcast(filter);
  }

  private static void register(SparkSession spark, String name, Broadcast<BloomFilter> b) {
    spark
        .udf()
        .register(
            name,
            (UDF1<Long, Boolean>) k -> k != null && b.value().mightContainLong(k),
            DataTypes.BooleanType);
  }
}
