package io.touchpoint.bench.batch;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Machine facts a benchmark result needs: cores, memory, load average, Java version. */
final class Machine {
  private Machine() {}

  static Map<String, Object> facts() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cores", Runtime.getRuntime().availableProcessors());
    m.put("memory_gb", memoryGb());
    m.put("load_average_at_end", loadAverage());
    m.put("java", System.getProperty("java.version"));
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    return m;
  }

  /** The 1, 5 and 15 minute load averages (/proc/loadavg), or the JVM's 1-minute figure. */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return String.valueOf(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
  }

  static long memoryGb() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return Math.round(sun.getTotalMemorySize() / (double) (1L << 30));
    }
    return -1;
  }
}
