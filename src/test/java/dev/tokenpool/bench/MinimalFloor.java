package dev.tokenpool.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A reference that owes nothing to tokenpool's schema: the least a database must do to hand out the
 * oldest of a fixed set of tokens and keep a history, on two bare tables with one index each and no
 * constraint beyond the keys. It shows what the product's guarantees cost on top.
 */
final class MinimalFloor {

  static final String SCHEMA =
      "DROP TABLE IF EXISTS minimal_tokens, minimal_usages;"
          + "CREATE TABLE minimal_tokens (id CHAR(36) PRIMARY KEY, usage_id BIGINT NULL,"
          + " user_id CHAR(36) NULL, activated_at BIGINT NULL, KEY ix_activated (activated_at))"
          + " ENGINE = InnoDB;"
          + "CREATE TABLE minimal_usages (id BIGINT AUTO_INCREMENT PRIMARY KEY,"
          + " token_id CHAR(36) NOT NULL, user_id CHAR(36) NOT NULL, started_at BIGINT NOT NULL,"
          + " ended_at BIGINT NULL, KEY ix_token (token_id)) ENGINE = InnoDB";

  /** Frees every token (their usages stay open: the floor does not read them). */
  static final String FREE_ALL =
      "UPDATE minimal_tokens SET usage_id = NULL, user_id = NULL, activated_at = NULL";

  private MinimalFloor() {}

  /** Creates the two tables (beside tokenpool's own) and adds {@code size} free tokens. */
  static void create(Connection connection, int size) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      for (String ddl : SCHEMA.split(";")) {
        statement.execute(ddl);
      }
      statement.execute("INSERT INTO minimal_tokens (id) SELECT UUID() FROM seq_1_to_" + size);
    }
    connection.commit();
  }

  /** Gives a new user the token with the oldest activation (free ones first), ending its usage. */
  static void activate(Connection connection) throws SQLException {
    long now = System.currentTimeMillis();
    String user = UUID.randomUUID().toString();
    String token;
    long heldBy;
    try (PreparedStatement select =
            connection.prepareStatement(
                "SELECT id, usage_id FROM minimal_tokens ORDER BY activated_at LIMIT 1"
                    + " FOR UPDATE SKIP LOCKED");
        ResultSet row = select.executeQuery()) {
      if (!row.next()) {
        throw new SQLException("every token is locked", "40001");
      }
      token = row.getString(1);
      heldBy = row.getLong(2);
    }
    if (heldBy != 0) {
      try (PreparedStatement end =
          connection.prepareStatement("UPDATE minimal_usages SET ended_at = ? WHERE id = ?")) {
        end.setLong(1, now);
        end.setLong(2, heldBy);
        end.executeUpdate();
      }
    }
    long usage;
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO minimal_usages (token_id, user_id, started_at) VALUES (?, ?, ?)",
            Statement.RETURN_GENERATED_KEYS)) {
      insert.setString(1, token);
      insert.setString(2, user);
      insert.setLong(3, now);
      insert.executeUpdate();
      try (ResultSet keys = insert.getGeneratedKeys()) {
        keys.next();
        usage = keys.getLong(1);
      }
    }
    try (PreparedStatement take =
        connection.prepareStatement(
            "UPDATE minimal_tokens SET usage_id = ?, user_id = ?, activated_at = ? WHERE id = ?")) {
      take.setLong(1, usage);
      take.setString(2, user);
      take.setLong(3, now);
      take.setString(4, token);
      take.executeUpdate();
    }
    connection.commit();
  }
}
