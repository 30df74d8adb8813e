package io.touchpoint.attribution;

import java.time.LocalDate;

/**
 * One publisher site's day, as the flooding signal needs it: the clicks it sent that day and the
 * installs of that day whose winning touch was one of its clicks (rejected ones included), with how
 * many of those came within the first hour after the click.
 */
public record SiteDayStats(
    String appId,
    String siteId,
    LocalDate day,
    long clicks,
    long installs,
    long installsWithinFirstHour) {

  public double conversionRate() {
    return clicks == 0 ? 0.0 : (double) installs / clicks;
  }

  public double shareWithinFirstHour() {
    return installs == 0 ? 0.0 : (double) installsWithinFirstHour / installs;
  }
}
