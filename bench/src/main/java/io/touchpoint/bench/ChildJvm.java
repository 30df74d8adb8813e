package io.touchpoint.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line of a job run as a child JVM of the bench (chaos runs, the lake's process). */
public final class ChildJvm {
  private ChildJvm() {}

  /**
   * {@code mainClass} with {@code args} on this JVM's class path, with its module opens and the
   * {@code touchpoint.*} system properties (profile, home), {@code heap} as -Xmx and then {@code
   * options}.
   */
  public static List<String> command(
      String heap, List<String> options, String mainClass, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx" + heap);
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("--add-opens")
          || arg.startsWith("--add-exports")
          || arg.startsWith("-Djdk.")
          || arg.startsWith("-Dio.netty")
          || arg.startsWith("-Dtouchpoint.")) {
        cmd.add(arg);
      }
    }
    cmd.addAll(options);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(mainClass);
    cmd.addAll(args);
    return cmd;
  }
}
