package io.touchpoint.simulator.truth;

import io.touchpoint.model.Attribution;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Compares verdicts from any layer with the simulator's truth, field by field: kind, outcome,
 * source, campaign, site, match type, touch type, winning touch and fraud reasons (as a set).
 * Contributors are not part of the truth. Speed, batch and check-truth all judge themselves here.
 */
public final class TruthComparison {
  private final Map<String, TruthRecord> truth;
  private final Map<String, List<String>> mismatches = new LinkedHashMap<>();
  private final List<String> unexpected = new ArrayList<>();
  private final java.util.Set<String> seen = new HashSet<>();

  public TruthComparison(Map<String, TruthRecord> truthByCandidate) {
    this.truth = truthByCandidate;
  }

  /** The fields on which {@code actual} differs from {@code expected}; empty when they agree. */
  public static List<String> differences(TruthRecord expected, Attribution actual) {
    List<String> diffs = new ArrayList<>();
    check(diffs, "kind", expected.kind(), actual.kind());
    check(diffs, "outcome", expected.outcome(), actual.outcome());
    check(diffs, "media_source", expected.mediaSource(), actual.mediaSource());
    check(diffs, "campaign_id", expected.campaignId(), actual.campaignId());
    check(diffs, "site_id", expected.siteId(), actual.siteId());
    check(diffs, "match_type", expected.matchType(), actual.matchType());
    check(diffs, "touch_type", expected.touchType(), actual.touchType());
    check(diffs, "touch_event_id", expected.touchEventId(), actual.touchEventId());
    check(
        diffs,
        "fraud_reasons",
        new HashSet<>(expected.fraudReasons()),
        new HashSet<>(actual.fraudReasons()));
    check(diffs, "re_engagement", expected.reEngagement(), actual.reEngagement());
    return diffs;
  }

  /** Records one verdict; a verdict for a candidate the truth does not know is unexpected. */
  public void add(Attribution actual) {
    TruthRecord expected = truth.get(actual.candidateEventId());
    if (expected == null) {
      unexpected.add(actual.candidateEventId());
      return;
    }
    if (!seen.add(actual.candidateEventId())) {
      unexpected.add(actual.candidateEventId() + " (second verdict)");
      return;
    }
    List<String> diffs = differences(expected, actual);
    if (!diffs.isEmpty()) {
      mismatches.put(actual.candidateEventId(), diffs);
    }
  }

  public long expected() {
    return truth.size();
  }

  public long agreed() {
    return seen.size() - mismatches.size();
  }

  /** Candidates of the truth no verdict was given for. */
  public List<String> missing() {
    return truth.keySet().stream().filter(id -> !seen.contains(id)).toList();
  }

  public Map<String, List<String>> mismatches() {
    return mismatches;
  }

  public List<String> unexpected() {
    return unexpected;
  }

  /** Share of the truth's candidates whose verdict agrees on every compared field, 0..100. */
  public double agreementPercent() {
    long denominator = expected() + unexpected.size();
    return denominator == 0 ? 100.0 : 100.0 * agreed() / denominator;
  }

  private static void check(List<String> diffs, String field, Object expected, Object actual) {
    if (!Objects.equals(expected, actual)) {
      diffs.add(field + ": expected " + expected + ", got " + actual);
    }
  }
}
