package dev.tokenpool.config;

import java.util.Optional;

/**
 * The admin API's two logins.
 *
 * @param adminPassword empty means the node generates one at startup and logs it once
 * @param monitorPassword the read-only login's password; empty means no monitor login
 */
public record OperatorLogins(
    String adminUser,
    Optional<String> adminPassword,
    String monitorUser,
    Optional<String> monitorPassword) {

  static OperatorLogins from(Settings settings) {
    String adminUser = settings.text(TokenPoolConfig.ADMIN_USER).orElse("admin");
    Optional<String> adminPassword = settings.secret(TokenPoolConfig.ADMIN_PASSWORD);
    String monitorUser = settings.text(TokenPoolConfig.MONITOR_USER).orElse("monitor");
    Optional<String> monitorPassword = settings.secret(TokenPoolConfig.MONITOR_PASSWORD);
    if (monitorPassword.isPresent() && adminUser.equals(monitorUser)) {
      throw new InvalidConfigurationException(
          TokenPoolConfig.MONITOR_USER,
          "'" + monitorUser + "' must differ from " + TokenPoolConfig.ADMIN_USER);
    }
    requireLogin(
        TokenPoolConfig.ADMIN_USER, adminUser, TokenPoolConfig.ADMIN_PASSWORD, adminPassword);
    requireLogin(
        TokenPoolConfig.MONITOR_USER,
        monitorUser,
        TokenPoolConfig.MONITOR_PASSWORD,
        monitorPassword);
    return new OperatorLogins(adminUser, adminPassword, monitorUser, monitorPassword);
  }

  /** A user name HTTP Basic can carry, and a password long enough to resist guessing. */
  private static void requireLogin(
      String userSetting, String user, String passwordSetting, Optional<String> password) {
    if (user.contains(":")) {
      throw new InvalidConfigurationException(userSetting, "'" + user + "' must not contain ':'");
    }
    if (password.isPresent() && password.get().length() < 12) {
      throw new InvalidConfigurationException(passwordSetting, "must be at least 12 characters");
    }
  }

  @Override
  public String toString() {
    // Never print a password.
    return "OperatorLogins{admin=" + adminUser + ", monitor=" + monitorUser + "}";
  }
}
