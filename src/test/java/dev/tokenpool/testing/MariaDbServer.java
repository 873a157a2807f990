package dev.tokenpool.testing;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * The MySQL-compatible server the integration tests use (MariaDB on 127.0.0.1:3306, root without
 * password, unless TOKENPOOL_TEST_DB_URL / _USER / _PASSWORD say otherwise). Each test class gets a
 * database of its own, created empty and dropped afterwards.
 */
public final class MariaDbServer {

  private static final String SERVER_URL =
      env("TOKENPOOL_TEST_DB_URL", "jdbc:mysql://127.0.0.1:3306/");
  private static final String USER = env("TOKENPOOL_TEST_DB_USER", "root");
  private static final String PASSWORD = env("TOKENPOOL_TEST_DB_PASSWORD", "");

  private MariaDbServer() {}

  /** The server's host and port, for tests that put a relay in front of it. */
  public static String hostAndPort() {
    String rest = SERVER_URL.substring("jdbc:mysql://".length());
    return rest.substring(0, rest.indexOf('/'));
  }

  /** A fresh, empty database; its name starts with {@code tokenpool_it_}. */
  public static TestDatabase createDatabase(String purpose) {
    String name =
        ("tokenpool_it_" + purpose + "_" + UUID.randomUUID().toString().substring(0, 8))
            .toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9_]", "_");
    execute("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
    return new ServerDatabase(name, SERVER_URL + name, USER, PASSWORD);
  }

  static void drop(String name) {
    execute("DROP DATABASE IF EXISTS " + name);
  }

  private static void execute(String sql) {
    try (Connection connection = TestDatabase.connect(SERVER_URL, USER, PASSWORD);
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "MariaDB at " + SERVER_URL + " is not usable (run deploy/ensure-mariadb.sh): " + e, e);
    }
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }

  /** One database on the server; closing it drops it. */
  private record ServerDatabase(String name, String url, String user, String password)
      implements TestDatabase {

    @Override
    public void close() {
      drop(name);
    }
  }
}
