package io.touchpoint.simulator.world;

import java.time.Instant;

/** A planned install that a flooding site's click will win (and that is then rejected). */
public record FloodSlot(FloodSite site, Instant installTime) {}
