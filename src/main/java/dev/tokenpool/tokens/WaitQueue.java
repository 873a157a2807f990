package dev.tokenpool.tokens;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The statements on the cluster's queue of waiting activations (table {@code waiters}), in plain
 * JDBC like every other write of the pool. Lock order, after {@link TokenWrites}': waiters first,
 * then tokens and usages; nothing that locks a token ever locks a waiter afterwards.
 */
final class WaitQueue {

  /**
   * How long a waiter's node may stay silent before its waiters are passed over: its node refreshes
   * {@code seen_at} every {@link #HEARTBEAT}.
   */
  static final Duration SILENCE = Duration.ofSeconds(5);

  static final Duration HEARTBEAT = Duration.ofSeconds(1);

  private static final String ENQUEUE =
      "INSERT INTO waiters (pool_id, user_id, node_id, lease_ms, arrived_at, deadline, seen_at,"
          + " state) VALUES (?, ?, ?, ?, ?, ?, ?, 'WAITING')";

  /*
   * The first waiters of a pool in arrival order, locked, waiting for a dispatcher of another node that
   * holds them: dispatchers take turns, so tokens go to the queue's head whatever node serves it.
   */
  private static final String LOCK_HEAD =
      "SELECT id, user_id, lease_ms, deadline, seen_at FROM waiters"
          + " WHERE pool_id = ? AND state = 'WAITING' ORDER BY id LIMIT ? FOR UPDATE";

  private static final String SERVE =
      "UPDATE waiters SET state = 'SERVED', token_id = ?, fence = ?, started_at = ?,"
          + " expires_at = ? WHERE id = ? AND state = 'WAITING'";

  private static final String GIVE_UP = "DELETE FROM waiters WHERE id = ? AND state = 'WAITING'";

  private static final String HEARTBEAT_NODE =
      "UPDATE waiters SET seen_at = ? WHERE node_id = ? AND state = 'WAITING'";

  private static final String ANSWERED =
      "SELECT id, token_id, fence, started_at, expires_at FROM waiters"
          + " WHERE node_id = ? AND state = 'SERVED'";

  private static final String REMOVE = "DELETE FROM waiters WHERE id = ?";

  private static final String REMOVE_NODE = "DELETE FROM waiters WHERE node_id = ?";

  private static final String REMOVE_SILENT =
      "DELETE FROM waiters WHERE seen_at < ? AND node_id <> ?";

  private static final String COUNT_WAITING =
      "SELECT COUNT(*) FROM waiters WHERE state = 'WAITING' AND deadline > ? AND seen_at >= ?";

  private static final String COUNT_WAITING_IN_POOL =
      "SELECT COUNT(*) FROM waiters WHERE pool_id = ? AND state = 'WAITING' AND deadline > ?"
          + " AND seen_at >= ?";

  /* Whether a token is free or expired: the pool's first in the order tokens are given out. */
  private static final String FIRST_TOKEN_EXPIRY =
      "SELECT expires_at FROM tokens WHERE live_pool_id = ? ORDER BY expires_at, slot LIMIT 1";

  private static final String SOONEST_EXPIRY =
      "SELECT MIN(expires_at) FROM tokens WHERE live_pool_id = ? AND expires_at > ?";

  /** A waiter at the head of the queue, as the dispatcher locked it. */
  record Waiter(long id, String userId, Duration lease, Instant deadline, Instant seenAt) {

    /** Whether it may still be given a token: before its deadline, its node alive. */
    boolean servableAt(Instant now) {
      return deadline.isAfter(now) && !seenAt.isBefore(now.minus(SILENCE));
    }
  }

  /** A served waiter its node has not answered yet, with the holding it was given. */
  record Answer(long waiterId, Served served) {}

  /** The holding a waiter was given. */
  record Served(UUID tokenId, long fence, Instant activatedAt, Instant expiresAt) {}

