package io.touchpoint.attribution;

/**
 * Thresholds of the whole-day click-flooding signal per publisher site: a site is flagged when it
 * sent at least {@code minClicks} clicks, converted at most {@code maxConversionRate} of them, and
 * its installs' click-to-install times are flat (at most {@code maxShareWithinFirstHour} of them
 * within the first hour, where honest traffic has most).
 */
public record FloodingRules(
    long minClicks, double maxConversionRate, double maxShareWithinFirstHour) {}
