package io.touchpoint.attribution;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of a user agent that probabilistic matching compares: device model and OS major version.
 * The ad click (a browser) and the SDK (the app) send different UA strings for the same phone, but
 * both name the model and the OS version.
 */
public final class UserAgentFamily {
  private static final Pattern IPHONE_OS = Pattern.compile("(iPhone|iPad)[^)]*? OS (\\d+)[_.]");
  private static final Pattern ANDROID =
      Pattern.compile("Android (\\d+)[^;)]*;\\s*([^;)]+?)(?:\\s+Build/[^;)]*)?[;)]");

  private UserAgentFamily() {}

  /** {@code model|osMajor}, or the trimmed UA itself when it has neither shape. */
  public static String of(String userAgent) {
    if (userAgent == null || userAgent.isBlank()) {
      return null;
    }
    Matcher ios = IPHONE_OS.matcher(userAgent);
    if (ios.find()) {
      return ios.group(1) + "|" + ios.group(2);
    }
    Matcher android = ANDROID.matcher(userAgent);
    if (android.find()) {
      return android.group(2).trim() + "|" + android.group(1);
    }
    return userAgent.trim();
  }
}
