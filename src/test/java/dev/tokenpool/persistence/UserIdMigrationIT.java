package dev.tokenpool.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenpool.bootstrap.TokenPoolNode;
import dev.tokenpool.config.PoolSettings;
import dev.tokenpool.config.SchedulerSettings;
import dev.tokenpool.config.TokenPoolConfig;
import dev.tokenpool.testing.MariaDbServer;
import dev.tokenpool.testing.MutableClock;
import dev.tokenpool.testing.NodeSettings;
import dev.tokenpool.testing.TestDatabase;
import dev.tokenpool.testing.UsageEntry;
import dev.tokenpool.tokens.Activation;
import dev.tokenpool.tokens.EndReason;
import dev.tokenpool.tokens.NotTheHolderException;
import dev.tokenpool.tokens.ReleasedUsage;
import dev.tokenpool.tokens.TokenService;
import dev.tokenpool.tokens.TokenState;
import dev.tokenpool.tokens.TokenView;
import dev.tokenpool.tokens.UsageView;
import dev.tokenpool.tokens.UserIds;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.JDBCType;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * V5 turns user ids from UUIDs into opaque strings on databases that already hold tokens, open
 * holdings and history. Each test migrates a fresh database up to V4 only, writes there what the
 * UUID-only service wrote (a token held by one user, with an ended usage of another before it),
 * then starts a node, which migrates to the latest version, and reads that data through the
 * service.
 *
 * <p>On MariaDB the database gets the server's default collation, which ignores case, as a database
 * made by a plain {@code CREATE DATABASE tokenpool} (deploy/cluster.sh) has: V5's own binary
 * collation, not the database's, must keep ids that differ in case apart.
 */
class UserIdMigrationIT {

  private static final String LAST_VERSION_WITH_UUID_USER_IDS = "4";
  private static final int POOL_SIZE = 6;
  private static final Duration LIFETIME = Duration.ofMinutes(2);
  private static final Instant NOW = Instant.parse("2026-05-04T12:00:00Z");

  private static final UUID HELD_TOKEN = UUID.fromString("0b9d2f34-7c55-4c8e-9a1e-3f6d2c1b8a70");
  private static final UUID FREE_TOKEN = UUID.fromString("9e4a6c12-1d3b-4f7a-8c2e-5b0f7d9a3c61");
  private static final String HOLDER = "5d2f8c1a-3b4e-4a6f-9c7d-1e2b3a4c5d6e";
  private static final String FORMER_HOLDER = "c7e1a9b3-2d4f-4e8a-b6c0-9f1e2d3c4b5a";
  private static final Instant HELD_SINCE = NOW.minusSeconds(30);
  private static final Instant HELD_UNTIL = HELD_SINCE.plus(LIFETIME);

  /** The held usage is the second row written to the fresh database's usages. */
  private static final long HELD_FENCE = 2;

  private static final Instant FORMER_SINCE = NOW.minus(Duration.ofMinutes(10));
  private static final Instant FORMER_UNTIL = FORMER_SINCE.plus(LIFETIME);
  private static final Instant FORMER_RELEASED = FORMER_SINCE.plusSeconds(40);

  /** The kinds of database a node runs on. */
  enum Server {
    H2 {
      @Override
      TestDatabase newDatabase() {
        return TestDatabase.h2InMemory("user-ids");
      }

      @Override
      String migrations() {
        return DatabaseVendor.H2.migrationLocation();
      }
    },
    MARIADB {
      @Override
      TestDatabase newDatabase() {
        TestDatabase db = MariaDbServer.createDatabase("user_ids");
        try (Connection connection = db.connect();
            Statement statement = connection.createStatement()) {
          statement.execute(
              "ALTER DATABASE `"
                  + connection.getCatalog()
                  + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci");
        } catch (SQLException e) {
          db.close();
          throw new IllegalStateException("Could not give " + db.url() + " a collation", e);
        }
        return db;
      }

      @Override
      String migrations() {
        return DatabaseVendor.MARIADB.migrationLocation();
      }
    };

    abstract TestDatabase newDatabase();

    abstract String migrations();
  }

