package dev.tokenpool.bench;

import dev.tokenpool.config.DatabaseSettings;
import dev.tokenpool.config.TokenPoolConfig;
import dev.tokenpool.persistence.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The local MariaDB server as the benchmark uses it: databases made and dropped, pools seeded and
 * reset with set-based SQL (far faster than through the API, and not what is measured), and the
 * server's own counters.
 */
final class BenchDatabase {

  static final String SERVER = "jdbc:mysql://127.0.0.1:3306/";
  static final String USER = "root";

  private BenchDatabase() {}

  static String url(String database) {
    return SERVER + database;
  }

  /** A fresh, empty database. */
  static void recreate(String database) throws SQLException {
    execute(null, "DROP DATABASE IF EXISTS " + database);
    execute(null, "CREATE DATABASE " + database + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
  }

  static void drop(String database) throws SQLException {
    execute(null, "DROP DATABASE IF EXISTS " + database);
  }

  static Connection connect(String database) throws SQLException {
    Connection connection =
        DriverManager.getConnection(SERVER + (database == null ? "" : database), USER, "");
    connection.setAutoCommit(false);
    return connection;
  }

  static void execute(String database, String... statements) throws SQLException {
    try (Connection connection = connect(database);
        Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
      connection.commit();
    }
  }

  static long scalar(String database, String query) throws SQLException {
    try (Connection connection = connect(database);
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery(query)) {
      row.next();
      long value = row.getLong(1);
      connection.commit();
      return value;
    }
  }

  /** Whether the database's schema has named pools (V12 on): a baseline commit's may not. */
  static boolean hasPools(String database) throws SQLException {
    return scalar(
            null,
            "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '"
                + database
                + "' AND TABLE_NAME = 'tokens' AND COLUMN_NAME = 'live_pool_id'")
        > 0;
  }

  /**
   * Adds free tokens up to slot {@code size} to the (default) pool of a migrated database (random
   * version-1 UUIDs), and makes that its size.
   */
  static void growPool(String database, int size) throws SQLException {
    boolean pools = hasPools(database);
    long existing =
        scalar(
            database,
            "SELECT COALESCE(MAX(slot), 0) FROM tokens" + (pools ? " WHERE live_pool_id = 1" : ""));
    for (long from = existing + 1; from <= size; from += 100_000) {
      long to = Math.min(size, from + 99_999);
      execute(
          database,
          pools
              ? "INSERT INTO tokens (id, slot, pool_id, live_pool_id) SELECT UUID(), seq, 1, 1"
                  + " FROM seq_"
                  + from
                  + "_to_"
                  + to
              : "INSERT INTO tokens (id, slot) SELECT UUID(), seq FROM seq_" + from + "_to_" + to);
    }
    if (pools) {
      execute(database, "UPDATE pools SET size = " + size + " WHERE id = 1 AND size < " + size);
    }
  }

  /**
   * Adds {@code count} pools named {@code p-00001} onwards, of {@code size} free tokens each, with
   * set-based SQL (a million tokens in seconds); their leases are the default pool's.
   */
  static void addPools(String database, int count, int size) throws SQLException {
    execute(
        database,
        "INSERT INTO pools (name, live_name, size, lease_default_ms, lease_max_ms, max_hold_ms,"
            + " on_full_default, set_by, created_at, updated_at)"
            + " SELECT CONCAT('p-', LPAD(seq, 5, '0')), CONCAT('p-', LPAD(seq, 5, '0')), "
            + size
            + ", d.lease_default_ms, d.lease_max_ms, d.max_hold_ms, 'evict', 'bench',"
            + " d.created_at, d.created_at FROM seq_1_to_"
            + count
            + " JOIN pools d ON d.id = 1",
        "INSERT INTO tokens (id, slot, pool_id, live_pool_id)"
            + " SELECT UUID(), s.seq, p.id, p.id FROM pools p JOIN seq_1_to_"
            + size
            + " s WHERE p.name LIKE 'p-%'");
  }

  /**
   * Gives the first token of each of {@code pools} named pools ({@code p-00001} onwards) a holding
   * that expired a minute ago, one millisecond apart: an expiry pass's work spread over pools.
   */
  static void holdExpiredAcrossPools(String database, int pools) throws SQLException {
    long expired = System.currentTimeMillis() - 60_000;
    String chosen =
        " FROM tokens t JOIN pools p ON p.id = t.live_pool_id WHERE t.slot = 1 AND p.name"
            + " BETWEEN 'p-00001' AND 'p-"
            + String.format("%05d", pools)
            + "'";
    execute(
        database,
        "INSERT INTO usages (token_id, user_id, started_at, expires_at, open_token_id, open_user_id,"
            + " pool_id, open_pool_id) SELECT t.id, CONCAT('u-', t.pool_id), "
            + expired
            + " - t.pool_id - 120000, "
            + expired
            + " - t.pool_id, t.id, CONCAT('u-', t.pool_id), t.pool_id, t.pool_id"
            + chosen
            + " AND t.current_usage_id IS NULL",
        "UPDATE tokens t JOIN pools p ON p.id = t.live_pool_id JOIN usages u"
            + " ON u.open_token_id = t.id SET t.current_usage_id = u.id,"
            + " t.current_user_id = u.user_id, t.activated_at = u.started_at,"
            + " t.expires_at = u.expires_at WHERE t.slot = 1 AND p.name BETWEEN 'p-00001' AND 'p-"
            + String.format("%05d", pools)
            + "' AND t.current_usage_id IS NULL");
  }

  /**
   * Gives the tokens of slots {@code first} to {@code last} a two-minute holding that expired
   * between one minute and a few minutes ago, one millisecond apart, as activations spread over
   * time would have left them (each user id derived from its token's).
   */
  static void holdExpired(String database, int first, int last) throws SQLException {
    long expired = System.currentTimeMillis() - 60_000;
    if (!hasPools(database)) {
      holdExpiredBeforePools(database, first, last, expired);
      return;
    }
    execute(
        database,
        "INSERT INTO usages (token_id, user_id, started_at, expires_at, open_token_id, open_user_id,"
            + " pool_id, open_pool_id)"
            + " SELECT id, u, e - 120000, e, id, u, 1, 1 FROM (SELECT id,"
            + " CONCAT(LEFT(id, 24), LPAD(HEX(slot), 12, '0')) AS u, "
            + expired
            + " - slot AS e"
            + " FROM tokens WHERE live_pool_id = 1 AND slot BETWEEN "
            + first
            + " AND "
            + last
            + ") AS holders",
        "UPDATE tokens t JOIN usages u ON u.open_token_id = t.id SET t.current_usage_id = u.id,"
            + " t.current_user_id = u.user_id, t.activated_at = u.started_at,"
            + " t.expires_at = u.expires_at WHERE t.live_pool_id = 1 AND t.slot BETWEEN "
            + first
            + " AND "
            + last
            + " AND t.current_usage_id IS NULL");
  }

  /** {@link #holdExpired} on the schema before named pools (a baseline commit's). */
  private static void holdExpiredBeforePools(String database, int first, int last, long expired)
      throws SQLException {
    execute(
        database,
        "INSERT INTO usages (token_id, user_id, started_at, expires_at, open_token_id, open_user_id)"
            + " SELECT id, u, e - 120000, e, id, u FROM (SELECT id,"
            + " CONCAT(LEFT(id, 24), LPAD(HEX(slot), 12, '0')) AS u, "
            + expired
            + " - slot AS e FROM tokens WHERE slot BETWEEN "
            + first
            + " AND "
            + last
            + ") AS holders",
        "UPDATE tokens t JOIN usages u ON u.open_token_id = t.id SET t.current_usage_id = u.id,"
            + " t.current_user_id = u.user_id, t.activated_at = u.started_at,"
            + " t.expires_at = u.expires_at WHERE t.slot BETWEEN "
            + first
            + " AND "
            + last
            + " AND t.current_usage_id IS NULL");
  }

  /** Ends every open usage and frees every token, as a clear would. */
  static void freeAll(String database) throws SQLException {
    long now = System.currentTimeMillis();
    execute(
        database,
        "UPDATE tokens SET current_usage_id = NULL, current_user_id = NULL, activated_at = NULL,"
            + " expires_at = NULL WHERE expires_at IS NOT NULL",
        "UPDATE usages SET ended_at = LEAST(expires_at, "
            + now
            + "), end_reason = CASE WHEN"
            + " expires_at <= "
            + now
            + " THEN 'EXPIRED' ELSE 'CLEARED' END,"
            + " open_token_id = NULL, open_user_id = NULL"
            + (hasPools(database) ? ", open_pool_id = NULL" : "")
            + " WHERE ended_at IS NULL");
  }

  /** The server's global status counters. */
  static Map<String, Long> status() throws SQLException {
    Map<String, Long> counters = new HashMap<>();
    try (Connection connection = connect(null);
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SHOW GLOBAL STATUS")) {
      while (rows.next()) {
        try {
          counters.put(rows.getString(1), Long.parseLong(rows.getString(2)));
        } catch (NumberFormatException notANumber) {
          // Text-valued status variables are of no use here.
        }
      }
    }
    return counters;
  }

  /** Rows the server read for statements: MariaDB's {@code Rows_read}, MySQL's InnoDB count. */
  static long rowsRead(Map<String, Long> status) {
    Long rows = status.get("Rows_read");
    return rows != null ? rows : status.getOrDefault("Innodb_rows_read", 0L);
  }

  static String version() throws SQLException {
    try (Connection connection = connect(null);
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("SELECT VERSION()")) {
      row.next();
      return row.getString(1);
    }
  }

  /**
   * A connection pool made exactly as a node makes its own (same driver properties, isolation and
   * lock wait), for loads that run beside the nodes.
   */
  static Database pool(String database, int connections) {
    Map<String, String> settings = new HashMap<>();
    settings.put(DatabaseSettings.DB_URL, url(database));
    settings.put(DatabaseSettings.DB_USER, USER);
    settings.put(DatabaseSettings.DB_MAX_CONNECTIONS, String.valueOf(Math.max(2, connections)));
    settings.put(TokenPoolConfig.NODE_ID, "bench-client");
    return Database.open(
        TokenPoolConfig.from(name -> Optional.ofNullable(settings.get(name))).database());
  }

  /** Whether the server has the sequence engine the seeding statements use (MariaDB does). */
  static boolean hasSequenceEngine() throws SQLException {
    return scalar(null, "SELECT COUNT(*) FROM information_schema.ENGINES WHERE ENGINE = 'SEQUENCE'")
        > 0;
  }

  static long processCpuTicks(long pid) {
    try {
      String[] fields = Files.readString(Path.of("/proc/" + pid + "/stat")).split(" ");
      return Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
    } catch (Exception e) {
      return -1;
    }
  }
}
