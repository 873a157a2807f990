package dev.tokenpool.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenpool.config.InvalidConfigurationException;
import dev.tokenpool.config.TokenPoolConfig;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LogFormatTest {

  private static TokenPoolConfig configWith(String format) {
    Map<String, String> values =
        format == null
            ? Map.of(TokenPoolConfig.NODE_ID, "n")
            : Map.of(TokenPoolConfig.NODE_ID, "n", LogFormat.SETTING, format);
    return TokenPoolConfig.from(name -> Optional.ofNullable(values.get(name)));
  }

  @Test
  void textUnlessJsonIsAsked() {
    assertThat(configWith(null).logFormat()).isEqualTo(LogFormat.TEXT);
    assertThat(configWith("json").logFormat()).isEqualTo(LogFormat.JSON);
    assertThat(configWith("Text").logFormat()).isEqualTo(LogFormat.TEXT);
  }

  @Test
  void anUnknownFormatStopsTheNodeWithAMessageThatNamesTheSetting() {
    assertThatThrownBy(() -> configWith("logfmt"))
        .isInstanceOfSatisfying(
            InvalidConfigurationException.class,
            e -> assertThat(e.setting()).isEqualTo(LogFormat.SETTING))
        .hasMessageContaining("TOKENPOOL_LOG_FORMAT")
        .hasMessageContaining("'logfmt' must be json or text");
  }
}
