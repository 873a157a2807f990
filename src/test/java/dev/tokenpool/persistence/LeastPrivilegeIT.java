package dev.tokenpool.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tokenpool.bootstrap.TokenPoolNode;
import dev.tokenpool.config.DatabaseSettings;
import dev.tokenpool.config.PoolSettings;
import dev.tokenpool.config.SchedulerSettings;
import dev.tokenpool.config.TokenPoolConfig;
import dev.tokenpool.testing.MariaDbServer;
import dev.tokenpool.testing.MutableClock;
import dev.tokenpool.testing.NodeSettings;
import dev.tokenpool.testing.RunHistory;
import dev.tokenpool.testing.TestDatabase;
import dev.tokenpool.tokens.Activation;
import dev.tokenpool.tokens.TokenState;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A node whose runtime login may only read and write rows: a separate migration login builds the
 * schema, the node serves, the scheduler runs its jobs, and the runtime login alone could not have
 * built it.
 */
class LeastPrivilegeIT {

  private static final Duration LIFETIME = Duration.ofSeconds(30);

  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T12:00:00Z"));
  private final String suffix = HexFormat.of().formatHex(new SecureRandom().generateSeed(4));
  private final String runtimeUser = "tp_rt_" + suffix;
  private final String migrationUser = "tp_mig_" + suffix;
  private final String runtimePassword = password();
  private final String migrationPassword = password();
  private TestDatabase db;
  private String schema;
  private TokenPoolNode node;

  @BeforeEach
  void createTheDatabaseAndItsTwoLogins() throws SQLException {
    db = MariaDbServer.createDatabase("least_privilege");
    try (Connection root = db.connect();
        Statement sql = root.createStatement()) {
      schema = root.getCatalog();
      sql.execute("CREATE USER '" + runtimeUser + "'@'%' IDENTIFIED BY '" + runtimePassword + "'");
      sql.execute(
          "CREATE USER '" + migrationUser + "'@'%' IDENTIFIED BY '" + migrationPassword + "'");
      sql.execute(
          "GRANT SELECT, INSERT, UPDATE, DELETE ON `"
              + schema
              + "`.* TO '"
              + runtimeUser
              + "'@'%'");
      sql.execute("GRANT ALL PRIVILEGES ON `" + schema + "`.* TO '" + migrationUser + "'@'%'");
    }
  }

  @AfterEach
  void dropEverything() throws SQLException {
    if (node != null) {
      node.close();
    }
    try (Connection root = db.connect();
        Statement sql = root.createStatement()) {
      sql.execute("DROP USER IF EXISTS '" + runtimeUser + "'@'%'");
      sql.execute("DROP USER IF EXISTS '" + migrationUser + "'@'%'");
    } finally {
      db.close();
    }
  }

  @Test
  void theMigrationLoginBuildsTheSchemaAndTheRuntimeLoginServesWithRowRightsOnly()
      throws Exception {
    TokenPoolConfig config =
        runtimeLogin()
            .with(DatabaseSettings.DB_MIGRATION_USER, migrationUser)
            .with(DatabaseSettings.DB_MIGRATION_PASSWORD, migrationPassword)
            .with(SchedulerSettings.EXPIRY_INTERVAL, "PT1S")
            .config();

    node = TokenPoolNode.start(config, Database.open(config.database()), clock);

    Activation activation = node.tokenService().activate("alice");
    assertThat(node.tokenService().get(activation.tokenId()).token().state())
        .isEqualTo(TokenState.ACTIVE);
    clock.advance(LIFETIME.plusSeconds(1));
    RunHistory history = new RunHistory(db);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> history.count("SELECT COUNT(*) FROM usages WHERE end_reason = 'EXPIRED'") == 1);
    assertThatThrownBy(() -> asRuntimeLogin("CREATE TABLE intruder (id INT)"))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("denied");
  }

  @Test
  void theRuntimeLoginAloneCannotBuildTheSchema() {
    TokenPoolConfig config = runtimeLogin().config();

    assertThatThrownBy(() -> TokenPoolNode.start(config, Database.open(config.database()), clock))
        .hasStackTraceContaining("denied");
  }

  private NodeSettings runtimeLogin() {
    return NodeSettings.on(db)
        .with(DatabaseSettings.DB_USER, runtimeUser)
        .with(DatabaseSettings.DB_PASSWORD, runtimePassword)
        .with(TokenPoolConfig.NODE_ID, "least-privilege")
        .with(PoolSettings.POOL_SIZE, "2")
        .with(PoolSettings.TOKEN_LIFETIME, LIFETIME.toString());
  }

  private void asRuntimeLogin(String statement) throws SQLException {
    try (Connection connection = TestDatabase.connect(db.url(), runtimeUser, runtimePassword);
        Statement sql = connection.createStatement()) {
      sql.execute(statement);
    }
  }

  private static String password() {
    byte[] random = new byte[18];
    new SecureRandom().nextBytes(random);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
  }
}
