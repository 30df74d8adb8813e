package io.touchpoint.model;

/** Why a conversion was rejected. */
public enum FraudReason {
  /** Click-to-install time below the app's threshold: a click injected just before the open. */
  CTIT_BELOW_THRESHOLD,
  /** The click happened after the store download began and before the first open. */
  CLICK_AFTER_INSTALL_BEGIN,
  /** The winning click came from a publisher site flagged for click flooding that day (batch). */
  CLICK_FLOODING_SITE
}
