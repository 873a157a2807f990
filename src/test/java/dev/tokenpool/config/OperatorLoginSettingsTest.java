package dev.tokenpool.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The operators' login settings: defaults, and the values refused at startup. */
final class OperatorLoginSettingsTest {

  @Test
  void defaultsToAnAdminWithAGeneratedPasswordAndNoMonitor() {
    TokenPoolConfig config = config(Map.of());

    assertThat(config.logins().adminUser()).isEqualTo("admin");
    assertThat(config.logins().adminPassword()).isEmpty();
    assertThat(config.logins().monitorUser()).isEqualTo("monitor");
    assertThat(config.logins().monitorPassword()).isEmpty();
  }

  @Test
  void refusesPasswordsShorterThanTwelveCharacters() {
    assertThatThrownBy(() -> config(Map.of(OperatorLogins.ADMIN_PASSWORD, "short-11-ch")))
        .isInstanceOfSatisfying(
            InvalidConfigurationException.class,
            e -> assertThat(e.setting()).isEqualTo(OperatorLogins.ADMIN_PASSWORD));
    assertThatThrownBy(() -> config(Map.of(OperatorLogins.MONITOR_PASSWORD, "short-11-ch")))
        .isInstanceOfSatisfying(
            InvalidConfigurationException.class,
            e -> assertThat(e.setting()).isEqualTo(OperatorLogins.MONITOR_PASSWORD));
    assertThat(
            config(Map.of(OperatorLogins.ADMIN_PASSWORD, "twelve-chars")).logins().adminPassword())
        .contains("twelve-chars");
  }

  @Test
  void refusesAMonitorNamedLikeTheAdminOnlyWhenTheMonitorCanLogIn() {
    assertThat(config(Map.of(OperatorLogins.ADMIN_USER, "monitor")).logins().adminUser())
        .isEqualTo("monitor");
    assertThatThrownBy(
            () ->
                config(
                    Map.of(
                        OperatorLogins.ADMIN_USER, "ops",
                        OperatorLogins.MONITOR_USER, "ops",
                        OperatorLogins.MONITOR_PASSWORD, "monitor-password-1")))
        .isInstanceOfSatisfying(
            InvalidConfigurationException.class,
            e -> assertThat(e.setting()).isEqualTo(OperatorLogins.MONITOR_USER));
  }

  @Test
  void refusesUserNamesThatHttpBasicCannotCarry() {
    assertThatThrownBy(() -> config(Map.of(OperatorLogins.ADMIN_USER, "ad:min")))
        .isInstanceOfSatisfying(
            InvalidConfigurationException.class,
            e -> assertThat(e.setting()).isEqualTo(OperatorLogins.ADMIN_USER));
  }

  @Test
  void passwordsInDatabaseUrlsAreMaskedInLogs() {
    assertThat(
            DatabaseSettings.redacted("jdbc:mysql://db:3306/pool?user=tp&password=s3cret&ssl=true"))
        .isEqualTo("jdbc:mysql://db:3306/pool?user=tp&password=***&ssl=true");
    assertThat(DatabaseSettings.redacted("jdbc:mysql://tp:s3cret@db:3306/pool"))
        .isEqualTo("jdbc:mysql://tp:***@db:3306/pool");
    assertThat(DatabaseSettings.redacted("jdbc:h2:file:/data/tokenpool"))
        .isEqualTo("jdbc:h2:file:/data/tokenpool");
  }

  private static TokenPoolConfig config(Map<String, String> settings) {
    Map<String, String> all = new HashMap<>(settings);
    all.put(TokenPoolConfig.NODE_ID, "login-settings-test");
    return TokenPoolConfig.from(name -> Optional.ofNullable(all.get(name)));
  }
}
