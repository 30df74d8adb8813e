package io.touchpoint.bench.stream;

import io.touchpoint.simulator.SimulationParams;
import io.touchpoint.simulator.Simulator;
import io.touchpoint.simulator.output.OutRecord;
import io.touchpoint.simulator.output.OutputOptions;
import io.touchpoint.simulator.output.RecordSink;
import io.touchpoint.simulator.output.RulesOverlay;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One simulation held in memory, in arrival order (the load the benchmark replays), with the rules
 * overlay the job must use for the simulated apps. Every phase replays a prefix of it into fresh
 * topics, so ids never repeat within a phase.
 */
final class SimulatedRecords {
  final List<OutRecord> records;
  final Path rulesOverlay;

  private SimulatedRecords(List<OutRecord> records, Path rulesOverlay) {
    this.records = records;
    this.rulesOverlay = rulesOverlay;
  }

  static SimulatedRecords simulate(Path dir, int devices, int days, double malformedShare)
      throws IOException {
    List<OutRecord> records = new ArrayList<>();
    SimulationParams params =
        SimulationParams.defaults()
            .withSize(devices, days)
            .withShares(
                malformedShare,
                SimulationParams.DEFAULT_LATE_SHARE,
                SimulationParams.DEFAULT_DUPLICATE_SHARE);
    new Simulator(params, OutputOptions.jsonl(dir), null)
        .run(
            new RecordSink() {
              @Override
              public void accept(OutRecord record, long position) {
                records.add(record);
              }

              @Override
              public void close() {}
            });
    return new SimulatedRecords(records, dir.resolve(RulesOverlay.FILE));
  }

  /** The first {@code n} records (all of them when fewer). */
  List<OutRecord> first(long n) {
    return records.subList(0, (int) Math.min(n, records.size()));
  }
}
