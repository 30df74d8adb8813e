package io.touchpoint.attribution;

import io.touchpoint.model.MatchType;
import io.touchpoint.model.Touchpoint;
import java.util.Comparator;

/** A touch that matched a candidate inside its window, and how it matched. */
record QualifiedTouch(Touchpoint touch, MatchType matchType) {

  /**
   * Best first: match priority, then clicks before impressions, then the latest touch, then the
   * greatest event id — a total order, so the input order never matters.
   */
  static final Comparator<QualifiedTouch> BEST_FIRST =
      Comparator.comparing(QualifiedTouch::matchType)
          .thenComparing(q -> !q.touch().isClick())
          .thenComparing((QualifiedTouch q) -> q.touch().eventTime(), Comparator.reverseOrder())
          .thenComparing((QualifiedTouch q) -> q.touch().eventId(), Comparator.reverseOrder());
}