  private final MutableClock clock = new MutableClock(NOW);
  private TestDatabase db;
  private TokenPoolNode node;

  @AfterEach
  void stopNodeAndDropDatabase() {
    if (node != null) {
      node.close();
    }
    if (db != null) {
      db.close();
    }
  }

  @ParameterizedTest(name = "on {0}")
  @EnumSource(Server.class)
  void idsWrittenBeforeTheChangeReadBackUnchanged(Server server) throws SQLException {
    TokenService tokens = migratedFromUuidUserIds(server);

    assertThat(tokens.get(HELD_TOKEN).token())
        .isEqualTo(
            new TokenView(
                HELD_TOKEN, TokenState.ACTIVE, HOLDER, HELD_FENCE, HELD_SINCE, HELD_UNTIL));
    assertThat(tokens.get(HELD_TOKEN).usageCount()).isEqualTo(2);
    assertThat(UsageEntry.of(tokens.history(HELD_TOKEN, Long.MAX_VALUE, 10).page().items()))
        .containsExactly(
            new UsageEntry(HOLDER, HELD_SINCE, HELD_UNTIL, null, null),
            new UsageEntry(
                FORMER_HOLDER, FORMER_SINCE, FORMER_UNTIL, FORMER_RELEASED, EndReason.RELEASED));
    assertThat(
            tokens
                .history(HELD_TOKEN, Optional.of(FORMER_HOLDER), Long.MAX_VALUE, 10)
                .page()
                .items())
        .extracting(UsageView::userId)
        .containsExactly(FORMER_HOLDER);
    assertThat(tokens.get(FREE_TOKEN).token().state()).isEqualTo(TokenState.AVAILABLE);
    assertThat(tokens.holding(FORMER_HOLDER)).isEmpty();
    assertThat(pendingMigrations(server)).as("migrations left to apply").isZero();
    assertThat(userIdColumns())
        .containsExactlyInAnyOrder(
            "tokens.current_user_id VARCHAR(255)",
            "usages.user_id VARCHAR(255)",
            "usages.open_user_id VARCHAR(255)");
  }

  @ParameterizedTest(name = "on {0}")
  @EnumSource(Server.class)
  void aHoldingOpenedBeforeTheChangeIsStillItsHolders(Server server) {
    TokenService tokens = migratedFromUuidUserIds(server);

    assertThat(tokens.holding(HOLDER)).map(TokenView::tokenId).contains(HELD_TOKEN);
    Activation again = tokens.activate(HOLDER);
    assertThat(again)
        .isEqualTo(
            new Activation(
                HELD_TOKEN,
                HOLDER,
                HELD_FENCE,
                HELD_SINCE,
                HELD_UNTIL,
                HELD_SINCE.plus(tokens.leases().maxHold()),
                null));
    assertThat(tokens.get(HELD_TOKEN).usageCount()).as("no usage opened").isEqualTo(2);
    assertThatThrownBy(() -> tokens.release(HELD_TOKEN, Optional.of(FORMER_HOLDER)))
        .isInstanceOf(NotTheHolderException.class);
    assertThat(tokens.holding(HOLDER)).map(TokenView::tokenId).contains(HELD_TOKEN);

    ReleasedUsage released = tokens.release(HELD_TOKEN, Optional.of(HOLDER));

    assertThat(released)
        .isEqualTo(
            new ReleasedUsage(
                HELD_TOKEN, HOLDER, HELD_FENCE, HELD_SINCE, HELD_UNTIL, NOW, EndReason.RELEASED));
    assertThat(tokens.holding(HOLDER)).isEmpty();
    assertThat(tokens.get(HELD_TOKEN).token().state()).isEqualTo(TokenState.AVAILABLE);
  }

