package dev.tokenpool.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The admin API's two logins.
 *
 * @param adminPassword empty means the node's own generated password, kept in {@code
 *     generatedPasswordFile}
 * @param monitorPassword the read-only login's password; empty means no monitor login
 * @param generatedPasswordFile where a node without an admin password keeps the one it generated
 *     (mode 600): {@value #GENERATED_PASSWORD_FILE_NAME} in the data directory
 */
public record OperatorLogins(
    String adminUser,
    Optional<String> adminPassword,
    String monitorUser,
    Optional<String> monitorPassword,
    Path generatedPasswordFile) {

  // The settings of this concern: their names, then their defaults.
  public static final String ADMIN_USER = "TOKENPOOL_ADMIN_USER";
  public static final String ADMIN_PASSWORD = "TOKENPOOL_ADMIN_PASSWORD";
  public static final String MONITOR_USER = "TOKENPOOL_MONITOR_USER";
  public static final String MONITOR_PASSWORD = "TOKENPOOL_MONITOR_PASSWORD";

  public static final String GENERATED_PASSWORD_FILE_NAME = "admin-password";

  static OperatorLogins from(Settings settings) {
    String adminUser = settings.text(ADMIN_USER, "admin");
    Optional<String> adminPassword = settings.secret(ADMIN_PASSWORD);
    String monitorUser = settings.text(MONITOR_USER, "monitor");
    Optional<String> monitorPassword = settings.secret(MONITOR_PASSWORD);
    if (monitorPassword.isPresent() && adminUser.equals(monitorUser)) {
      throw new InvalidConfigurationException(
          MONITOR_USER, "'" + monitorUser + "' must differ from " + ADMIN_USER);
    }
    requireLogin(ADMIN_USER, adminUser, ADMIN_PASSWORD, adminPassword);
    requireLogin(MONITOR_USER, monitorUser, MONITOR_PASSWORD, monitorPassword);
    Path dataDir = settings.path(DatabaseSettings.DATA_DIR, DatabaseSettings.DEFAULT_DATA_DIR);
    return new OperatorLogins(
        adminUser,
        adminPassword,
        monitorUser,
        monitorPassword,
        dataDir.resolve(GENERATED_PASSWORD_FILE_NAME));
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
