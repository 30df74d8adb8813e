package io.touchpoint.batch;

import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** Creates (or joins) the SparkSession with the job's settings; anything already set wins. */
public final class BatchSession {
  private BatchSession() {}

  /**
   * @param master a master for local runs, or null to take spark-submit's
   * @param s3a Hadoop s3a settings to apply (empty on EMR)
   */
  public static SparkSession create(BatchConfig config, String master, Map<String, String> s3a) {
    SparkConf submitted = new SparkConf(true);
    SparkSession.Builder builder = SparkSession.builder().appName("touchpoint-batch");
    if (master != null && !submitted.contains("spark.master")) {
      builder.master(master);
    }
    config
        .sparkConf()
        .forEach(
            (k, v) -> {
              if (!submitted.contains(k)) {
                builder.config(k, v);
              }
            });
    s3a.forEach(
        (k, v) -> {
          if (!submitted.contains("spark.hadoop." + k)) {
            builder.config("spark.hadoop." + k, v);
          }
        });
    SparkSession spark = builder.getOrCreate();
    // event days are UTC dates: the job is only correct with a UTC session zone
    spark.conf().set("spark.sql.session.timeZone", "UTC");
    return spark;
  }
}
