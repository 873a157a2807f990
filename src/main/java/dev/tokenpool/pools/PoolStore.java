package dev.tokenpool.pools;

import dev.tokenpool.tokens.OnFull;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The statements on the table {@code pools}, in plain JDBC, each within the caller's transaction.
 */
final class PoolStore {

  private static final String COLUMNS =
      "id, name, size, lease_default_ms, lease_max_ms, max_hold_ms, on_full_default, set_by,"
          + " created_at, updated_at";

  private static final String BY_NAME = "SELECT " + COLUMNS + " FROM pools WHERE live_name = ?";

  private static final String LOCK_BY_NAME = BY_NAME + " FOR UPDATE";

  private static final String NAME_OF = "SELECT name FROM pools WHERE id = ?";

  private static final String PAGE =
      "SELECT " + COLUMNS + " FROM pools WHERE live_name > ? ORDER BY live_name LIMIT ?";

  private static final String UNRECONCILED =
      "SELECT p.id FROM pools p WHERE p.deleted_at IS NULL"
          + " AND p.size <> (SELECT COUNT(*) FROM tokens t WHERE t.live_pool_id = p.id)";

  private static final String SIZES =
      "SELECT COUNT(*), COALESCE(SUM(size), 0) FROM pools WHERE deleted_at IS NULL";

  /* Active holdings of every pool: a range of the expiry index, as long as the holdings. */
  private static final String ALL_ACTIVE = "SELECT COUNT(*) FROM tokens WHERE expires_at > ?";

  /* Deleted pools whose drain was cut short: their tokens still held. */
  private static final String DELETED_WITH_HOLDINGS =
      "SELECT DISTINCT p.id FROM pools p JOIN tokens t ON t.pool_id = p.id"
          + " WHERE p.deleted_at IS NOT NULL AND t.current_usage_id IS NOT NULL";

  private static final String BY_ID = "SELECT " + COLUMNS + " FROM pools WHERE id = ?";

  private static final String COUNT = "SELECT COUNT(*) FROM pools WHERE deleted_at IS NULL";

  private static final String INSERT =
      "INSERT INTO pools (name, live_name, size, lease_default_ms, lease_max_ms, max_hold_ms,"
          + " on_full_default, set_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private static final String UPDATE =
      "UPDATE pools SET size = ?, lease_default_ms = ?, lease_max_ms = ?, max_hold_ms = ?,"
          + " on_full_default = ?, set_by = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL";

  private static final String DELETE =
      "UPDATE pools SET live_name = NULL, deleted_at = ?, set_by = ? WHERE id = ?"
          + " AND deleted_at IS NULL";

  /* Every live token of the pool leaves it, free or held: no activation finds one again. */
  private static final String RETIRE_ALL =
      "UPDATE tokens SET live_pool_id = NULL WHERE live_pool_id = ?";

  private static final String ACTIVE_HOLDINGS =
      "SELECT COUNT(*) FROM tokens WHERE pool_id = ? AND expires_at > ?";

