package io.touchpoint.simulator.plan;

import io.touchpoint.model.AttributionKind;
import io.touchpoint.model.Outcome;

/**
 * The planned story behind a candidate; its label is the truth's {@code scenario}. Each scenario
 * fixes the verdict before any event exists (docs/simulator.md explains how its timeline guarantees
 * it).
 */
public enum Scenario {
  DEVICE_ID_CLICK("device_id_click", AttributionKind.INSTALL, Outcome.ATTRIBUTED),
  REFERRER_CLICK("referrer_click", AttributionKind.INSTALL, Outcome.ATTRIBUTED),
  PROBABILISTIC_CLICK("probabilistic_click", AttributionKind.INSTALL, Outcome.ATTRIBUTED),
  VIEW_THROUGH("view_through", AttributionKind.INSTALL, Outcome.ATTRIBUTED),
  ORGANIC("organic", AttributionKind.INSTALL, Outcome.ORGANIC),
  CTIT_FRAUD("ctit_fraud", AttributionKind.INSTALL, Outcome.REJECTED),
  INSTALL_BEGIN_FRAUD("install_begin_fraud", AttributionKind.INSTALL, Outcome.REJECTED),
  FLOODING_SITE("flooding_site", AttributionKind.INSTALL, Outcome.REJECTED),
  CLICK_WINDOW_EDGE("click_window_edge", AttributionKind.INSTALL, Outcome.ATTRIBUTED),
  CTIT_THRESHOLD_EDGE("ctit_threshold_edge", AttributionKind.INSTALL, Outcome.ATTRIBUTED),
  VIEW_THROUGH_WINDOW_EDGE("view_through_window_edge", AttributionKind.INSTALL, Outcome.ATTRIBUTED),
  /** The first install of a device that reinstalls later: attributed to a UA click or organic. */
  PRIOR_INSTALL("prior_install", AttributionKind.INSTALL, null),
  REINSTALL_IN_WINDOW("reinstall_in_window", AttributionKind.REINSTALL, Outcome.NOT_CREDITED),
  REINSTALL_WINDOW_EDGE("reinstall_window_edge", AttributionKind.REINSTALL, Outcome.NOT_CREDITED),
  RE_ATTRIBUTION("re_attribution", AttributionKind.RE_ATTRIBUTION, Outcome.ATTRIBUTED),
  REINSTALL_AFTER_WINDOW("reinstall_after_window", AttributionKind.INSTALL, Outcome.ATTRIBUTED),
  REINSTALL_AFTER_WINDOW_EDGE(
      "reinstall_after_window_edge", AttributionKind.INSTALL, Outcome.ATTRIBUTED),
  /**
   * Installs on days F, M and T with M inside F's window and T past it but inside M's: T is a new
   * install, since the window runs from the install that opened it (F), not from the latest (M).
   */
  REINSTALL_AFTER_FIRST_WINDOW(
      "reinstall_after_first_window", AttributionKind.INSTALL, Outcome.ATTRIBUTED),
  /**
   * The middle install M of {@link #REINSTALL_AFTER_FIRST_WINDOW}: a reinstall inside F's window.
   */
  PRIOR_REINSTALL("prior_reinstall", AttributionKind.REINSTALL, Outcome.NOT_CREDITED),
  RE_ENGAGEMENT_DEEP_LINK(
      "re_engagement_deep_link", AttributionKind.RE_ENGAGEMENT, Outcome.ATTRIBUTED),
  RE_ENGAGEMENT_DEVICE_ID(
      "re_engagement_device_id", AttributionKind.RE_ENGAGEMENT, Outcome.ATTRIBUTED),
  RE_ENGAGEMENT_NOT_CREDITED(
      "re_engagement_not_credited", AttributionKind.RE_ENGAGEMENT, Outcome.NOT_CREDITED);

  private final String label;
  private final AttributionKind kind;
  private final Outcome outcome;

  Scenario(String label, AttributionKind kind, Outcome outcome) {
    this.label = label;
    this.kind = kind;
    this.outcome = outcome;
  }

  public String label() {
    return label;
  }

  public AttributionKind kind() {
    return kind;
  }

  /** The planned outcome; null where it varies per candidate (prior installs). */
  public Outcome outcome() {
    return outcome;
  }

  public static Scenario fromLabel(String label) {
    for (Scenario s : values()) {
      if (s.label.equals(label)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown scenario: " + label);
  }
}
