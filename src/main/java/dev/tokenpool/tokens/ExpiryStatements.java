package dev.tokenpool.tokens;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The statements of one batch of an expiry pass, set-based: a batch of any size costs four
 * statements. Like every write here, it chooses with a plain read and locks by primary key, so it
 * locks only the tokens it ends, and it skips the tokens other transactions are changing (their
 * lock holder ends them lazily).
 *
 * <p>The id lists always have {@code batchSize} placeholders, padded with a repeated id, so each
 * statement has one text and the driver prepares it once.
 */
final class ExpiryStatements {

  private final int batchSize;
  private final String expired;
  private final String lock;
  private final String free;
  private final String end;

  ExpiryStatements(int batchSize) {
    this.batchSize = batchSize;
    String ids = String.join(", ", Collections.nCopies(batchSize, "?"));
    // From the (expiry, id) where the previous batch stopped: the index entries of the tokens the
    // pass has already freed lie before it and are not walked again. Across every pool, live or
    // retiring: one index walk, whatever the number of pools.
    this.expired =
        "SELECT id, expires_at FROM tokens WHERE expires_at >= ? AND expires_at <= ?"
            + " AND (expires_at > ? OR id > ?) ORDER BY expires_at, id LIMIT "
            + batchSize;
    this.lock =
        "SELECT id, current_usage_id FROM tokens WHERE id IN ("
            + ids
            + ")"
            + " AND expires_at <= ? FOR UPDATE SKIP LOCKED";
    this.free =
        "UPDATE tokens SET current_usage_id = NULL, current_user_id = NULL, activated_at = NULL,"
            + " expires_at = NULL WHERE id IN ("
            + ids
            + ")";
    // A usage ends at its own expiry, whenever the pass runs.
    this.end =
        "UPDATE usages SET ended_at = expires_at, end_reason = 'EXPIRED', ended_by_run = ?,"
            + " open_token_id = NULL, open_user_id = NULL, open_pool_id = NULL"
            + " WHERE id IN ("
            + ids
            + ") AND ended_at IS NULL";
  }

  int batchSize() {
    return batchSize;
  }

  /**
   * A batch's outcome: how many expired tokens the read found, how many the batch ended, and the
   * expiry the next batch starts from.
   */
  record Batch(int found, int ended, Position next) {

    /** Whether another batch may find more: this one read a full batch. */
    boolean mayHaveMore(int batchSize) {
      return found == batchSize;
    }
  }

  /** Where in expiry order a pass has got to: the last token a batch read. */
  record Position(long expiresAt, String tokenId) {

    /** Before every token: no token id sorts before the empty string. */
    static final Position START = new Position(Long.MIN_VALUE, "");
  }

  /**
   * Ends, as {@link EndReason#EXPIRED}, the usages of up to {@link #batchSize} tokens expired by
   * {@code now} that come after {@code from} in expiry order, naming {@code runId} as their end.
   */
  Batch endExpired(Connection connection, Position from, Instant now, String runId)
      throws SQLException {
    List<String> candidates = new ArrayList<>(batchSize);
    Position last = from;
    try (PreparedStatement statement = connection.prepareStatement(expired)) {
      statement.setLong(1, from.expiresAt());
      statement.setLong(2, now.toEpochMilli());
      statement.setLong(3, from.expiresAt());
      statement.setString(4, from.tokenId());
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          candidates.add(rows.getString(1));
          last = new Position(rows.getLong(2), rows.getString(1));
        }
      }
    }
    if (candidates.isEmpty()) {
      return new Batch(0, 0, from);
    }
    List<String> tokens = new ArrayList<>(candidates.size());
    List<Long> usages = new ArrayList<>(candidates.size());
    try (PreparedStatement statement = connection.prepareStatement(lock)) {
      int next = bindIds(statement, 1, candidates);
      statement.setLong(next, now.toEpochMilli());
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          tokens.add(rows.getString(1));
          usages.add(rows.getLong(2));
        }
      }
    }
    if (!tokens.isEmpty()) {
      try (PreparedStatement statement = connection.prepareStatement(free)) {
        bindIds(statement, 1, tokens);
        TokenWrites.requireRows(statement.executeUpdate(), tokens.size(), "free expired tokens");
      }
      try (PreparedStatement statement = connection.prepareStatement(end)) {
        statement.setString(1, runId);
        bindLongs(statement, 2, usages);
        TokenWrites.requireRows(statement.executeUpdate(), usages.size(), "end expired usages");
      }
    }
    return new Batch(candidates.size(), tokens.size(), last);
  }

  private int bindIds(PreparedStatement statement, int first, List<String> ids)
      throws SQLException {
    for (int i = 0; i < batchSize; i++) {
      statement.setString(first + i, ids.get(Math.min(i, ids.size() - 1)));
    }
    return first + batchSize;
  }

  private void bindLongs(PreparedStatement statement, int first, List<Long> values)
      throws SQLException {
    for (int i = 0; i < batchSize; i++) {
      statement.setLong(first + i, values.get(Math.min(i, values.size() - 1)));
    }
  }
}
