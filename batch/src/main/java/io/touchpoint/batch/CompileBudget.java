package io.touchpoint.batch;

import io.touchpoint.model.LakeTables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.management.JMException;
import javax.management.ObjectName;
import org.apache.spark.sql.SparkSession;

/**
 * Compile work sized to the input. A demo-sized night reads a few MB, and on two cores its
 * compilers took more CPU than its Spark tasks: the JVM's optimizing JIT (C2) 50-65 s in a 47-53 s
 * night (`-XX:+CITime`), on Spark's and Delta's planning code and ~530 classes of generated code
 * (Janino) per night that each run for moments.
 *
 * <ul>
 *   <li>{@link #jit}: when a run's input is below {@code small-input}, C2 is left out for the rest
 *       of this JVM (a compiler directive added through the JVM's diagnostic MBean, as {@code jcmd
 *       Compiler.directives_add} does): hot methods stay at C1's optimized code, which costs a
 *       tenth of C2's compile time. HotSpot does not take a method back to C2 once it was left at
 *       C1, so this is decided once per JVM, by its first run, and only by the process's owner
 *       ({@link #jitForRun}, called by the {@code batch} command; a library call of the batch in a
 *       shared JVM, such as the test suite's, leaves the JIT alone).
 *   <li>{@link #codegen}: a step whose input is below {@code codegen-min-input} plans its queries
 *       without generated code ({@code spark.sql.codegen.wholeStage = false}, {@code
 *       spark.sql.codegen.factoryMode = NO_CODEGEN}: Spark's interpreted operators, projections and
 *       orderings): no Janino, no classes for the JIT. Chosen again for every step.
 *   <li>{@link #plans}: a step whose input is below {@code adaptive-min-input} plans each query
 *       once ({@code spark.sql.adaptive.enabled = false}, shuffle partitions = the cores): adaptive
 *       execution runs every shuffle stage as a job of its own and plans the rest again after it,
 *       which on a few MB costs more than the stages; there is nothing to coalesce or split. Chosen
 *       again for every step.
 * </ul>
 *
 * Above the limits nothing changes: a large day's hot loops need generated code and C2.
 */
public final class CompileBudget {
  /** Every method: C2 excluded, so the tiered policy compiles it at level 1 (C1, no profiling). */
  static final String C1_ONLY = "[{ match: \"*.*\", c2: { Exclude: true } }]";

  static final String WHOLE_STAGE = "spark.sql.codegen.wholeStage";
  static final String FACTORY_MODE = "spark.sql.codegen.factoryMode";

  /** Marks a session whose code generation this class turned off (to turn it on again). */
  static final String SIZED = "touchpoint.batch.codegen-off-for-small-input";

  static final String ADAPTIVE = "spark.sql.adaptive.enabled";
  static final String PARTITIONS = "spark.sql.shuffle.partitions";

  /** The session's adaptive and shuffle-partition settings while {@link #plans} replaced them. */
  static final String SAVED_PLANS = "touchpoint.batch.plans-for-small-input.saved";

  private static final double MIB = 1 << 20;

  private static final AtomicBoolean JIT_DECIDED = new AtomicBoolean();
  private static volatile boolean c1Only;

  private CompileBudget() {}

  /**
   * On this JVM's first call: leaves C2 out when {@code runInputBytes} is below {@code smallInput}
   * (0 = never). Returns the line for the log, null on later calls.
   */
  public static String jit(long runInputBytes, long smallInput) {
    if (!JIT_DECIDED.compareAndSet(false, true)) {
      return null;
    }
    if (smallInput > 0 && runInputBytes < smallInput) {
      addDirective(C1_ONLY);
      c1Only = true;
    }
    return String.format(
        "run input %.1f MiB, small below %.0f MiB: %s",
        runInputBytes / MIB,
        smallInput / MIB,
        c1Only ? "JIT without C2 in this JVM" : "the JVM's own JIT");
  }

