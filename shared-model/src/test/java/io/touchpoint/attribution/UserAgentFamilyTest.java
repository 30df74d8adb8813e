package io.touchpoint.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UserAgentFamilyTest {
  @Test
  void theBrowserAndTheAppOfOneIphoneShareAFamily() {
    String browser =
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148";
    String app = "Game/3.1 (iPhone; CPU iPhone OS 17_2_1 like Mac OS X) Build/17C";
    assertThat(UserAgentFamily.of(browser))
        .isEqualTo("iPhone|17")
        .isEqualTo(UserAgentFamily.of(app));
  }

  @Test
  void androidFamilyIsModelAndOsMajor() {
    assertThat(
            UserAgentFamily.of(
                "Mozilla/5.0 (Linux; Android 14; SM-G991B) AppleWebKit/537.36 Chrome/120 Mobile"))
        .isEqualTo("SM-G991B|14");
    assertThat(
            UserAgentFamily.of(
                "Dalvik/2.1.0 (Linux; U; Android 14; SM-G991B Build/UP1A.231005.007)"))
        .isEqualTo("SM-G991B|14");
  }

  @Test
  void differentOsMajorsAreDifferentFamilies() {
    assertThat(UserAgentFamily.of("(iPhone; CPU iPhone OS 16_7 like Mac OS X)"))
        .isNotEqualTo(UserAgentFamily.of("(iPhone; CPU iPhone OS 17_1 like Mac OS X)"));
  }

  @Test
  void unknownShapesFallBackToTheWholeStringAndBlankToNull() {
    assertThat(UserAgentFamily.of(" curl/8.0 ")).isEqualTo("curl/8.0");
    assertThat(UserAgentFamily.of("  ")).isNull();
    assertThat(UserAgentFamily.of(null)).isNull();
  }
}
