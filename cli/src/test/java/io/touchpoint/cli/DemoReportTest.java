package io.touchpoint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.touchpoint.serving.NamedQueries;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoReportTest {
  static final List<String> CH_COLUMNS =
      List.of(
          "scope",
          "installs",
          "organic",
          "paid",
          "organic_share",
          "rejected",
          "events",
          "revenue_usd",
          "reconciled",
          "speed_batch_agree",
          "speed_batch_agreement",
          "diff_touch_after_install",
          "diff_late_install",
          "diff_duplicate",
          "diff_batch_only_fraud",
          "diff_other");
  static final List<String> DRUID_COLUMNS = CH_COLUMNS.subList(0, 8);

  static NamedQueries.Table clickhouse(Object revenue, long reconciled, long agree, long... diffs) {
    List<Object> row =
        new ArrayList<>(
            Arrays.asList(
                "total",
                144L,
                44L,
                100L,
                0.3056,
                9L,
                918L,
                revenue,
                reconciled,
                agree,
                reconciled == 0 ? null : (double) agree / reconciled));
    for (long d : diffs) {
      row.add(d);
    }
    return new NamedQueries.Table(CH_COLUMNS, List.of(row));
  }

  static NamedQueries.Table druid(Object revenue) {
    // Druid sums money as doubles: equal to the cent is equal
    return new NamedQueries.Table(
        DRUID_COLUMNS, List.of(Arrays.asList("total", 144L, 44L, 100L, 0.3056, 9L, 918L, revenue)));
  }

  @Test
  void equalTotalsAgreeAndTheAgreementIsExplainedByClass() {
    DemoReport r =
        new DemoReport(clickhouse("728.620000", 346, 339, 4, 0, 0, 3, 0), druid(728.6199999999));
    assertThat(r.disagreements()).isEmpty();
    String text = r.render("2026-01-01");
    assertThat(text)
        .contains("ClickHouse and Druid serve the same totals.")
        .contains("97.98 %   (339 of 346 candidates)")
        .containsPattern("touch arrived after install\\s+4")
        .containsPattern("batch-only fraud signal\\s+3")
        .containsPattern("revenue \\(USD\\)\\s+728\\.62\\s+728\\.62\\n")
        .containsPattern("organic share\\s+30\\.56 %\\s+30\\.56 %");
  }

  @Test
  void aCentOfRevenueOrAMissingValueIsADisagreement() {
    DemoReport cent = new DemoReport(clickhouse("728.62", 346, 339, 4, 0, 0, 3, 0), druid(728.63));
    assertThat(cent.disagreements())
        .containsExactly("revenue (USD): ClickHouse 728.62, Druid 728.63");
    assertThat(cent.render("2026-01-01"))
        .contains("<- differs")
        .contains("ClickHouse and Druid DIFFER");

    DemoReport missing = new DemoReport(clickhouse("728.62", 346, 339, 4, 0, 0, 3, 0), druid(null));
    assertThat(missing.disagreements()).hasSize(1).first().asString().startsWith("revenue (USD)");
  }

  @Test
  void noReconciliationLoadedIsSaidPlainly() {
    DemoReport r = new DemoReport(clickhouse("1.00", 0, 0, 0, 0, 0, 0, 0), druid(1.0));
    assertThat(r.render("2026-01-01")).contains("(no reconciliation loaded for the day)");
  }
}
