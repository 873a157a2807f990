package dev.tokenpool.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenpool.testing.MariaDbServer;
import dev.tokenpool.testing.NodeSettings;
import dev.tokenpool.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * On MariaDB, a node that stops talking in the middle of a transaction (frozen by SIGSTOP, a
 * stalled VM) loses its locks after {@link Database#IDLE_TRANSACTION_LIMIT}, so the other nodes'
 * requests, which give up after their 5 s deadline, get the rows in time.
 */
class IdleTransactionLimitIT {

  private TestDatabase db;
  private Database database;

  @BeforeEach
  void openDatabase() throws SQLException {
    db = MariaDbServer.createDatabase("idle");
    database = Database.open(NodeSettings.on(db).config().database());
    try (Connection connection = db.connect();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE rows_to_lock (id INT PRIMARY KEY)");
      statement.execute("INSERT INTO rows_to_lock VALUES (1)");
    }
  }

  @AfterEach
  void closeDatabase() {
    database.close();
    db.close();
  }

  @Test
  void everySessionOfBothPoolsCarriesTheLimits() throws SQLException {
    assertThat(variable(database.dataSource(), "idle_transaction_timeout")).isEqualTo("3");
    assertThat(variable(database.dataSource(), "innodb_lock_wait_timeout")).isEqualTo("1");
    assertThat(variable(database.schedulerDataSource(), "idle_transaction_timeout")).isEqualTo("3");
  }

  @Test
  void aHolderThatFallsSilentMidTransactionLosesItsLocksWithinTheLimit() throws Exception {
    try (Connection frozen = database.dataSource().getConnection();
        Connection waiting = database.dataSource().getConnection()) {
      lock(frozen); // and then nothing: the holder is frozen
      long start = System.nanoTime();
      Duration waited = null;
      while (waited == null) {
        try {
          lock(waiting);
          waited = Duration.ofNanos(System.nanoTime() - start);
        } catch (SQLException lockWaitTimeout) {
          waiting.rollback();
          assertThat(Duration.ofNanos(System.nanoTime() - start))
              .as("still locked out")
              .isLessThan(Duration.ofSeconds(5));
        }
      }
      waiting.rollback();

      assertThat(waited).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(5));
      // The silent holder's transaction is gone with its connection: nothing it did commits.
      assertThatThrownBy(frozen::commit).isInstanceOf(SQLException.class);
    }
  }

  private static void lock(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet row =
            statement.executeQuery("SELECT id FROM rows_to_lock WHERE id = 1 FOR UPDATE")) {
      assertThat(row.next()).isTrue();
    }
  }

  private static String variable(DataSource pool, String name) throws SQLException {
    try (Connection connection = pool.getConnection();
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("SELECT @@SESSION." + name)) {
      row.next();
      String value = row.getString(1);
      connection.rollback();
      return value;
    }
  }
}
