package dev.tokenpool.events;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The statements on the {@code events} table, in plain JDBC. */
final class EventLog {

  private static final String COLUMNS =
      "id, at, type, token_id, user_id, fence, expires_at, ended_by, evicted_by, pool_id";

  private static final String AFTER =
      "SELECT " + COLUMNS + " FROM events WHERE id > ? ORDER BY id LIMIT ?";

  private static final String BETWEEN =
      "SELECT " + COLUMNS + " FROM events WHERE id > ? AND id <= ? ORDER BY id LIMIT ?";

  private static final String LATEST = "SELECT MAX(id) FROM events";

  /*
   * A locking read of one id that never waits: a row still being written by an open transaction
   * is locked (the read fails at once), one that rolled back is simply absent.
   */
  private static final String PROBE = "SELECT id FROM events WHERE id = ? FOR UPDATE NOWAIT";

  private static final String OLDEST = "SELECT MIN(id) FROM events";

  private static final String INCREMENT = "SELECT @@auto_increment_increment";

  /*
   * The oldest events, in id order, with when they happened: pruning stops at the first that is
   * still within retention (an expiry recorded late carries an earlier time than events before it).
   */
  private static final String OLDEST_TIMES = "SELECT id, at FROM events ORDER BY id LIMIT ?";

  private static final String PRUNE = "DELETE FROM events WHERE id <= ?";

  List<Event> after(Connection connection, long position, int limit) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(AFTER)) {
      statement.setLong(1, position);
      statement.setInt(2, limit);
      return events(statement);
    }
  }

  List<Event> between(Connection connection, long position, long upTo, int limit)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(BETWEEN)) {
      statement.setLong(1, position);
      statement.setLong(2, upTo);
      statement.setInt(3, limit);
      return events(statement);
    }
  }

  /** What a missing id is: written by a transaction still open, committed since, or absent. */
  enum Probe {
    IN_FLIGHT,
    COMMITTED,
    ABSENT
  }

  /** Where the database can tell (MySQL family), what became of a missing id. */
  Probe probe(Connection connection, long id) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(PROBE)) {
      statement.setLong(1, id);
      try (ResultSet row = statement.executeQuery()) {
        return row.next() ? Probe.COMMITTED : Probe.ABSENT;
      }
    } catch (SQLException e) {
      if (e.getErrorCode() == LOCK_WAIT_TIMEOUT || e.getErrorCode() == LOCK_NOWAIT) {
        return Probe.IN_FLIGHT;
      }
      throw e;
    }
  }

  /** MySQL's and MariaDB's errors for a lock that NOWAIT would have waited for. */
  private static final int LOCK_WAIT_TIMEOUT = 1205;

  private static final int LOCK_NOWAIT = 3572;

  /** The id of the newest event, 0 when there is none. */
  long latest(Connection connection) throws SQLException {
    return single(connection, LATEST).orElse(0L);
  }

  Optional<Long> oldest(Connection connection) throws SQLException {
    return single(connection, OLDEST);
  }

  /**
   * The step between consecutive ids: 1, or a Galera cluster's size, where every server numbers
   * rows on a stride of its own.
   */
  long increment(Connection connection, boolean mySqlFamily) throws SQLException {
    return mySqlFamily ? single(connection, INCREMENT).orElse(1L) : 1L;
  }

  /**
   * Deletes the oldest events, up to {@code batch}, as far as every one of them happened before
   * {@code cutoff}.
   */
  int prune(Connection connection, Instant cutoff, int batch) throws SQLException {
    Long last = null;
    try (PreparedStatement statement = connection.prepareStatement(OLDEST_TIMES)) {
      statement.setInt(1, batch);
      try (ResultSet row = statement.executeQuery()) {
        while (row.next() && row.getLong(2) < cutoff.toEpochMilli()) {
          last = row.getLong(1);
        }
      }
    }
    if (last == null) {
      return 0;
    }
    try (PreparedStatement prune = connection.prepareStatement(PRUNE)) {
      prune.setLong(1, last);
      return prune.executeUpdate();
    }
  }

  private static Optional<Long> single(Connection connection, String query) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(query);
        ResultSet row = statement.executeQuery()) {
      if (!row.next()) {
        return Optional.empty();
      }
      long value = row.getLong(1);
      return row.wasNull() ? Optional.empty() : Optional.of(value);
    }
  }

  private static List<Event> events(PreparedStatement statement) throws SQLException {
    List<Event> events = new ArrayList<>();
    try (ResultSet row = statement.executeQuery()) {
      while (row.next()) {
        events.add(
            new Event(
                row.getLong(1),
                Instant.ofEpochMilli(row.getLong(2)),
                row.getString(3),
                UUID.fromString(row.getString(4)),
                row.getString(5),
                row.getLong(6),
                instant(row, 7),
                row.getString(8),
                nullableLong(row, 9),
                row.getInt(10)));
      }
    }
    return events;
  }

  private static Instant instant(ResultSet row, int column) throws SQLException {
    Long millis = nullableLong(row, column);
    return millis == null ? null : Instant.ofEpochMilli(millis);
  }

  private static Long nullableLong(ResultSet row, int column) throws SQLException {
    long value = row.getLong(column);
    return row.wasNull() ? null : value;
  }
}