  @ParameterizedTest(name = "on {0}")
  @EnumSource(Server.class)
  void theDatabaseStillTiesAMigratedHolderToItsOpenUsage(Server server) {
    migratedFromUuidUserIds(server);

    assertThatThrownBy(
            () ->
                sql(
                    "INSERT INTO usages (token_id, user_id, started_at, expires_at,"
                        + " open_token_id, open_user_id, pool_id, open_pool_id)"
                        + " VALUES (?, ?, ?, ?, ?, ?, 1, 1)",
                    FREE_TOKEN.toString(),
                    HOLDER,
                    NOW.toEpochMilli(),
                    NOW.plus(LIFETIME).toEpochMilli(),
                    FREE_TOKEN.toString(),
                    HOLDER))
        .isInstanceOf(SQLException.class)
        .satisfies(
            e ->
                assertThat(e.getMessage().toLowerCase(Locale.ROOT))
                    .contains("uq_usages_open_user"));
    assertThatThrownBy(
            () ->
                sql(
                    "UPDATE tokens SET current_user_id = ? WHERE id = ?",
                    FORMER_HOLDER,
                    HELD_TOKEN.toString()))
        .isInstanceOf(SQLException.class)
        .satisfies(
            e ->
                assertThat(e.getMessage().toLowerCase(Locale.ROOT))
                    .contains("fk_tokens_current_usage"));
  }

  @ParameterizedTest(name = "on {0}")
  @EnumSource(Server.class)
  void idsThatAreNotUuidsFitOnceMigrated(Server server) {
    TokenService tokens = migratedFromUuidUserIds(server);
    String subject = "auth0|5f7c8ad2e1";
    String longest = "ø" + "a1B2c3D4e5".repeat(25) + "æøå|";
    assertThat(longest).hasSize(UserIds.MAX_LENGTH);

    Activation bySubject = tokens.activate(subject);
    Activation byLongest = tokens.activate(longest);
    Activation upper = tokens.activate("Alice");
    Activation lower = tokens.activate("alice");

    for (Activation activation : List.of(bySubject, byLongest, upper, lower)) {
      assertThat(activation.evictedUserId()).isNull();
      assertThat(tokens.get(activation.tokenId()).token().currentUserId())
          .isEqualTo(activation.userId());
      assertThat(tokens.holding(activation.userId()))
          .map(TokenView::tokenId)
          .contains(activation.tokenId());
      assertThat(
              UsageEntry.of(
                  tokens.history(activation.tokenId(), Long.MAX_VALUE, 10).page().items().get(0)))
          .isEqualTo(
              new UsageEntry(
                  activation.userId(), NOW, NOW.plus(tokens.tokenLifetime()), null, null));
    }
    assertThat(List.of(bySubject.userId(), byLongest.userId(), upper.userId(), lower.userId()))
        .containsExactly(subject, longest, "Alice", "alice");
    assertThat(
            List.of(
                HELD_TOKEN,
                bySubject.tokenId(),
                byLongest.tokenId(),
                upper.tokenId(),
                lower.tokenId()))
        .as("a token of each user's own")
        .doesNotHaveDuplicates();
    assertThat(tokens.activate("Alice")).isEqualTo(upper);
    assertThat(tokens.holding("ALICE")).isEmpty();
  }

  /**
   * A database as the UUID-only service left it, migrated since by a node that is now running.
   * Tokens 1 and 2 exist; token 1 is held by {@link #HOLDER} and was {@link #FORMER_HOLDER}'s
   * before; the node adds the rest of the pool.
   */
  private TokenService migratedFromUuidUserIds(Server server) {
    db = server.newDatabase();
    Flyway.configure(getClass().getClassLoader())
        .dataSource(db.url(), db.user(), db.password())
        .locations(server.migrations())
        .failOnMissingLocations(true)
        .target(LAST_VERSION_WITH_UUID_USER_IDS)
        .load()
        .migrate();
    try {
      writeWhatTheUuidOnlyServiceWrote();
    } catch (SQLException e) {
      throw new IllegalStateException("Could not write the V4 data", e);
    }
    TokenPoolConfig config =
        NodeSettings.on(db)
            .with(TokenPoolConfig.NODE_ID, "user-ids")
            .with(PoolSettings.POOL_SIZE, String.valueOf(POOL_SIZE))
            .with(PoolSettings.TOKEN_LIFETIME, LIFETIME.toString())
            .with(SchedulerSettings.SCHEDULER_ENABLED, "false")
            .config();
    node = TokenPoolNode.start(config, Database.open(config.database()), clock);
    return node.tokenService();
  }

