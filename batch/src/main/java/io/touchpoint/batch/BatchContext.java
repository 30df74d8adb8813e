package io.touchpoint.batch;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.sql.SparkSession;

/** What every step needs: the session, the lake, the rules, the rates and where to report. */
public record BatchContext(
    SparkSession spark,
    BatchConfig config,
    Lake lake,
    Rules rules,
    Rates rates,
    PrintStream out,
    AtomicLong lastLog) {

  public BatchContext {
    BatchFunctions.register(spark, rules, rates);
  }

  public BatchContext(
      SparkSession spark,
      BatchConfig config,
      Lake lake,
      Rules rules,
      Rates rates,
      PrintStream out) {
    this(spark, config, lake, rules, rates, out, new AtomicLong(System.nanoTime()));
  }

  /** A progress line, with the seconds since the previous one. */
  public void log(String format, Object... args) {
    long now = System.nanoTime();
    long before = lastLog.getAndSet(now);
    out.println(
        "batch: " + String.format(format, args) + String.format(" (%.1f s)", (now - before) / 1e9));
    out.flush();
  }

  /** Restarts the clock of {@link #log} (at the start of a step). */
  public void mark() {
    lastLog.set(System.nanoTime());
  }
}
