package io.touchpoint.attribution;

/**
 * Where an app's re-attribution window is measured from (config {@code
 * re-attribution-window-from}).
 */
public enum ReAttributionAnchor {
  /**
   * From the install that opened it: the device's first install, or the first install after a
   * window expired; a reinstall inside the window does not restart it (AppsFlyer's published
   * "re-attribution window" rule; the default).
   */
  FIRST_INSTALL("first-install"),
  /**
   * From the device's latest earlier install, reinstalls included (Touchpoint's rule before issue
   * 15).
   */
  LATEST_INSTALL("latest-install");

  private final String configName;

  ReAttributionAnchor(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }
}
