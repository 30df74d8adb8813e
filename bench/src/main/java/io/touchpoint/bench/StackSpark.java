package io.touchpoint.bench;

import io.touchpoint.local.StackConfig;
import io.touchpoint.streaming.StreamingConfig;
import io.touchpoint.streaming.StreamingJob;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/** The Spark session a bench command runs in its own JVM, on the embedded stack's S3. */
public final class StackSpark {
  private StackSpark() {}

  /** Small (2 cores, 4 shuffle partitions, no UI): comparisons and short reference runs. */
  public static SparkSession session(StackConfig config) {
    return session(config.s3Endpoint(), config.s3AccessKey, config.s3SecretKey);
  }

  /** As {@link #session(StackConfig)}, on the S3 API at {@code s3Endpoint}. */
  public static SparkSession session(String s3Endpoint, String accessKey, String secretKey) {
    return StreamingJob.session(
        StreamingConfig.load(
            null,
            List.of(
                "spark.master=local[2]",
                "spark.sql.shuffle.partitions=4",
                "spark.ui.enabled=false",
                "spark.driver.host=127.0.0.1",
                "spark.driver.bindAddress=127.0.0.1",
                "lake.s3a.endpoint=" + s3Endpoint,
                "lake.s3a.access-key=" + accessKey,
                "lake.s3a.secret-key=" + secretKey)));
  }
}
