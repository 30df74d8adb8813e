package io.touchpoint.bench.batch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.StageInfo;

/**
 * The Spark UI's stage table, kept in memory: wall time, tasks, executor run / CPU / GC time and
 * shuffle and input bytes per completed stage, to say where the attribute step's time goes.
 */
final class StageTimes extends SparkListener {
  record Stage(
      int id,
      String name,
      long wallMs,
      int tasks,
      long runMs,
      long cpuMs,
      long gcMs,
      long inputBytes,
      long shuffleReadBytes,
      long shuffleWriteBytes,
      long spillBytes) {
    Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("stage", id);
      m.put("name", name);
      m.put("wall_ms", wallMs);
      m.put("tasks", tasks);
      m.put("executor_run_ms", runMs);
      m.put("executor_cpu_ms", cpuMs);
      m.put("gc_ms", gcMs);
      m.put("input_mb", inputBytes / 1_000_000);
      m.put("shuffle_read_mb", shuffleReadBytes / 1_000_000);
      m.put("shuffle_write_mb", shuffleWriteBytes / 1_000_000);
      m.put("spill_mb", spillBytes / 1_000_000);
      return m;
    }
  }

  private final List<Stage> stages = new ArrayList<>();

  @Override
  public synchronized void onStageCompleted(SparkListenerStageCompleted event) {
    StageInfo info = event.stageInfo();
    long wall =
        info.completionTime().isDefined() && info.submissionTime().isDefined()
            ? (Long) info.completionTime().get() - (Long) info.submissionTime().get()
            : 0L;
    TaskMetrics t = info.taskMetrics();
    String name = info.name();
    stages.add(
        new Stage(
            info.stageId(),
            name,
            wall,
            info.numTasks(),
            t.executorRunTime(),
            t.executorCpuTime() / 1_000_000,
            t.jvmGCTime(),
            t.inputMetrics().bytesRead(),
            t.shuffleReadMetrics().totalBytesRead(),
            t.shuffleWriteMetrics().bytesWritten(),
            t.diskBytesSpilled() + t.memoryBytesSpilled()));
  }

  synchronized void reset() {
    stages.clear();
  }

  /** The {@code n} longest stages since the last reset, longest first. */
  synchronized List<Map<String, Object>> longest(int n) {
    return stages.stream()
        .sorted(Comparator.comparingLong(Stage::wallMs).reversed())
        .limit(n)
        .map(Stage::toMap)
        .toList();
  }

  synchronized long totalRunMs() {
    return stages.stream().mapToLong(Stage::runMs).sum();
  }

  synchronized long totalGcMs() {
    return stages.stream().mapToLong(Stage::gcMs).sum();
  }

  synchronized int count() {
    return stages.size();
  }
}
