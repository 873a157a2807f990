package dev.tokenpool.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** A database a test owns; closing it removes the database. */
public interface TestDatabase extends AutoCloseable {

  String url();

  String user();

  String password();

  default Connection connect() throws SQLException {
    return connect(url(), user(), password());
  }

  /**
   * Opens a connection after loading the driver class: DriverManager looks drivers up only once per
   * JVM, possibly while a deployed web application (not this class path) was calling it.
   */
  static Connection connect(String url, String user, String password) throws SQLException {
    String driver = url.startsWith("jdbc:h2:") ? "org.h2.Driver" : "com.mysql.cj.jdbc.Driver";
    try {
      Class.forName(driver);
    } catch (ClassNotFoundException e) {
      throw new SQLException("JDBC driver " + driver + " is not on the test class path", e);
    }
    return DriverManager.getConnection(url, user, password);
  }

  @Override
  void close();

  /** A private in-memory H2 database that outlives node restarts until it is closed. */
  static TestDatabase h2InMemory(String purpose) {
    String url =
        "jdbc:h2:mem:" + purpose + "-" + java.util.UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    return new TestDatabase() {
      @Override
      public String url() {
        return url;
      }

      @Override
      public String user() {
        return "sa";
      }

      @Override
      public String password() {
        return "";
      }

      @Override
      public void close() {
        try (Connection connection = connect()) {
          connection.createStatement().execute("SHUTDOWN");
        } catch (SQLException e) {
          throw new IllegalStateException("Could not drop " + url, e);
        }
      }
    };
  }
}
