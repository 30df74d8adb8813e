package io.touchpoint.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.touchpoint.attribution.UserAgentFamily;
import io.touchpoint.simulator.device.DeviceFactory;
import io.touchpoint.simulator.device.SimDevice;
import io.touchpoint.simulator.device.UserAgents;
import io.touchpoint.simulator.world.Portfolio;
import io.touchpoint.simulator.world.SimApp;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Probabilistic matching needs one family per device: the browser's UA and the SDK's UA parse
 * alike.
 */
class UserAgentsTest {

  @Test
  void browserAndSdkUserAgentsOfADeviceHaveTheSameFamily() {
    DeviceFactory devices = new DeviceFactory(1);
    for (int i = 0; i < 2000; i++) {
      SimDevice d = devices.create(i);
      for (SimApp app : Portfolio.apps()) {
        if (app.platform() != d.platform()) {
          continue;
        }
        String family = UserAgentFamily.of(UserAgents.browser(d));
        assertThat(family).isEqualTo(UserAgents.family(d));
        assertThat(UserAgentFamily.of(UserAgents.app(d, app))).isEqualTo(family);
      }
    }
  }

  @Test
  void iosAndAndroidLookAsDocumented() {
    DeviceFactory devices = new DeviceFactory(1);
    Set<String> families = new HashSet<>();
    for (int i = 0; i < 500; i++) {
      families.add(UserAgentFamily.of(UserAgents.browser(devices.create(i))));
    }
    assertThat(families).contains("iPhone|17", "SM-G991B|14", "Pixel 7|13");
  }

  @Test
  void ipsAreUniqueAcrossThePopulation() {
    DeviceFactory devices = new DeviceFactory(9);
    Set<String> ips = new HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      String ip = devices.create(i).ip();
      assertThat(ips.add(ip.substring(ip.indexOf('.')))).as(ip).isTrue();
    }
  }
}
