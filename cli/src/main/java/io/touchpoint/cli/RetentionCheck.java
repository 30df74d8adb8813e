package io.touchpoint.cli;

import io.touchpoint.simulator.truth.RetentionTruth;
import io.touchpoint.simulator.truth.TruthRecord;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Each cohort's (install or re-attribution) retained day-N points as the shared rules counted them,
 * against the simulator's retention truth.
 */
record RetentionCheck(
    long cohorts, long agreeing, Map<Integer, long[]> byDay, List<String> disagreements) {
  private static final int SHOWN = 10;

  static RetentionCheck of(Map<String, TruthRecord> truth, Map<String, SortedSet<Integer>> actual) {
    long cohorts = 0;
    long agreeing = 0;
    Map<Integer, long[]> byDay = new TreeMap<>(); // day -> [truth, counted]
    RetentionTruth.REPORTED_DAYS.forEach(d -> byDay.put(d, new long[2]));
    List<String> disagreements = new ArrayList<>();
    for (TruthRecord t : truth.values()) {
      if (!t.startsCohort()) {
        continue;
      }
      cohorts++;
      Set<Integer> expected =
          new TreeSet<>(t.retainedDays() == null ? List.of() : t.retainedDays());
      Set<Integer> counted = actual.getOrDefault(t.candidateEventId(), new TreeSet<>());
      expected.forEach(d -> byDay.get(d)[0]++);
      counted.forEach(d -> byDay.computeIfAbsent(d, k -> new long[2])[1]++);
      if (expected.equals(counted)) {
        agreeing++;
      } else {
        disagreements.add(
            t.candidateEventId()
                + " ("
                + t.scenario()
                + "): expected days "
                + expected
                + ", got "
                + counted);
      }
    }
    return new RetentionCheck(cohorts, agreeing, byDay, disagreements);
  }

  boolean agrees() {
    return agreeing == cohorts;
  }

  double percent() {
    return cohorts == 0 ? 100.0 : 100.0 * agreeing / cohorts;
  }

  void print(PrintWriter out) {
    out.println("retained users by day N (truth / counted by the shared rule):");
    byDay.forEach(
        (day, n) -> out.printf(Locale.ROOT, "  day %-32d %,10d / %,10d%n", day, n[0], n[1]));
    if (!disagreements.isEmpty()) {
      out.printf(
          Locale.ROOT, "retention disagreements: %,d (first %d)%n", disagreements.size(), SHOWN);
      disagreements.stream().limit(SHOWN).forEach(d -> out.println("  " + d));
    }
    out.printf(
        Locale.ROOT,
        "retention agreement: %.2f%% (%,d of %,d installs and re-attributions)%n",
        percent(),
        agreeing,
        cohorts);
  }
}
