package io.touchpoint.model;

/** How a touch was matched to the conversion, in priority order (first wins). */
public enum MatchType {
  /** The store referrer (or deep link) carried the touch's click id. Deterministic. */
  REFERRER,
  /** Same advertising id on touch and device. Deterministic. */
  DEVICE_ID,
  /** Same IP and user-agent family, inside the probabilistic window. */
  PROBABILISTIC,
  NONE
}
