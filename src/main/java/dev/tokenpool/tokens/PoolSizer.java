package dev.tokenpool.tokens;

import dev.tokenpool.persistence.Transactions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collections;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a pool's live tokens what its size says: slots 1 to size. Growing inserts the missing
 * slots, each token with a fresh random UUID that never changes; shrinking retires the tokens above
 * the size (never evicting: a held one stays with its holder until the holding ends, and no
 * activation takes it again). Each step runs in its own short transaction with the pool's row
 * locked, so nodes resizing the same pool take turns and always work towards the latest size.
 */
public final class PoolSizer {

  private static final Logger log = LoggerFactory.getLogger(PoolSizer.class);

  /** Tokens inserted per statement, and statements per transaction. */
  static final int ROWS_PER_INSERT = 500;

  static final int INSERTS_PER_TRANSACTION = 10;

  /** Tokens retired per transaction: each waits for its row lock. */
  static final int RETIRE_BATCH = 500;

  private static final String LOCK_POOL =
      "SELECT size FROM pools WHERE id = ? AND deleted_at IS NULL FOR UPDATE";

  private static final String LIVE =
      "SELECT COUNT(*), MAX(slot) FROM tokens WHERE live_pool_id = ?";

  private static final String INSERT =
      "INSERT INTO tokens (id, slot, pool_id, live_pool_id) VALUES "
          + String.join(", ", Collections.nCopies(ROWS_PER_INSERT, "(?, ?, ?, ?)"));

  private static final String RETIRE_ABOVE =
      "UPDATE tokens SET live_pool_id = NULL WHERE live_pool_id = ? AND slot > ?";

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
      int upTo = Math.min(size, count + ROWS_PER_INSERT * INSERTS_PER_TRANSACTION);
      insert(connection, poolId, count + 1, upTo);
      return new Step(upTo, size);
    }
    if (count > size) {
      int downTo = Math.max(size, count - RETIRE_BATCH);
      try (PreparedStatement retire = connection.prepareStatement(RETIRE_ABOVE)) {
        retire.setInt(1, poolId);
        retire.setInt(2, downTo);
        TokenWrites.requireRows(retire.executeUpdate(), count - downTo, "retire tokens");
      }
      return new Step(downTo, size);
    }
    return new Step(count, size);
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