  /**
   * The JIT for a process that runs one batch: decided by the run's input, the touches and app
   * events of its days (bronze when it compacts them, silver otherwise). Only the process's owner
   * calls this (the {@code batch} command, under {@code ./touchpoint} or spark-submit): a JVM
   * shared with other work (a test suite) keeps its own JIT. Returns the line for the log, null
   * when this JVM had decided already.
   */
  public static String jitForRun(
      Lake lake, long smallInput, LocalDate from, LocalDate through, boolean compacts) {
    if (JIT_DECIDED.get()) {
      return null;
    }
    long bytes = 0;
    if (smallInput > 0) {
      for (String table :
          compacts
              ? List.of(LakeTables.BRONZE_TOUCHPOINTS, LakeTables.BRONZE_APP_EVENTS)
              : List.of(LakeTables.SILVER_TOUCHPOINTS, LakeTables.SILVER_APP_EVENTS)) {
        bytes += lake.bytes(table, from, through);
      }
    }
    return jit(bytes, smallInput);
  }

  /** Whether this JVM left C2 out. */
  public static boolean c1Only() {
    return c1Only;
  }

  /**
   * Turns the session's code generation off for a step whose input is below {@code minInput} bytes
   * (0 = always on), on again otherwise. Returns the line for the log.
   */
  public static String codegen(SparkSession spark, long stepInputBytes, long minInput) {
    boolean off = stepInputBytes < minInput;
    if (off) {
      spark.conf().set(WHOLE_STAGE, "false");
      spark.conf().set(FACTORY_MODE, "NO_CODEGEN");
      spark.conf().set(SIZED, "true");
    } else if ("true".equals(spark.conf().get(SIZED, "false"))) {
      spark.conf().unset(WHOLE_STAGE);
      spark.conf().unset(FACTORY_MODE);
      spark.conf().unset(SIZED);
    }
    return String.format(
        "input %.2f MiB, generated code from %.0f MiB: %s",
        stepInputBytes / MIB, minInput / MIB, off ? "interpreted" : "generated code");
  }

  /**
   * Plans a step whose input is below {@code minInput} bytes (0 = always adaptive) once, without
   * adaptive query execution, in as many shuffle partitions as the cluster has cores; the session's
   * own settings again for a larger step. Returns the line for the log.
   */
  public static String plans(SparkSession spark, long stepInputBytes, long minInput) {
    boolean fixed = stepInputBytes < minInput;
    String saved = spark.conf().get(SAVED_PLANS, null);
    int cores = spark.sparkContext().defaultParallelism();
    if (fixed) {
      if (saved == null) {
        spark
            .conf()
            .set(SAVED_PLANS, spark.conf().get(ADAPTIVE) + "," + spark.conf().get(PARTITIONS));
      }
      spark.conf().set(ADAPTIVE, "false");
      spark.conf().set(PARTITIONS, String.valueOf(cores));
    } else if (saved != null) {
      String[] adaptiveAndPartitions = saved.split(",", 2);
      spark.conf().set(ADAPTIVE, adaptiveAndPartitions[0]);
      spark.conf().set(PARTITIONS, adaptiveAndPartitions[1]);
      spark.conf().unset(SAVED_PLANS);
    }
    return String.format(
        "adaptive plans from %.0f MiB: %s",
        minInput / MIB, fixed ? "planned once, " + cores + " shuffle partitions" : "adaptive");
  }

  /** Whether the session's current step was sized as small by {@link #plans} (planned once). */
  public static boolean plannedOnce(SparkSession spark) {
    return spark.conf().get(SAVED_PLANS, null) != null;
  }

  /** Adds a compiler directive (JSON) to this JVM's directive stack. */
  static void addDirective(String json) {
    Path file = null;
    try {
      file = Files.createTempFile("touchpoint-jit", ".json");
      Files.writeString(file, json, StandardCharsets.UTF_8);
      Object added =
          ManagementFactory.getPlatformMBeanServer()
              .invoke(
                  new ObjectName("com.sun.management:type=DiagnosticCommand"),
                  "compilerDirectivesAdd",
                  new Object[] {new String[] {file.toString()}},
                  new String[] {String[].class.getName()});
      if (added == null || !String.valueOf(added).contains("1 compiler directives added")) {
        throw new IllegalStateException("the JVM did not take the compiler directive: " + added);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (JMException e) {
      throw new IllegalStateException("cannot add a compiler directive: " + e.getMessage(), e);
    } finally {
      if (file != null) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException e) {
          // a temporary file left behind is harmless
        }
      }
    }
  }
}
