package io.touchpoint.attribution;

/**
 * Who gets the in-app events that follow a reinstall the rules did not credit (a REINSTALL verdict;
 * config {@code events-after-reinstall}).
 */
public enum EventsAfterReinstall {
  /**
   * The source of the install that opened the window keeps them (AppsFlyer's "Reinstalls" article;
   * the default).
   */
  ORIGINAL_SOURCE("original-source"),
  /** They count as organic (AppsFlyer's older "re-attribution window" article). */
  ORGANIC("organic");

  private final String configName;

  EventsAfterReinstall(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }
}
