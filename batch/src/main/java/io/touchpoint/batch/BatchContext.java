package io.touchpoint.batch;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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

  public BatchContext(
      SparkSession spark,
      BatchConfig config,
      Lake lake,
      Rules rules,
      Rates rates,
      PrintStream out) {
    this(spark, config, lake, rules, rates, out, new AtomicLong(System.nanoTime()));
    BatchFunctions.register(spark, rules, rates);
  }

  /** The same context with a clock of its own, for a step that runs beside another. */
  public BatchContext branch() {
    return new BatchContext(
        spark, config, lake, rules, rates, out, new AtomicLong(System.nanoTime()));
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

  /**
   * Runs independent pieces of work (each writing its own tables), up to {@code concurrent-writes}
   * at once on driver threads of their own (in order on this thread when that is 1), and returns
   * their results in order. Every piece has ended when this returns; the first failure (in order)
   * is thrown then.
   */
  public <T> List<T> all(List<Callable<T>> pieces) {
    int threads = Math.min(config.concurrentWrites(), pieces.size());
    List<T> results = new ArrayList<>(pieces.size());
    if (threads <= 1) {
      for (Callable<T> piece : pieces) {
        results.add(call(piece));
      }
      return results;
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "batch-write");
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<T>> done = pool.invokeAll(pieces);
      RuntimeException failure = null;
      for (Future<T> f : done) {
        try {
          results.add(f.get());
        } catch (ExecutionException e) {
          if (failure == null) {
            failure = unchecked(e.getCause());
          }
        }
      }
      if (failure != null) {
        throw failure;
      }
      return results;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the batch's writes ran", e);
    } finally {
      pool.shutdownNow();
    }
  }

  private static <T> T call(Callable<T> piece) {
    try {
      return piece.call();
    } catch (Exception e) {
      throw unchecked(e);
    }
  }

  private static RuntimeException unchecked(Throwable e) {
    if (e instanceof RuntimeException r) {
      return r;
    }
    if (e instanceof Error err) {
      throw err;
    }
    if (e instanceof java.io.IOException io) {
      return new UncheckedIOException(io);
    }
    return new IllegalStateException(e);
  }
}
