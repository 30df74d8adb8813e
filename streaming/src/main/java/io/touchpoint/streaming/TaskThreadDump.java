package io.touchpoint.streaming;

import java.util.Map;

/**
 * The stacks of Spark's task threads, for the log line of a batch that did not finish in time: what
 * an on-call engineer needs to see where it waits (an object-store call, a state-store commit).
 */
final class TaskThreadDump {
  private static final String TASK_THREAD = "Executor task launch";
  private static final int MAX_FRAMES = 40;

  private TaskThreadDump() {}

  static String now() {
    StringBuilder out = new StringBuilder();
    for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
      Thread t = e.getKey();
      if (!t.getName().startsWith(TASK_THREAD)) {
        continue;
      }
      out.append("\n\"").append(t.getName()).append("\" ").append(t.getState());
      StackTraceElement[] frames = e.getValue();
      for (int i = 0; i < Math.min(MAX_FRAMES, frames.length); i++) {
        out.append("\n    at ").append(frames[i]);
      }
    }
    return out.length() == 0 ? " none running" : out.toString();
  }
}
