package dev.tokenpool.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Where the node's database is and how the node connects to it.
 *
 * @param url an external database's JDBC URL; empty means the embedded H2 database in {@code
 *     dataDir}
 * @param migrationUser the login that migrates the schema; empty: the runtime login ({@code user})
 *     does, which then needs the right to change tables
 * @param maxConnections the request pool's size (the scheduler has a small pool of its own)
 * @param startupWait how long a starting node waits for a database it cannot reach
 * @param dataSourceJndi the JNDI name of a container DataSource the node must use; empty: the node
 *     uses the one bound at {@link #DEFAULT_DATASOURCE_JNDI} if any, else its own pools
 */
public record DatabaseSettings(
    Optional<String> url,
    Optional<String> user,
    Optional<String> password,
    Optional<String> migrationUser,
    Optional<String> migrationPassword,
    int maxConnections,
    Path dataDir,
    Duration startupWait,
    Optional<String> dataSourceJndi) {

  // The settings of this concern: their names, then their defaults.
  public static final String DB_URL = "TOKENPOOL_DB_URL";
  public static final String DB_USER = "TOKENPOOL_DB_USER";
  public static final String DB_PASSWORD = "TOKENPOOL_DB_PASSWORD";
  public static final String DB_MIGRATION_USER = "TOKENPOOL_DB_MIGRATION_USER";
  public static final String DB_MIGRATION_PASSWORD = "TOKENPOOL_DB_MIGRATION_PASSWORD";
  public static final String DB_MAX_CONNECTIONS = "TOKENPOOL_DB_MAX_CONNECTIONS";
  public static final String DB_STARTUP_WAIT = "TOKENPOOL_DB_STARTUP_WAIT";
  public static final String DATA_DIR = "TOKENPOOL_DATA_DIR";
  public static final String DATASOURCE_JNDI = "TOKENPOOL_DATASOURCE_JNDI";

  /**
   * Where Tomcat binds a {@code <Resource name="jdbc/tokenpool">}; looked up when none is named.
   */
  public static final String DEFAULT_DATASOURCE_JNDI = "java:comp/env/jdbc/tokenpool";

  public static final Path DEFAULT_DATA_DIR = Path.of("data");
  public static final int DEFAULT_DB_MAX_CONNECTIONS = 10;
  public static final Duration DEFAULT_DB_STARTUP_WAIT = Duration.ofSeconds(60);

  static DatabaseSettings from(Settings settings) {
    Optional<String> url = settings.text(DB_URL);
    if (url.isPresent() && !url.get().startsWith("jdbc:")) {
      throw new InvalidConfigurationException(
          DB_URL, "'" + redacted(url.get()) + "' is not a JDBC URL");
    }
    if (url.isPresent() && url.get().startsWith("jdbc:mariadb:")) {
      // Only MySQL Connector/J is on the class path; it talks to MariaDB as well.
      throw new InvalidConfigurationException(
          DB_URL,
          "jdbc:mariadb: URLs are not supported; write the same address as"
              + " jdbc:mysql://host:port/database (MySQL Connector/J serves MariaDB too)");
    }
    Optional<String> migrationUser = settings.text(DB_MIGRATION_USER);
    Optional<String> migrationPassword = settings.secret(DB_MIGRATION_PASSWORD);
    if (migrationUser.isPresent() && url.isEmpty()) {
      throw new InvalidConfigurationException(
          DB_MIGRATION_USER, "a migration login needs an external database (" + DB_URL + ")");
    }
    if (migrationPassword.isPresent() && migrationUser.isEmpty()) {
      throw new InvalidConfigurationException(
          DB_MIGRATION_PASSWORD,
          "a migration password without " + DB_MIGRATION_USER + " would be unused");
    }
    Optional<String> dataSourceJndi = settings.text(DATASOURCE_JNDI);
    if (dataSourceJndi.isPresent() && dataSourceJndi.get().startsWith("jdbc:")) {
      throw new InvalidConfigurationException(
          DATASOURCE_JNDI,
          "'"
              + redacted(dataSourceJndi.get())
              + "' is a JDBC URL, not a JNDI name such as "
              + DEFAULT_DATASOURCE_JNDI
              + " (a URL goes into "
              + DB_URL
              + ")");
    }
    return new DatabaseSettings(
        url,
        settings.text(DB_USER),
        settings.secret(DB_PASSWORD),
        migrationUser,
        migrationPassword,
        settings.integer(DB_MAX_CONNECTIONS, DEFAULT_DB_MAX_CONNECTIONS, 2, 500),
        settings.path(DATA_DIR, DEFAULT_DATA_DIR),
        settings.duration(
            DB_STARTUP_WAIT, DEFAULT_DB_STARTUP_WAIT, Duration.ZERO, Duration.ofHours(1)),
        dataSourceJndi);
  }

  /** The database, fit for logs: a redacted URL, or the embedded database's directory. */
  public String describe() {
    return url.map(DatabaseSettings::redacted).orElse("embedded H2 in " + dataDir);
  }

  /** A JDBC URL with any password parameter or user-info password masked, fit for logs. */
  public static String redacted(String jdbcUrl) {
    return jdbcUrl
        .replaceAll("(?i)(password[^=&;]*=)[^&;]*", "$1***")
        .replaceAll("([^/@:]*:)[^/@:]*@", "$1***@");
  }

  @Override
  public String toString() {
    // Never print the password.
    return "DatabaseSettings{db=" + describe() + ", maxConnections=" + maxConnections + "}";
  }
}
