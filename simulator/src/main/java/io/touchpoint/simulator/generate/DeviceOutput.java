package io.touchpoint.simulator.generate;

import io.touchpoint.simulator.Tally;
import io.touchpoint.simulator.output.OutRecord;
import io.touchpoint.simulator.truth.SiteDay;
import io.touchpoint.simulator.truth.TruthRecord;
import java.util.List;
import java.util.Map;

/**
 * Everything one device contributes: its records, its candidates' truth, counters and clicks per
 * site-day.
 */
public record DeviceOutput(
    List<OutRecord> records,
    List<TruthRecord> truths,
    Tally tally,
    Map<SiteDay, Long> clicksBySiteDay) {}
