package io.touchpoint.model.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How every job reads its HOCON settings: the module's production file (no endpoint, no secret),
 * under it the embedded stack's profile when selected, and a start-up check that names every
 * required setting still missing.
 *
 * <p>The profile ({@code <module>-local-stack.conf} beside the production file) is selected by the
 * {@code ./touchpoint} launcher, which sets the system property {@value #LAUNCHER_HOME}, or
 * explicitly with {@code -D}{@value #PROFILE}{@code =local-stack} (the build sets it for tests,
 * which run against the embedded stack). spark-submit on a cluster does neither, so a missing
 * setting there fails at start instead of reaching a loopback address with the stack's keys.
 */
public final class JobSettings {

  /** Set by ./touchpoint to the repository root; its presence selects the local-stack profile. */
  public static final String LAUNCHER_HOME = "touchpoint.home";

  /** {@code -Dtouchpoint.profile=local-stack} selects the profile explicitly. */
  public static final String PROFILE = "touchpoint.profile";

  public static final String LOCAL_STACK = "local-stack";

  private JobSettings() {}

  /** True when the embedded stack's profile applies (running under the launcher). */
  public static boolean localStackSelected() {
    return System.getProperty(LAUNCHER_HOME) != null
        || LOCAL_STACK.equals(System.getProperty(PROFILE));
  }

  /**
   * {@code defaults} (the production file, unresolved) with the module's local-stack profile laid
   * over it when {@code localStack}. The profile repeats each value's environment override ({@code
   * key = ${?VAR}}) after it, so the environment still wins.
   */
  public static Config withProfile(
      Class<?> owner, String profileResource, Config defaults, boolean localStack) {
    if (!localStack) {
      return defaults;
    }
    Config profile = ConfigFactory.parseResources(owner, "/" + profileResource);
    if (profile.isEmpty()) {
      throw new IllegalStateException(
          "the local-stack profile " + profileResource + " is not on the classpath");
    }
    return profile.withFallback(defaults);
  }

  /** An ordered map of setting path to environment variable, from alternating arguments. */
  public static Map<String, String> required(String... pathThenVariable) {
    Map<String, String> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i + 1 < pathThenVariable.length; i += 2) {
      m.put(pathThenVariable[i], pathThenVariable[i + 1]);
    }
    return java.util.Collections.unmodifiableMap(m);
  }

  /**
   * Fails with one message naming every required setting that is missing or blank, and the
   * environment variable that sets each.
   *
   * @param required setting path (under {@code root}) to its environment variable
   */
  public static void requireAll(Config all, String root, Map<String, String> required, String job) {
    List<String> missing = new ArrayList<>();
    for (Map.Entry<String, String> e : required.entrySet()) {
      String path = root + "." + e.getKey();
      if (!all.hasPath(path) || all.getValue(path).unwrapped().toString().isBlank()) {
        missing.add(path + " (environment " + e.getValue() + ")");
      }
    }
    if (!missing.isEmpty()) {
      throw new MissingSettingsException(
          job
              + " cannot start: no value for "
              + String.join(", ", missing)
              + ". Production configuration has no endpoint or credential defaults: set them in the config file"
              + " (--config), with --conf, or in the environment; `./touchpoint` uses the embedded stack's profile.");
    }
  }

  /** A required setting is missing: the message names each one. */
  public static final class MissingSettingsException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    MissingSettingsException(String message) {
      super(message);
    }
  }
}
