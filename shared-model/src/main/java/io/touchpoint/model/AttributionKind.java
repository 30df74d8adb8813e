package io.touchpoint.model;

/** What kind of conversion a verdict is about. */
public enum AttributionKind {
  /** A first install, or a reinstall after the re-attribution window: counted as a new install. */
  INSTALL,
  /** A reinstall inside the re-attribution window that a retargeting touch won. */
  RE_ATTRIBUTION,
  /** A reinstall inside the re-attribution window with no retargeting touch: not a new install. */
  REINSTALL,
  /** An app open through a retargeting link by a user who has the app. */
  RE_ENGAGEMENT
}
