package io.touchpoint.attribution;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The re-attribution window, written once: which earlier install of a device opened the window a
 * new install falls in (its <em>anchor</em>), and whether the install is inside it. Pure functions
 * over instants, so the engine, the speed layer's state and the batch's install history all decide
 * it the same way. See docs/attribution-rules.md, "Re-attribution window".
 *
 * <p>With {@link ReAttributionAnchor#FIRST_INSTALL} (the default) the anchor is the install that
 * opened the window: the device's first install, or the first install after a window expired; a
 * reinstall inside a window neither restarts nor extends it. With {@link
 * ReAttributionAnchor#LATEST_INSTALL} it is simply the latest earlier install. An install at {@code
 * t} is inside the window when {@code 0 < t - anchor <= window in force at t} ({@link
 * AppRules#reAttributionWindowAt}).
 */
public final class ReAttributionWindow {
  /**
   * How many of the longest windows of install history a caller keeps to find anchors: with two,
   * the fold is exact unless a device chains three or more installs without a gap longer than a
   * window across more than that span (then its first remembered install is taken as an anchor).
   */
  public static final int HISTORY_WINDOWS = 2;

  private ReAttributionWindow() {}

  /**
   * The install that opened the window in force for an install at {@code t}, or null when none did
   * (the device never installed before, as far as {@code earlierInstalls} shows).
   *
   * @param earlierInstalls the device's earlier installs of the app, ascending; entries at or after
   *     {@code t} are ignored (a reinstall never anchors itself)
   */
  public static Instant anchorFor(List<Instant> earlierInstalls, Instant t, AppRules rules) {
    Instant anchor = null;
    for (Instant install : earlierInstalls) {
      if (!install.isBefore(t)) {
        break;
      }
      anchor = next(anchor, install, rules);
    }
    return anchor;
  }

  /**
   * The anchor after the device installs at {@code install}, given the anchor before it (null if
   * none): the same anchor when the install is inside its window, else the install itself (it opens
   * a new window). Installs must be fed in time order.
   */
  public static Instant next(Instant anchor, Instant install, AppRules rules) {
    if (rules.reAttributionAnchor() == ReAttributionAnchor.LATEST_INSTALL) {
      return install;
    }
    return isInside(anchor, install, rules) ? anchor : install;
  }

  /** Whether an install at {@code t} is a reinstall inside the window {@code anchor} opened. */
  public static boolean isInside(Instant anchor, Instant t, AppRules rules) {
    if (anchor == null || !anchor.isBefore(t)) {
      return false;
    }
    return Duration.between(anchor, t).compareTo(rules.reAttributionWindowAt(t)) <= 0;
  }

  /**
   * The span of install history before a candidate that callers should keep (see {@link
   * #HISTORY_WINDOWS}).
   */
  public static Duration historyNeeded(AppRules rules) {
    return rules.longestReAttributionWindow().multipliedBy(HISTORY_WINDOWS);
  }
}