  /** The rows V1 to V4 allow for a held token with history: usage first, then its holder. */
  private void writeWhatTheUuidOnlyServiceWrote() throws SQLException {
    sql("INSERT INTO tokens (id, slot) VALUES (?, ?)", HELD_TOKEN.toString(), 1);
    sql("INSERT INTO tokens (id, slot) VALUES (?, ?)", FREE_TOKEN.toString(), 2);
    sql(
        "INSERT INTO usages (token_id, user_id, started_at, expires_at, ended_at, end_reason)"
            + " VALUES (?, ?, ?, ?, ?, 'RELEASED')",
        HELD_TOKEN.toString(),
        FORMER_HOLDER,
        FORMER_SINCE.toEpochMilli(),
        FORMER_UNTIL.toEpochMilli(),
        FORMER_RELEASED.toEpochMilli());
    sql(
        "INSERT INTO usages (token_id, user_id, started_at, expires_at, open_token_id,"
            + " open_user_id) VALUES (?, ?, ?, ?, ?, ?)",
        HELD_TOKEN.toString(),
        HOLDER,
        HELD_SINCE.toEpochMilli(),
        HELD_UNTIL.toEpochMilli(),
        HELD_TOKEN.toString(),
        HOLDER);
    sql(
        "UPDATE tokens SET current_usage_id = (SELECT id FROM usages WHERE open_token_id = ?),"
            + " current_user_id = ?, activated_at = ?, expires_at = ? WHERE id = ?",
        HELD_TOKEN.toString(),
        HOLDER,
        HELD_SINCE.toEpochMilli(),
        HELD_UNTIL.toEpochMilli(),
        HELD_TOKEN.toString());
  }

  private int pendingMigrations(Server server) {
    return Flyway.configure(getClass().getClassLoader())
        .dataSource(db.url(), db.user(), db.password())
        .locations(server.migrations())
        .load()
        .info()
        .pending()
        .length;
  }

  /** Each user id column with its JDBC type and size, such as "usages.user_id VARCHAR(255)". */
  private List<String> userIdColumns() throws SQLException {
    List<String> columns = new ArrayList<>();
    try (Connection connection = db.connect()) {
      DatabaseMetaData metaData = connection.getMetaData();
      for (String column :
          List.of("tokens.current_user_id", "usages.user_id", "usages.open_user_id")) {
        String[] tableAndName = column.split("\\.");
        try (ResultSet rows =
            metaData.getColumns(
                connection.getCatalog(),
                connection.getSchema(),
                identifier(metaData, tableAndName[0]),
                identifier(metaData, tableAndName[1]))) {
          while (rows.next()) {
            columns.add(
                column
                    + " "
                    + JDBCType.valueOf(rows.getInt("DATA_TYPE"))
                    + "("
                    + rows.getInt("COLUMN_SIZE")
                    + ")");
          }
        }
      }
    }
    return columns;
  }

  /** A name as the database stores it: H2 upper-cases unquoted names. */
  private static String identifier(DatabaseMetaData metaData, String name) throws SQLException {
    return metaData.storesUpperCaseIdentifiers() ? name.toUpperCase(Locale.ROOT) : name;
  }

  /** Runs one statement directly over JDBC, bypassing the application. */
  private void sql(String statement, Object... parameters) throws SQLException {
    try (Connection connection = db.connect();
        PreparedStatement prepared = connection.prepareStatement(statement)) {
      for (int i = 0; i < parameters.length; i++) {
        prepared.setObject(i + 1, parameters[i]);
      }
      prepared.executeUpdate();
    }
  }
}
