package dev.tokenpool.tokens;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Every statement that changes tokens and usages, and the locking reads before them, in plain JDBC:
 * this is the hot path, where Hibernate's query translation and result mapping cost more than the
 * statements themselves (docs/performance.md). Statement texts are constants, so the driver
 * prepares each once per connection.
 *
 * <p>The locking protocol, the same on every database: choose candidates with a plain read, then
 * lock exactly the row to take by its primary key, re-checking under the lock that it is still what
 * the read showed. No statement locks a row it does not take (H2 would lock every row a {@code FOR
 * UPDATE} query matches, whatever its {@code LIMIT}; InnoDB pays for each row version it walks on a
 * hot index). Lock order: a token row first, then its usage row.
 */
final class TokenWrites {

  private static final String COLUMNS =
      "id, slot, current_usage_id, current_user_id, activated_at, expires_at, pool_id,"
          + " live_pool_id";

  /*
   * The user's own token (flagged 1), then the first candidates in the order tokens are given
   * out: free ones first (a NULL expiry sorts first), then by expiry, so expired ones, then the
   * active ones that expire soonest. One plain read, walking one index.
   */
  private static final String SNAPSHOT =
      "SELECT 1, "
          + COLUMNS
          + " FROM tokens WHERE current_user_id = ? AND pool_id = ?"
          + " UNION ALL (SELECT 0, "
          + COLUMNS
          + " FROM tokens WHERE live_pool_id = ? ORDER BY expires_at, slot LIMIT ?)"
          // Flagged 2: someone waits for a token of the pool (free ones are theirs first), in the
          // same round trip.
          + " UNION ALL (SELECT 2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM waiters"
          + " WHERE pool_id = ? AND state = 'WAITING' AND deadline > ? AND seen_at >= ? LIMIT 1)";

  /* Active holdings in expiry order: what a newcomer that evicts may take while others wait. */
  private static final String ACTIVE_CANDIDATES =
      "SELECT "
          + COLUMNS
          + " FROM tokens WHERE live_pool_id = ? AND expires_at > ?"
          + " ORDER BY expires_at, slot LIMIT ?";

  private static final String LOCK_OWN =
      "SELECT " + COLUMNS + " FROM tokens WHERE id = ? AND current_user_id = ? FOR UPDATE";

  /*
   * Still live (a shrink may have retired it since), and free, expired, or still held by the
   * usage the snapshot showed; skipped if locked.
   */
  private static final String TRY_LOCK_CANDIDATE =
      "SELECT "
          + COLUMNS
          + " FROM tokens WHERE id = ? AND live_pool_id IS NOT NULL"
          + " AND (current_usage_id IS NULL OR expires_at <= ? OR current_usage_id = ?)"
          + " FOR UPDATE SKIP LOCKED";

  private static final String LOCK_BY_ID =
      "SELECT " + COLUMNS + " FROM tokens WHERE id = ? AND pool_id = ? FOR UPDATE";

  private static final String DETACH =
      "UPDATE tokens SET current_usage_id = NULL, current_user_id = NULL, activated_at = NULL,"
          + " expires_at = NULL WHERE id = ? AND current_usage_id = ?";

  private static final String END_USAGE =
      "UPDATE usages SET ended_at = ?, end_reason = ?, ended_by = ?, ended_by_run = NULL,"
          + " open_token_id = NULL, open_user_id = NULL, open_pool_id = NULL"
          + " WHERE id = ? AND ended_at IS NULL";

  private static final String MARK_EVICTED_BY = "UPDATE usages SET evicted_by = ? WHERE id = ?";

  private static final String RENEW_TOKEN =
      "UPDATE tokens SET expires_at = ? WHERE id = ? AND current_usage_id = ?";

  private static final String RENEW_USAGE =
      "UPDATE usages SET expires_at = ?, renewals = renewals + 1, last_renewed_at = ?"
          + " WHERE id = ? AND ended_at IS NULL";

  private static final String RENEWALS = "SELECT renewals FROM usages WHERE id = ?";

  private static final String HOLDING =
      "SELECT token_id, user_id, expires_at, ended_at, end_reason, ended_by, evicted_by"
          + " FROM usages WHERE id = ?";

  private static final String INSERT_USAGE =
      "INSERT INTO usages (token_id, user_id, started_at, expires_at, open_token_id, open_user_id,"
          + " pool_id, open_pool_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

  private static final String ATTACH =
      "UPDATE tokens SET current_usage_id = ?, current_user_id = ?, activated_at = ?, expires_at = ?"
          + " WHERE id = ? AND current_usage_id IS NULL";

  /*
   * The pool's held tokens (live or retiring) activated no later than a clear's cutoff, walked in
   * expiry order from the first held one. It waits for locks, so that a clear misses no token
   * that is merely being changed.
   */
  private static final String LOCK_HELD_SINCE =
      "SELECT "
          + COLUMNS
          + " FROM tokens WHERE pool_id = ? AND expires_at IS NOT NULL AND activated_at <= ?"
          + " ORDER BY expires_at, id LIMIT ? FOR UPDATE";