  long enqueue(
      Connection connection,
      int poolId,
      String userId,
      String nodeId,
      Duration lease,
      Instant now,
      Instant deadline)
      throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(ENQUEUE, Statement.RETURN_GENERATED_KEYS)) {
      insert.setInt(1, poolId);
      insert.setString(2, userId);
      insert.setString(3, nodeId);
      insert.setLong(4, lease.toMillis());
      insert.setLong(5, now.toEpochMilli());
      insert.setLong(6, deadline.toEpochMilli());
      insert.setLong(7, now.toEpochMilli());
      insert.executeUpdate();
      try (ResultSet keys = insert.getGeneratedKeys()) {
        if (!keys.next()) {
          throw new IllegalStateException("The database returned no id for the new waiter");
        }
        return keys.getLong(1);
      }
    }
  }

  List<Waiter> lockHead(Connection connection, int poolId, int limit) throws SQLException {
    List<Waiter> head = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(LOCK_HEAD)) {
      statement.setInt(1, poolId);
      statement.setInt(2, limit);
      try (ResultSet row = statement.executeQuery()) {
        while (row.next()) {
          head.add(
              new Waiter(
                  row.getLong(1),
                  row.getString(2),
                  Duration.ofMillis(row.getLong(3)),
                  Instant.ofEpochMilli(row.getLong(4)),
                  Instant.ofEpochMilli(row.getLong(5))));
        }
      }
    }
    return head;
  }

  void serve(Connection connection, long waiterId, Activation given) throws SQLException {
    try (PreparedStatement serve = connection.prepareStatement(SERVE)) {
      serve.setString(1, given.tokenId().toString());
      serve.setLong(2, given.fence());
      serve.setLong(3, given.activatedAt().toEpochMilli());
      serve.setLong(4, given.expiresAt().toEpochMilli());
      serve.setLong(5, waiterId);
      TokenWrites.requireOneRow(serve.executeUpdate(), "serve waiter " + waiterId);
    }
  }

  /** Gives up on a waiter; false when it was served first (its answer is then to be read). */
  boolean giveUp(Connection connection, long waiterId) throws SQLException {
    try (PreparedStatement giveUp = connection.prepareStatement(GIVE_UP)) {
      giveUp.setLong(1, waiterId);
      return giveUp.executeUpdate() == 1;
    }
  }

  void heartbeat(Connection connection, String nodeId, Instant now) throws SQLException {
    try (PreparedStatement heartbeat = connection.prepareStatement(HEARTBEAT_NODE)) {
      heartbeat.setLong(1, now.toEpochMilli());
      heartbeat.setString(2, nodeId);
      heartbeat.executeUpdate();
    }
  }

  /** The node's waiters that were served, each with what it was given. */
  List<Answer> answered(Connection connection, String nodeId) throws SQLException {
    List<Answer> answers = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(ANSWERED)) {
      statement.setString(1, nodeId);
      try (ResultSet row = statement.executeQuery()) {
        while (row.next()) {
          answers.add(
              new Answer(
                  row.getLong(1),
                  new Served(
                      UUID.fromString(row.getString(2)),
                      row.getLong(3),
                      Instant.ofEpochMilli(row.getLong(4)),
                      Instant.ofEpochMilli(row.getLong(5)))));
        }
      }
    }
    return answers;
  }

  void remove(Connection connection, List<Long> waiterIds) throws SQLException {
    try (PreparedStatement remove = connection.prepareStatement(REMOVE)) {
      for (long id : waiterIds) {
        remove.setLong(1, id);
        remove.addBatch();
      }
      remove.executeBatch();
    }
  }

  /** Removes every waiter of a node: one that starts again has no request left to answer. */
  int removeNode(Connection connection, String nodeId) throws SQLException {
    try (PreparedStatement remove = connection.prepareStatement(REMOVE_NODE)) {
      remove.setString(1, nodeId);
      return remove.executeUpdate();
    }
  }

  /** Removes the waiters of other nodes than {@code self} silent since {@code before}. */
  int removeSilent(Connection connection, Instant before, String self) throws SQLException {
    try (PreparedStatement remove = connection.prepareStatement(REMOVE_SILENT)) {
      remove.setLong(1, before.toEpochMilli());
      remove.setString(2, self);
      return remove.executeUpdate();
    }
  }

  /** Waiters across the cluster that may still be served. */
  long countWaiting(Connection connection, Instant now) throws SQLException {
    try (PreparedStatement count = connection.prepareStatement(COUNT_WAITING)) {
      return countWaiting(count, 1, now);
    }
  }

  /** Waiters of one pool that may still be served. */
  long countWaiting(Connection connection, int poolId, Instant now) throws SQLException {
    try (PreparedStatement count = connection.prepareStatement(COUNT_WAITING_IN_POOL)) {
      count.setInt(1, poolId);
      return countWaiting(count, 2, now);
    }
  }

  private static long countWaiting(PreparedStatement count, int firstTime, Instant now)
      throws SQLException {
    count.setLong(firstTime, now.toEpochMilli());
    count.setLong(firstTime + 1, now.minus(SILENCE).toEpochMilli());
    try (ResultSet row = count.executeQuery()) {
      row.next();
      return row.getLong(1);
    }
  }

  /** Whether some token is free or expired at {@code now}: a dispatch could serve someone. */
  boolean anyTokenFree(Connection connection, int poolId, Instant now) throws SQLException {
    try (PreparedStatement first = connection.prepareStatement(FIRST_TOKEN_EXPIRY)) {
      first.setInt(1, poolId);
      try (ResultSet row = first.executeQuery()) {
        if (!row.next()) {
          return false;
        }
        long expiresAt = row.getLong(1);
        return row.wasNull() || expiresAt <= now.toEpochMilli();
      }
    }
  }

  /** When the first active holding ends, if any is active. */
  Optional<Instant> soonestExpiry(Connection connection, int poolId, Instant now)
      throws SQLException {
    try (PreparedStatement soonest = connection.prepareStatement(SOONEST_EXPIRY)) {
      soonest.setInt(1, poolId);
      soonest.setLong(2, now.toEpochMilli());
      try (ResultSet row = soonest.executeQuery()) {
        if (!row.next()) {
          return Optional.empty();
        }
        long at = row.getLong(1);
        return row.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(at));
      }
    }
  }
}
