package io.touchpoint.simulator.device;

import io.touchpoint.simulator.world.Platform;
import io.touchpoint.simulator.world.SimApp;

/**
 * The user-agent strings of docs/simulator.md. The family the probabilistic match compares (device
 * model + OS major, e.g. {@code iPhone|17} or {@code SM-G991B|14}) reads the same from the browser
 * UA and the SDK UA of one device; only the browser version or app suffix differs.
 *
 * <pre>
 * iOS browser:     Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1
 * iOS SDK:         Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 PuzzleQuest/3.4.1
 * Android browser: Mozilla/5.0 (Linux; Android 14; SM-G991B Build/UP1A.231005.007) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36
 * Android SDK:     Dalvik/2.1.0 (Linux; U; Android 14; SM-G991B Build/UP1A.231005.007) FitPulse/2.0.3
 * </pre>
 */
public final class UserAgents {
  private UserAgents() {}

  public static String browser(SimDevice d) {
    if (d.platform() == Platform.IOS) {
      return "Mozilla/5.0 (iPhone; CPU iPhone OS "
          + d.osVersion().replace('.', '_')
          + " like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/"
          + d.osVersion()
          + " Mobile/15E148 Safari/604.1";
    }
    return "Mozilla/5.0 (Linux; Android "
        + d.osVersion()
        + "; "
        + d.model()
        + " Build/"
        + d.androidBuild()
        + ") AppleWebKit/537.36 (KHTML, like Gecko) Chrome/"
        + d.chromeVersion()
        + " Mobile Safari/537.36";
  }

  public static String app(SimDevice d, SimApp app) {
    if (d.platform() == Platform.IOS) {
      return "Mozilla/5.0 (iPhone; CPU iPhone OS "
          + d.osVersion().replace('.', '_')
          + " like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 "
          + app.userAgentSuffix();
    }
    return "Dalvik/2.1.0 (Linux; U; Android "
        + d.osVersion()
        + "; "
        + d.model()
        + " Build/"
        + d.androidBuild()
        + ") "
        + app.userAgentSuffix();
  }

  /** The family as docs/simulator.md defines it: what both UAs of a device share. */
  public static String family(SimDevice d) {
    return d.model() + "|" + d.osMajor();
  }
}