  /**
   * What a snapshot read: the user's own token, if any, the first candidates, and whether anyone
   * waits for a token (who may still be served at the time given).
   */
  record Snapshot(Optional<Token> own, List<Token> candidates, boolean waiters) {}

  Snapshot snapshot(Connection connection, int poolId, String userId, int candidates, Instant now)
      throws SQLException {
    Token own = null;
    boolean waiters = false;
    List<Token> rows = new ArrayList<>(candidates);
    try (PreparedStatement statement = connection.prepareStatement(SNAPSHOT)) {
      statement.setString(1, userId);
      statement.setInt(2, poolId);
      statement.setInt(3, poolId);
      statement.setInt(4, candidates);
      statement.setInt(5, poolId);
      statement.setLong(6, now.toEpochMilli());
      statement.setLong(7, now.minus(WaitQueue.SILENCE).toEpochMilli());
      try (ResultSet result = statement.executeQuery()) {
        while (result.next()) {
          int flag = result.getInt(1);
          if (flag == 2) {
            waiters = true;
          } else if (flag == 1) {
            own = token(result, 2);
          } else {
            rows.add(token(result, 2));
          }
        }
      }
    }
    return new Snapshot(Optional.ofNullable(own), rows, waiters);
  }

  /** The first active holdings in expiry order, read without locks. */
  List<Token> activeCandidates(Connection connection, int poolId, Instant now, int limit)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(ACTIVE_CANDIDATES)) {
      statement.setInt(1, poolId);
      statement.setLong(2, now.toEpochMilli());
      statement.setInt(3, limit);
      return all(statement);
    }
  }

  /** The user's token, locked (waiting for it), if it is still theirs. */
  Optional<Token> lockOwn(Connection connection, UUID tokenId, String userId) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(LOCK_OWN)) {
      statement.setString(1, tokenId.toString());
      statement.setString(2, userId);
      return single(statement);
    }
  }

  /**
   * Locks a candidate if no one else holds its lock and it is still free, expired at {@code now},
   * or held by the same usage as when it was read; empty otherwise.
   */
  Optional<Token> tryLockCandidate(Connection connection, Token seen, Instant now)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(TRY_LOCK_CANDIDATE)) {
      statement.setString(1, seen.id().toString());
      statement.setLong(2, now.toEpochMilli());
      setNullableLong(statement, 3, seen.currentUsageId());
      return single(statement);
    }
  }

  /**
   * A token of the pool, locked, waiting for whoever holds its lock; empty if the pool has no such
   * token.
   */
  Optional<Token> lockById(Connection connection, int poolId, UUID tokenId) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(LOCK_BY_ID)) {
      statement.setString(1, tokenId.toString());
      statement.setInt(2, poolId);
      return single(statement);
    }
  }

  /** Up to {@code limit} held tokens of the pool activated no later than {@code cutoff}, locked. */
  List<Token> lockHeldSince(Connection connection, int poolId, Instant cutoff, int limit)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(LOCK_HELD_SINCE)) {
      statement.setInt(1, poolId);
      statement.setLong(2, cutoff.toEpochMilli());
      statement.setInt(3, limit);
      return all(statement);
    }
  }

  /**
   * Ends the usage a locked token holds. Both updates are keyed by the usage itself, so a caller
   * working from a stale read can never end a newer usage of the same token, and a usage that has
   * already ended is never ended again.
   */
  void endCurrentUsage(
      Connection connection, Token token, EndReason reason, Instant endedAt, String endedBy)
      throws SQLException {
    try (PreparedStatement detach = connection.prepareStatement(DETACH)) {
      detach.setString(1, token.id().toString());
      detach.setLong(2, token.currentUsageId());
      requireOneRow(detach.executeUpdate(), "free token " + token.id());
    }
    try (PreparedStatement end = connection.prepareStatement(END_USAGE)) {
      end.setLong(1, endedAt.toEpochMilli());
      end.setString(2, reason.name());
      end.setString(3, endedBy);
      end.setLong(4, token.currentUsageId());
      requireOneRow(end.executeUpdate(), "end usage " + token.currentUsageId());
    }
  }

  /**
   * Opens a usage of a locked, unheld token and returns its id, the holding's fence. The unique
   * keys on the open usage refuse a second open usage of the token or of the user, whatever any
   * caller believed.
   */
  long open(Connection connection, Token token, String userId, Instant now, Instant expiresAt)
      throws SQLException {
    UUID tokenId = token.id();
    long usageId;
    try (PreparedStatement insert =
        connection.prepareStatement(INSERT_USAGE, Statement.RETURN_GENERATED_KEYS)) {
      insert.setString(1, tokenId.toString());
      insert.setString(2, userId);
      insert.setLong(3, now.toEpochMilli());
      insert.setLong(4, expiresAt.toEpochMilli());
      insert.setString(5, tokenId.toString());
      insert.setString(6, userId);
      insert.setInt(7, token.poolId());
      insert.setInt(8, token.poolId());
      insert.executeUpdate();
      try (ResultSet keys = insert.getGeneratedKeys()) {
        if (!keys.next()) {
          throw new IllegalStateException("The database returned no id for the new usage");
        }
        usageId = keys.getLong(1);
      }
    }
    try (PreparedStatement attach = connection.prepareStatement(ATTACH)) {
      attach.setLong(1, usageId);
      attach.setString(2, userId);
      attach.setLong(3, now.toEpochMilli());
      attach.setLong(4, expiresAt.toEpochMilli());
      attach.setString(5, tokenId.toString());
      requireOneRow(attach.executeUpdate(), "take token " + tokenId);
    }
    return usageId;
  }

  /** Records on an evicted usage the fence of the holding that took its token. */
  void markEvictedBy(Connection connection, long evictedUsageId, long newcomerFence)
      throws SQLException {
    try (PreparedStatement mark = connection.prepareStatement(MARK_EVICTED_BY)) {
      mark.setLong(1, newcomerFence);
      mark.setLong(2, evictedUsageId);
      requireOneRow(mark.executeUpdate(), "mark usage " + evictedUsageId + " evicted");
    }
  }

  /**
   * Moves the expiry of a locked token's current holding, on the token and on its usage, and
   * returns how often the holding has now been renewed.
   */
  int renew(Connection connection, Token token, Instant expiresAt, Instant now)
      throws SQLException {
    try (PreparedStatement renewToken = connection.prepareStatement(RENEW_TOKEN)) {
      renewToken.setLong(1, expiresAt.toEpochMilli());
      renewToken.setString(2, token.id().toString());
      renewToken.setLong(3, token.currentUsageId());
      requireOneRow(renewToken.executeUpdate(), "renew token " + token.id());
    }
    try (PreparedStatement renewUsage = connection.prepareStatement(RENEW_USAGE)) {
      renewUsage.setLong(1, expiresAt.toEpochMilli());
      renewUsage.setLong(2, now.toEpochMilli());
      renewUsage.setLong(3, token.currentUsageId());
      requireOneRow(renewUsage.executeUpdate(), "renew usage " + token.currentUsageId());
    }
    try (PreparedStatement renewals = connection.prepareStatement(RENEWALS)) {
      renewals.setLong(1, token.currentUsageId());
      try (ResultSet row = renewals.executeQuery()) {
        row.next();
        return row.getInt(1);
      }
    }
  }

  /** A holding as its usage row records it, by fence. */
  record Holding(UUID tokenId, String userId, Instant expiresAt, Optional<HoldingEnd> end) {}

  /** The holding with this fence, if it exists (and was not pruned from the history). */
  Optional<Holding> holding(Connection connection, long fence) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(HOLDING)) {
      statement.setLong(1, fence);
      try (ResultSet row = statement.executeQuery()) {
        if (!row.next()) {
          return Optional.empty();
        }
        Long endedAt = nullableLong(row, 4);
        Optional<HoldingEnd> end =
            endedAt == null
                ? Optional.empty()
                : Optional.of(
                    new HoldingEnd(
                        EndReason.valueOf(row.getString(5)),
                        Instant.ofEpochMilli(endedAt),
                        row.getString(6),
                        nullableLong(row, 7)));
        return Optional.of(
            new Holding(
                UUID.fromString(row.getString(1)),
                row.getString(2),
                Instant.ofEpochMilli(row.getLong(3)),
                end));
      }
    }
  }

  private static Optional<Token> single(PreparedStatement statement) throws SQLException {
    try (ResultSet result = statement.executeQuery()) {
      return result.next() ? Optional.of(token(result, 1)) : Optional.empty();
    }
  }

  private static List<Token> all(PreparedStatement statement) throws SQLException {
    List<Token> tokens = new ArrayList<>();
    try (ResultSet result = statement.executeQuery()) {
      while (result.next()) {
        tokens.add(token(result, 1));
      }
    }
    return tokens;
  }

  /** Reads {@link #COLUMNS} starting at column {@code first}. */
  static Token token(ResultSet row, int first) throws SQLException {
    String user = row.getString(first + 3);
    return Token.of(
        UUID.fromString(row.getString(first)),
        row.getInt(first + 1),
        nullableLong(row, first + 2),
        user,
        instant(nullableLong(row, first + 4)),
        instant(nullableLong(row, first + 5)),
        row.getInt(first + 6),
        nullableInteger(row, first + 7));
  }

  static Long nullableLong(ResultSet row, int column) throws SQLException {
    long value = row.getLong(column);
    return row.wasNull() ? null : value;
  }

  static Integer nullableInteger(ResultSet row, int column) throws SQLException {
    int value = row.getInt(column);
    return row.wasNull() ? null : value;
  }

  static void setNullableLong(PreparedStatement statement, int index, Long value)
      throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.BIGINT);
    } else {
      statement.setLong(index, value);
    }
  }

  private static Instant instant(Long millis) {
    return millis == null ? null : Instant.ofEpochMilli(millis);
  }

  static void requireOneRow(int rows, String what) {
    requireRows(rows, 1, what);
  }

  static void requireRows(int rows, int expected, String what) {
    if (rows != expected) {
      // The caller holds the token's row lock, so this means the lock protocol was broken.
      throw new IllegalStateException("Could not " + what + ": " + rows + " rows changed");
    }
  }
}
