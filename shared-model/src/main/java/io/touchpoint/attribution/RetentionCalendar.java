package io.touchpoint.attribution;

/** Which calendar day-N retention counts in (config {@code retention.calendar}). */
public enum RetentionCalendar {
  /** Calendar days in the app's {@code time-zone} (the default, as the reports). */
  APP_TIME_ZONE("app-time-zone"),
  /** Calendar days in UTC, whatever the app's time zone. */
  UTC("utc");

  private final String configName;

  RetentionCalendar(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }
}