  /** Live pools whose live tokens are not as many as their size: a resize was cut short. */
  List<Integer> unreconciled(Connection connection) throws SQLException {
    List<Integer> pools = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(UNRECONCILED);
        ResultSet row = statement.executeQuery()) {
      while (row.next()) {
        pools.add(row.getInt(1));
      }
    }
    return pools;
  }

  List<Integer> deletedWithHoldings(Connection connection) throws SQLException {
    List<Integer> pools = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(DELETED_WITH_HOLDINGS);
        ResultSet row = statement.executeQuery()) {
      while (row.next()) {
        pools.add(row.getInt(1));
      }
    }
    return pools;
  }

  /** A pool by id, live or deleted. */
  Optional<PoolDefinition> byId(Connection connection, int poolId) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(BY_ID)) {
      statement.setInt(1, poolId);
      try (ResultSet row = statement.executeQuery()) {
        return row.next() ? Optional.of(definition(row)) : Optional.empty();
      }
    }
  }

  /** A live pool by name, read without a lock. */
  Optional<PoolDefinition> find(Connection connection, String name) throws SQLException {
    return single(connection, BY_NAME, name);
  }

  Optional<PoolDefinition> lock(Connection connection, String name) throws SQLException {
    return single(connection, LOCK_BY_NAME, name);
  }

  Optional<String> nameOf(Connection connection, int poolId) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(NAME_OF)) {
      statement.setInt(1, poolId);
      try (ResultSet row = statement.executeQuery()) {
        return row.next() ? Optional.of(row.getString(1)) : Optional.empty();
      }
    }
  }

  /**
   * Up to {@code limit} live pools among {@code only} (every one when empty) named after {@code
   * after}, in name order.
   */
  List<PoolDefinition> page(Connection connection, String after, int limit, Set<String> only)
      throws SQLException {
    List<PoolDefinition> pools = new ArrayList<>();
    String sql =
        only.isEmpty()
            ? PAGE
            : "SELECT "
                + COLUMNS
                + " FROM pools WHERE live_name > ? AND live_name IN ("
                + String.join(", ", Collections.nCopies(only.size(), "?"))
                + ") ORDER BY live_name LIMIT ?";
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      int next = 1;
      statement.setString(next++, after);
      for (String name : new TreeSet<>(only)) {
        statement.setString(next++, name);
      }
      statement.setInt(next, limit);
      try (ResultSet row = statement.executeQuery()) {
        while (row.next()) {
          pools.add(definition(row));
        }
      }
    }
    return pools;
  }

  PoolTotals totals(Connection connection, Instant now) throws SQLException {
    long pools;
    long size;
    try (PreparedStatement statement = connection.prepareStatement(SIZES);
        ResultSet row = statement.executeQuery()) {
      row.next();
      pools = row.getLong(1);
      size = row.getLong(2);
    }
    try (PreparedStatement statement = connection.prepareStatement(ALL_ACTIVE)) {
      statement.setLong(1, now.toEpochMilli());
      try (ResultSet row = statement.executeQuery()) {
        row.next();
        return new PoolTotals(pools, size, row.getLong(1));
      }
    }
  }

  /** Live pools among {@code only} (every one when empty). */
  long count(Connection connection, Set<String> only) throws SQLException {
    String sql =
        only.isEmpty()
            ? COUNT
            : COUNT
                + " AND live_name IN ("
                + String.join(", ", Collections.nCopies(only.size(), "?"))
                + ")";
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      int next = 1;
      for (String name : new TreeSet<>(only)) {
        statement.setString(next++, name);
      }
      try (ResultSet row = statement.executeQuery()) {
        row.next();
        return row.getLong(1);
      }
    }
  }

  int insert(Connection connection, PoolSpec spec, String setBy, Instant now) throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(INSERT, Statement.RETURN_GENERATED_KEYS)) {
      insert.setString(1, spec.name());
      insert.setString(2, spec.name());
      insert.setInt(3, spec.size());
      insert.setLong(4, spec.leaseDefault().toMillis());
      insert.setLong(5, spec.leaseMax().toMillis());
      insert.setLong(6, spec.maxHold().toMillis());
      insert.setString(7, onFull(spec.onFullDefault()));
      insert.setString(8, setBy);
      insert.setLong(9, now.toEpochMilli());
      insert.setLong(10, now.toEpochMilli());
      insert.executeUpdate();
      try (ResultSet keys = insert.getGeneratedKeys()) {
        if (!keys.next()) {
          throw new IllegalStateException("The database returned no id for the new pool");
        }
        return keys.getInt(1);
      }
    }
  }

  /** Writes a live pool's settings; {@code setBy} null when the node's settings decide. */
  void update(Connection connection, int poolId, PoolSpec spec, String setBy, Instant now)
      throws SQLException {
    try (PreparedStatement update = connection.prepareStatement(UPDATE)) {
      update.setInt(1, spec.size());
      update.setLong(2, spec.leaseDefault().toMillis());
      update.setLong(3, spec.leaseMax().toMillis());
      update.setLong(4, spec.maxHold().toMillis());
      update.setString(5, onFull(spec.onFullDefault()));
      if (setBy == null) {
        update.setNull(6, Types.VARCHAR);
      } else {
        update.setString(6, setBy);
      }
      update.setLong(7, now.toEpochMilli());
      update.setInt(8, poolId);
      requireOne(update.executeUpdate(), "update pool " + poolId);
    }
  }

  /** Retires every live token of the pool; returns how many. */
  int retireAll(Connection connection, int poolId) throws SQLException {
    try (PreparedStatement retire = connection.prepareStatement(RETIRE_ALL)) {
      retire.setInt(1, poolId);
      return retire.executeUpdate();
    }
  }

  /** Holdings of the pool's tokens, live or retiring, that are active at {@code now}. */
  long activeHoldings(Connection connection, int poolId, Instant now) throws SQLException {
    try (PreparedStatement count = connection.prepareStatement(ACTIVE_HOLDINGS)) {
      count.setInt(1, poolId);
      count.setLong(2, now.toEpochMilli());
      try (ResultSet row = count.executeQuery()) {
        row.next();
        return row.getLong(1);
      }
    }
  }

  /** Marks the pool deleted: its name is free again, its row and history stay. */
  void delete(Connection connection, int poolId, String by, Instant now) throws SQLException {
    try (PreparedStatement delete = connection.prepareStatement(DELETE)) {
      delete.setLong(1, now.toEpochMilli());
      delete.setString(2, by);
      delete.setInt(3, poolId);
      requireOne(delete.executeUpdate(), "delete pool " + poolId);
    }
  }

  private static Optional<PoolDefinition> single(Connection connection, String sql, String name)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, name);
      try (ResultSet row = statement.executeQuery()) {
        return row.next() ? Optional.of(definition(row)) : Optional.empty();
      }
    }
  }

  private static PoolDefinition definition(ResultSet row) throws SQLException {
    return new PoolDefinition(
        row.getInt(1),
        row.getString(2),
        row.getInt(3),
        Duration.ofMillis(row.getLong(4)),
        Duration.ofMillis(row.getLong(5)),
        Duration.ofMillis(row.getLong(6)),
        OnFull.valueOf(row.getString(7).toUpperCase(Locale.ROOT)),
        Optional.ofNullable(row.getString(8)),
        Instant.ofEpochMilli(row.getLong(9)),
        Instant.ofEpochMilli(row.getLong(10)));
  }

  private static String onFull(OnFull onFull) {
    return onFull.name().toLowerCase(Locale.ROOT);
  }

  private static void requireOne(int rows, String what) {
    if (rows != 1) {
      throw new IllegalStateException("Could not " + what + ": " + rows + " rows changed");
    }
  }
}
