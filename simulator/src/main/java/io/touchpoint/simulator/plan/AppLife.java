package io.touchpoint.simulator.plan;

import java.time.Instant;

/**
 * A span during which the app is installed on the device; sessions and in-app events happen only
 * inside it.
 *
 * @param installedAt the first open (or, for a user from before the data, when activity starts)
 * @param uninstalledAt when the user removed the app, null if still installed
 * @param knownInstall false for users whose install predates the data
 */
public record AppLife(Instant installedAt, Instant uninstalledAt, boolean knownInstall) {}
