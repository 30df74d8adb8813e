package io.touchpoint.attribution;

import java.time.Duration;
import java.time.Instant;

/**
 * An earlier re-attribution window setting of an app, in force for installs before {@code until}
 * (the moment it was replaced). Config: {@code re-attribution-window-before = [{ until =
 * "2026-09-02T00:00:00Z", window = 30d }]}.
 */
public record WindowSetting(Instant until, Duration window) {}
