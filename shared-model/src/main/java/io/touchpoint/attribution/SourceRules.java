package io.touchpoint.attribution;

import java.time.Duration;

/** Lookback windows one media source is allowed to set for itself (attribution-link style). */
public record SourceRules(Duration clickLookback, Duration viewThroughLookback) {}
