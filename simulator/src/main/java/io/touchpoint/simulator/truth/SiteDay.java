package io.touchpoint.simulator.truth;

import java.time.LocalDate;

/** A publisher site of one app on one UTC day. */
public record SiteDay(String appId, String siteId, String mediaSource, LocalDate day) {}
