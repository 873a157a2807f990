package dev.tokenpool.tokens;

import dev.tokenpool.persistence.Transactions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a pool's live tokens what its size says: slots 1 to size. Growing first brings the pool's
 * retired tokens back, held ones first (their holders count against the size again, so a shrink
 * followed by a growth never leaves more holders than the size), then inserts new tokens, each with
 * a fresh random UUID that never changes; shrinking retires the tokens above the size in one
 * statement (never evicting: a held one stays with its holder until the holding ends, and no
 * activation takes it again). Each step runs in a short transaction with the pool's row locked, so
 * nodes resizing the same pool take turns and always work towards the latest size.
 */
public final class PoolSizer {

  private static final Logger log = LoggerFactory.getLogger(PoolSizer.class);

  /** Tokens inserted per statement, and statements per transaction. */
  static final int ROWS_PER_INSERT = 500;

  static final int INSERTS_PER_TRANSACTION = 10;

  /** Retired tokens brought back per transaction: each waits for its row lock. */
  static final int REVIVE_BATCH = 500;

  private static final String LOCK_POOL =
      "SELECT size FROM pools WHERE id = ? AND deleted_at IS NULL FOR UPDATE";

  private static final String LIVE =
      "SELECT COUNT(*), MAX(slot) FROM tokens WHERE live_pool_id = ?";

  private static final String INSERT =
      "INSERT INTO tokens (id, slot, pool_id, live_pool_id) VALUES "
          + String.join(", ", Collections.nCopies(ROWS_PER_INSERT, "(?, ?, ?, ?)"));

  private static final String RETIRE_ABOVE =
      "UPDATE tokens SET live_pool_id = NULL WHERE live_pool_id = ? AND slot > ?";

  /* The pool's retired tokens, held ones first, then by slot. */
  private static final String RETIRED =
      "SELECT id FROM tokens WHERE pool_id = ? AND live_pool_id IS NULL"
          + " ORDER BY CASE WHEN current_usage_id IS NULL THEN 1 ELSE 0 END, slot LIMIT ?";

  private static final String REVIVE =
      "UPDATE tokens SET live_pool_id = pool_id, slot = ? WHERE id = ? AND pool_id = ?"
          + " AND live_pool_id IS NULL";

  private final Transactions transactions;

  public PoolSizer(Transactions transactions) {
    this.transactions = transactions;
  }

  /** What a pool's live tokens are after a step: how many, and the size they work towards. */
  record Step(int live, int size) {
    boolean done() {
      return live == size;
    }
  }

  /**
   * Adds or retires live tokens until the pool has exactly its size, and returns it. A pool that
   * was deleted meanwhile is left alone.
   */
  public int reconcile(int poolId) {
    Step step;
    int before = -1;
    do {
      step = transactions.retryingOnConnection(connection -> step(connection, poolId));
      if (before < 0) {
        before = step.live();
      }
    } while (!step.done());
    if (before != step.size()) {
      log.info("Pool {} now has {} live tokens (had {})", poolId, step.size(), before);
    }
    return step.size();
  }

  /** The number of live tokens of the pool, read without a lock. */
  public int liveTokens(int poolId) {
    return transactions.onceOnConnection(connection -> live(connection, poolId)[0]);
  }

  private Step step(Connection connection, int poolId) throws SQLException {
    int size;
    try (PreparedStatement lock = connection.prepareStatement(LOCK_POOL)) {
      lock.setInt(1, poolId);
      try (ResultSet row = lock.executeQuery()) {
        if (!row.next()) {
          return new Step(0, 0); // deleted: nothing to do
        }
        size = row.getInt(1);
      }
    }
    int[] live = live(connection, poolId);
    int count = live[0];
    if (count != live[1]) {
      throw new IllegalStateException(
          "Pool "
              + poolId
              + " has "
              + count
              + " live tokens but slots up to "
              + live[1]
              + ": the tokens table was edited by hand");
    }
    if (count < size) {
      int revived = revive(connection, poolId, count, Math.min(size - count, REVIVE_BATCH));
      if (revived > 0) {
        return new Step(count + revived, size);
      }
      int upTo = Math.min(size, count + ROWS_PER_INSERT * INSERTS_PER_TRANSACTION);
      insert(connection, poolId, count + 1, upTo);
      return new Step(upTo, size);
    }
    if (count > size) {
      retireAbove(connection, poolId, size);
      return new Step(size, size);
    }
    return new Step(count, size);
  }

  /**
   * Retires the pool's live tokens above {@code size}, in the caller's transaction (which holds the
   * pool's row lock): a shrink takes effect with the new size, in one commit.
   */
  public void retireAbove(Connection connection, int poolId, int size) throws SQLException {
    try (PreparedStatement retire = connection.prepareStatement(RETIRE_ABOVE)) {
      retire.setInt(1, poolId);
      retire.setInt(2, size);
      retire.executeUpdate();
    }
  }

  /** Brings up to {@code limit} retired tokens back as slots {@code live + 1} on; how many. */
  private static int revive(Connection connection, int poolId, int live, int limit)
      throws SQLException {
    List<String> retired = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(RETIRED)) {
      select.setInt(1, poolId);
      select.setInt(2, limit);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          retired.add(rows.getString(1));
        }
      }
    }
    int revived = 0;
    try (PreparedStatement revive = connection.prepareStatement(REVIVE)) {
      for (String id : retired) {
        revive.setInt(1, live + revived + 1);
        revive.setString(2, id);
        revive.setInt(3, poolId);
        revived += revive.executeUpdate();
      }
    }
    return revived;
  }

  private static int[] live(Connection connection, int poolId) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(LIVE)) {
      statement.setInt(1, poolId);
      try (ResultSet row = statement.executeQuery()) {
        row.next();
        return new int[] {row.getInt(1), row.getInt(2)};
      }
    }
  }

  /** Inserts slots {@code from} to {@code to}, a full statement at a time, the rest one by one. */
  private static void insert(Connection connection, int poolId, int from, int to)
      throws SQLException {
    int slot = from;
    try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
      while (to - slot + 1 >= ROWS_PER_INSERT) {
        for (int row = 0; row < ROWS_PER_INSERT; row++) {
          bind(insert, row * 4 + 1, poolId, slot++);
        }
        insert.executeUpdate();
      }
    }
    if (slot <= to) {
      String rows = String.join(", ", Collections.nCopies(to - slot + 1, "(?, ?, ?, ?)"));
      try (PreparedStatement insert =
          connection.prepareStatement(
              "INSERT INTO tokens (id, slot, pool_id, live_pool_id) VALUES " + rows)) {
        for (int row = 0; slot <= to; row++) {
          bind(insert, row * 4 + 1, poolId, slot++);
        }
        insert.executeUpdate();
      }
    }
  }

  private static void bind(PreparedStatement insert, int first, int poolId, int slot)
      throws SQLException {
    insert.setString(first, UUID.randomUUID().toString());
    insert.setInt(first + 1, slot);
    insert.setInt(first + 2, poolId);
    insert.setInt(first + 3, poolId);
  }
}
