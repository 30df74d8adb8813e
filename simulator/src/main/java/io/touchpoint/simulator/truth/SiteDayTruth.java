package io.touchpoint.simulator.truth;

import java.time.LocalDate;

/**
 * One publisher site's UTC day as the click-flooding signal sees it (a line of {@code
 * flooding-truth.jsonl}): its clicks, the installs its clicks won (rejected ones included), and
 * whether the thresholds flag it.
 *
 * @param floodingSite whether the simulator made it spray clicks
 */
public record SiteDayTruth(
    String appId,
    String siteId,
    String mediaSource,
    LocalDate day,
    long clicks,
    long installs,
    long installsWithinFirstHour,
    double conversionRate,
    double shareWithinFirstHour,
    boolean flagged,
    boolean floodingSite) {}
