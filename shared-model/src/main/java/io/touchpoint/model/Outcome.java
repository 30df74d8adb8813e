package io.touchpoint.model;

/** The verdict's outcome. */
public enum Outcome {
  /** Credited to the winning touch's media source. */
  ATTRIBUTED,
  /** No qualifying touch. */
  ORGANIC,
  /** The winning touch is fraud: kept with its reasons, credited to nobody. */
  REJECTED,
  /**
   * Counted for nobody: a reinstall inside the re-attribution window, or a re-engagement whose link
   * matched no qualifying retargeting touch. The original source keeps credit.
   */
  NOT_CREDITED
}
