package io.touchpoint.bench.stream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * Where the CPU of a live run goes: this JVM (the attribution query, or all three, plus the load
 * generator), the producer's threads in it, the lake's JVM if any, and the whole machine (every
 * process: the broker, S3, the JVMs), from snapshots taken while the records are produced.
 */
final class CpuMeter {
  /** CPU seconds used between two snapshots, and the wall seconds between them. */
  record Cpu(
      double wallSeconds,
      double benchJvmSeconds,
      double producerSeconds,
      double lakeJvmSeconds,
      double machineSeconds) {}

  /** Counters at one moment (ns; the machine's in clock ticks). */
  record Snapshot(long at, long benchJvm, long producer, long lakeJvm, long machineTicks) {
    Cpu since(Snapshot from) {
      return new Cpu(
          (at - from.at) / 1e9,
          (benchJvm - from.benchJvm) / 1e9,
          (producer - from.producer) / 1e9,
          (lakeJvm - from.lakeJvm) / 1e9,
          (machineTicks - from.machineTicks) / (double) USER_HZ);
    }
  }

  /**
   * The unit of /proc/stat's counters: USER_HZ, which Linux exports to user space as 100 on every
   * architecture it runs on here, whatever the kernel's own tick rate.
   */
  private static final int USER_HZ = 100;

  private static final Path PROC_STAT = Path.of("/proc/stat");

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final LongSupplier lakeJvm;

  /** {@code lakeJvm}: the lake JVM's CPU ns so far (null: none). */
  CpuMeter(LongSupplier lakeJvm) {
    this.lakeJvm = lakeJvm;
  }

  Snapshot now() {
    return new Snapshot(
        System.nanoTime(),
        LakeServer.processCpuNanos(),
        producerNanos(),
        lakeJvm == null ? 0 : lakeJvm.getAsLong(),
        machineBusyTicks());
  }

  /** The load generator's threads: the bench's feeder and the Kafka producer's I/O thread. */
  private long producerNanos() {
    long n = 0;
    for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (t != null
          && (t.getThreadName().equals(LiveRun.PRODUCER_THREAD)
              || t.getThreadName().startsWith("kafka-producer-network-thread"))) {
        n += Math.max(0, threads.getThreadCpuTime(t.getThreadId()));
      }
    }
    return n;
  }

  /** Busy ticks of all cores: user, nice, system, irq, softirq, steal (not idle, not iowait). */
  static long machineBusyTicks() {
    try {
      String[] f = Files.readAllLines(PROC_STAT).get(0).trim().split("\\s+");
      long busy = 0;
      for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
        busy += Long.parseLong(f[i]);
      }
      return busy;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
