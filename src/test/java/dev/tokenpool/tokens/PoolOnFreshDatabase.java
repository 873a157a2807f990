package dev.tokenpool.tokens;

import dev.tokenpool.bootstrap.TokenPoolNode;
import dev.tokenpool.config.DatabaseSettings;
import dev.tokenpool.config.PoolSettings;
import dev.tokenpool.config.SchedulerSettings;
import dev.tokenpool.config.TokenPoolConfig;
import dev.tokenpool.persistence.Database;
import dev.tokenpool.testing.MutableClock;
import dev.tokenpool.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A node of a small pool on a fresh, empty database of the kind under test, with a settable clock
 * and no scheduler: the setting of the token pool's behaviour suites.
 */
abstract class PoolOnFreshDatabase {

  static final int POOL_SIZE = 3;
  static final Duration LIFETIME = Duration.ofMinutes(2);
  static final Instant START = Instant.parse("2026-03-29T00:59:59.123Z");

  /** A new, empty database of the kind under test. */
  abstract TestDatabase newDatabase();

  final MutableClock clock = new MutableClock(START);
  TestDatabase db;
  TokenPoolNode node;
  TokenService tokens;

  @BeforeEach
  void startNodeOnAnEmptyDatabase() {
    db = newDatabase();
    node = startNode(POOL_SIZE);
    tokens = node.tokenService();
  }

  @AfterEach
  void stopNode() {
    if (node != null) {
      node.close();
    }
    db.close();
  }

  /** Settings beyond the pool's size and lifetime, for a suite that needs them. */
  Map<String, String> moreSettings() {
    return Map.of();
  }

  TokenPoolNode startNode(int poolSize) {
    Map<String, String> settings = new HashMap<>();
    settings.put(DatabaseSettings.DB_URL, db.url());
    settings.put(DatabaseSettings.DB_USER, db.user());
    settings.put(DatabaseSettings.DB_PASSWORD, db.password());
    settings.put(PoolSettings.POOL_SIZE, String.valueOf(poolSize));
    settings.put(PoolSettings.TOKEN_LIFETIME, LIFETIME.toString());
    settings.put(TokenPoolConfig.NODE_ID, "contract");
    // The rules are tested with a settable clock and without the scheduler's sweeps.
    settings.put(SchedulerSettings.SCHEDULER_ENABLED, "false");
    settings.putAll(moreSettings());
    TokenPoolConfig config = TokenPoolConfig.from(name -> Optional.ofNullable(settings.get(name)));
    return TokenPoolNode.start(config, Database.open(config.database()), clock);
  }

  /** Runs one statement directly over JDBC, bypassing the application. */
  void sql(String template, Object... args) throws SQLException {
    try (Connection connection = db.connect();
        Statement statement = connection.createStatement()) {
      statement.execute(String.format(template, args));
    }
  }

  long count(String query) throws SQLException {
    try (Connection connection = db.connect();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(query)) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
