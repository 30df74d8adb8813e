package io.touchpoint.simulator.world;

/** The two platforms of the contract, with their wire name ({@code device.platform}). */
public enum Platform {
  ANDROID("android"),
  IOS("ios");

  private final String wireName;

  Platform(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }
}
