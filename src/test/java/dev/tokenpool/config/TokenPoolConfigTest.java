package dev.tokenpool.config;

import static dev.tokenpool.config.DatabaseSettings.DATA_DIR;
import static dev.tokenpool.config.DatabaseSettings.DB_MAX_CONNECTIONS;
import static dev.tokenpool.config.DatabaseSettings.DB_PASSWORD;
import static dev.tokenpool.config.DatabaseSettings.DB_URL;
import static dev.tokenpool.config.DatabaseSettings.DB_USER;
import static dev.tokenpool.config.PoolSettings.POOL_SIZE;
import static dev.tokenpool.config.PoolSettings.REQUEST_DEADLINE;
import static dev.tokenpool.config.PoolSettings.TOKEN_LIFETIME;
import static dev.tokenpool.config.TokenPoolConfig.NODE_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class TokenPoolConfigTest {

  /** Given explicitly so that most tests skip the host name lookup behind the default node id. */
  private static final String TEST_NODE_ID = "test-node";

  private static final String PASSWORD = "Xq7-s3cr3t-Pa55w0rd";

  private static SettingSource sourceOf(Map<String, String> values) {
    return name -> Optional.ofNullable(values.get(name));
  }

  /** A config with a fixed node id plus the given name/value pairs. */
  private static TokenPoolConfig configWith(String... namesAndValues) {
    Map<String, String> values = new HashMap<>();
    values.put(NODE_ID, TEST_NODE_ID);
    for (int i = 0; i < namesAndValues.length; i += 2) {
      values.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return TokenPoolConfig.from(sourceOf(values));
  }

  private static void assertRejected(String setting, String value) {
    assertThatThrownBy(() -> configWith(setting, value))
        .isInstanceOfSatisfying(
            InvalidConfigurationException.class,
            e -> {
              assertThat(e.setting()).isEqualTo(setting);
              assertThat(e.getMessage()).contains(setting).contains("'" + value + "'");
            });
  }

  @Nested
  final class Secrets {

    @org.junit.jupiter.api.io.TempDir Path dir;

    @Test
    void readsEachPasswordFromTheFileItsFileVariantNames() throws Exception {
      Path db = java.nio.file.Files.writeString(dir.resolve("db"), "db-secret-value\n");
      Path admin = java.nio.file.Files.writeString(dir.resolve("admin"), PASSWORD + "\r\n");
      Path monitor = java.nio.file.Files.writeString(dir.resolve("monitor"), "monitor-" + PASSWORD);

      TokenPoolConfig config =
          configWith(
              DB_PASSWORD + "_FILE", db.toString(),
              OperatorLogins.ADMIN_PASSWORD + "_FILE", admin.toString(),
              OperatorLogins.MONITOR_PASSWORD + "_FILE", monitor.toString());

      assertThat(config.database().password()).contains("db-secret-value");
      assertThat(config.logins().adminPassword()).contains(PASSWORD);
      assertThat(config.logins().monitorPassword()).contains("monitor-" + PASSWORD);
    }

    @Test
    void refusesAPasswordSetBothDirectlyAndByFile() throws Exception {
      Path file = java.nio.file.Files.writeString(dir.resolve("admin"), PASSWORD);

      assertThatThrownBy(
              () ->
                  configWith(
                      OperatorLogins.ADMIN_PASSWORD,
                      PASSWORD,
                      OperatorLogins.ADMIN_PASSWORD + "_FILE",
                      file.toString()))
          .isInstanceOfSatisfying(
              InvalidConfigurationException.class,
              e -> assertThat(e.setting()).isEqualTo(OperatorLogins.ADMIN_PASSWORD + "_FILE"))
          .hasMessageContaining("not both");
    }

    @Test
    void namesAFileThatCannotBeRead() {
      Path missing = dir.resolve("missing");

      assertThatThrownBy(() -> configWith(DB_PASSWORD + "_FILE", missing.toString()))
          .isInstanceOf(InvalidConfigurationException.class)
          .hasMessageContaining(DB_PASSWORD + "_FILE")
          .hasMessageContaining(missing.toString());
    }
  }

  @Nested
  final class Defaults {

    @Test
    void givesTwoNodesOnOneHostDifferentDefaultIds() {
      String first = TokenPoolConfig.from(sourceOf(Map.of())).nodeId();
      String second = TokenPoolConfig.from(sourceOf(Map.of())).nodeId();

      assertThat(first).isNotEqualTo(second).matches("[A-Za-z0-9._-]{1,64}");
    }

    @Test
    void appliesEveryDefaultWhenNothingIsSet() {
      TokenPoolConfig config = TokenPoolConfig.from(sourceOf(Map.of()));

      assertThat(config.pool().size()).isEqualTo(100);
      assertThat(config.pool().tokenLifetime()).isEqualTo(Duration.parse("PT2M"));
      assertThat(config.database().dataDir()).isEqualTo(Path.of("data"));
      assertThat(config.database().url()).isEmpty();
      assertThat(config.database().user()).isEmpty();
      assertThat(config.database().password()).isEmpty();
      assertThat(config.database().maxConnections()).isEqualTo(10);
      assertThat(config.pool().requestDeadline()).isEqualTo(Duration.ofSeconds(5));
      assertThat(config.nodeId()).matches("[A-Za-z0-9._-]{1,64}");
    }

    @Test
    void exposesTheDefaultsAsConstants() {
      assertThat(PoolSettings.DEFAULT_POOL_SIZE).isEqualTo(100);
      assertThat(PoolSettings.DEFAULT_TOKEN_LIFETIME).isEqualTo(Duration.ofMinutes(2));
      assertThat(DatabaseSettings.DEFAULT_DATA_DIR).isEqualTo(Path.of("data"));
      assertThat(DatabaseSettings.DEFAULT_DB_MAX_CONNECTIONS).isEqualTo(10);
    }

    @Test
    void rejectsANullSource() {
      assertThatThrownBy(() -> TokenPoolConfig.from(null)).isInstanceOf(NullPointerException.class);
    }
  }

  @Nested
  final class Leases {

    @Test
    void defaultToOneSecondUpToTenLifetimesAndAnHoursHold() {
      PoolSettings pool = configWith().pool();
      assertThat(pool.leaseMin()).isEqualTo(Duration.ofSeconds(1));
      assertThat(pool.leaseMax()).isEqualTo(Duration.ofMinutes(20));
      assertThat(pool.maxHold()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void aLongLifetimeRaisesTheLongestLeaseAndHold() {
      PoolSettings pool = configWith(TOKEN_LIFETIME, "PT12H").pool();
      assertThat(pool.leaseMax()).isEqualTo(Duration.ofHours(120));
      assertThat(pool.maxHold()).isEqualTo(Duration.ofHours(120));
    }

    @Test
    void readsEachSetting() {
      PoolSettings pool =
          configWith(
                  PoolSettings.LEASE_MIN, "PT5S",
                  PoolSettings.LEASE_MAX, "PT10M",
                  PoolSettings.MAX_HOLD, "PT30M")
              .pool();
      assertThat(pool.leaseMin()).isEqualTo(Duration.ofSeconds(5));
      assertThat(pool.leaseMax()).isEqualTo(Duration.ofMinutes(10));
      assertThat(pool.maxHold()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void refusesARangeThatLeavesOutTheDefaultLeaseOrAHoldShorterThanALease() {
      assertRejected(PoolSettings.LEASE_MIN, "PT3M");
      assertRejected(PoolSettings.LEASE_MAX, "PT1M");
      assertRejected(PoolSettings.LEASE_MIN, "PT0.5S");
      assertThatThrownBy(
              () -> configWith(PoolSettings.LEASE_MAX, "PT30M", PoolSettings.MAX_HOLD, "PT20M"))
          .isInstanceOfSatisfying(
              InvalidConfigurationException.class,
              e -> assertThat(e.setting()).isEqualTo(PoolSettings.MAX_HOLD));
    }
  }

  @Nested
  final class Parsing {

    @ParameterizedTest
    @ValueSource(ints = {1, 250, 1_000_000})
    void readsThePoolSize(int size) {
      assertThat(configWith(POOL_SIZE, Integer.toString(size)).pool().size()).isEqualTo(size);
    }

    @ParameterizedTest
    @ValueSource(strings = {"PT1S", "PT30S", "PT2H", "P1D", "PT24H"})
    void readsTheTokenLifetime(String lifetime) {
      assertThat(configWith(TOKEN_LIFETIME, lifetime).pool().tokenLifetime())
          .isEqualTo(Duration.parse(lifetime));
    }

    @Test
    void readsTheDataSourcesJndiNameAndLeavesItUnsetByDefault() {
      assertThat(configWith().database().dataSourceJndi()).isEmpty();
      assertThat(
              configWith(DatabaseSettings.DATASOURCE_JNDI, "java:/jdbc/tokenpool")
                  .database()
                  .dataSourceJndi())
          .contains("java:/jdbc/tokenpool");
    }

    @Test
    void readsTheDataDirectory() {
      assertThat(configWith(DATA_DIR, "/var/lib/tokenpool").database().dataDir())
          .isEqualTo(Path.of("/var/lib/tokenpool"));
    }

    @Test
    void readsTheDatabaseUrlUserAndPassword() {
      TokenPoolConfig config =
          configWith(
              DB_URL, "jdbc:mysql://db.example:3306/tokenpool",
              DB_USER, "pool",
              DB_PASSWORD, PASSWORD);

      assertThat(config.database().url()).contains("jdbc:mysql://db.example:3306/tokenpool");
      assertThat(config.database().user()).contains("pool");
      assertThat(config.database().password()).contains(PASSWORD);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 25, 500})
    void readsTheMaximumNumberOfDatabaseConnections(int connections) {
      assertThat(
              configWith(DB_MAX_CONNECTIONS, Integer.toString(connections))
                  .database()
                  .maxConnections())
          .isEqualTo(connections);
    }

    @ParameterizedTest
    @ValueSource(strings = {"PT1S", "PT2.5S", "PT1M"})
    void readsTheRequestDeadline(String deadline) {
      assertThat(configWith(REQUEST_DEADLINE, deadline).pool().requestDeadline())
          .isEqualTo(Duration.parse(deadline));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "node-1", "Node_2.example", "0123456789"})
    void readsTheNodeId(String nodeId) {
      assertThat(configWith(NODE_ID, nodeId).nodeId()).isEqualTo(nodeId);
    }

    @Test
    void acceptsANodeIdOfSixtyFourCharacters() {
      String nodeId = "n".repeat(64);
      assertThat(configWith(NODE_ID, nodeId).nodeId()).isEqualTo(nodeId);
    }
  }

  @Nested
  final class Validation {

    @Test
    void rejectsAPoolSizeOfZero() {
      assertRejected(POOL_SIZE, "0");
    }

    @Test
    void rejectsANegativePoolSize() {
      assertRejected(POOL_SIZE, "-1");
    }

    @Test
    void rejectsAPoolSizeAboveOneMillion() {
      assertRejected(POOL_SIZE, "1000001");
    }

    @Test
    void rejectsAPoolSizeThatIsNotANumber() {
      assertRejected(POOL_SIZE, "abc");
    }

    @Test
    void rejectsALifetimeThatIsNotIsoEightySixOhOne() {
      assertRejected(TOKEN_LIFETIME, "2 minutes");
    }

    @Test
    void rejectsAZeroLifetime() {
      assertRejected(TOKEN_LIFETIME, "PT0S");
    }

    @Test
    void rejectsANegativeLifetime() {
      assertRejected(TOKEN_LIFETIME, "PT-1S");
    }

    @Test
    void rejectsALifetimeLongerThanADay() {
      assertRejected(TOKEN_LIFETIME, "P2D");
    }

    @Test
    void rejectsADatabaseUrlThatIsNotJdbc() {
      assertRejected(DB_URL, "mysql://x");
    }

    @Test
    void neverEchoesThePasswordOfAMalformedDatabaseUrl() {
      for (String url :
          new String[] {"mysql://tp:s3cret@db/pool", "db/pool?user=tp&password=s3cret"}) {
        assertThatThrownBy(() -> configWith(DB_URL, url))
            .isInstanceOf(InvalidConfigurationException.class)
            .hasMessageContaining(DB_URL)
            .hasMessageNotContaining("s3cret");
      }
    }

    @Test
    void refusesAJdbcUrlAsTheDataSourcesJndiName() {
      assertThatThrownBy(
              () ->
                  configWith(
                      DatabaseSettings.DATASOURCE_JNDI, "jdbc:mysql://db/pool?password=s3cret"))
          .isInstanceOf(InvalidConfigurationException.class)
          .hasMessageContaining(DatabaseSettings.DATASOURCE_JNDI)
          .hasMessageContaining("java:comp/env/jdbc/tokenpool")
          .hasMessageNotContaining("s3cret");
    }

    @Test
    void refusesAMariaDbUrlAndNamesTheMysqlForm() {
      assertThatThrownBy(() -> configWith(DB_URL, "jdbc:mariadb://db:3306/pool"))
          .isInstanceOf(InvalidConfigurationException.class)
          .hasMessageContaining(DB_URL)
          .hasMessageContaining("jdbc:mysql://");
    }

    @Test
    void rejectsANodeIdWithASpaceOrPunctuation() {
      assertRejected(NODE_ID, "bad id!");
    }

    @Test
    void rejectsANodeIdOfSixtyFiveCharacters() {
      assertRejected(NODE_ID, "n".repeat(65));
    }

    @Test
    void rejectsASingleDatabaseConnection() {
      assertRejected(DB_MAX_CONNECTIONS, "1");
    }

    @Test
    void rejectsMoreThanFiveHundredDatabaseConnections() {
      assertRejected(DB_MAX_CONNECTIONS, "501");
    }

    @ParameterizedTest
    @ValueSource(strings = {"PT0.5S", "PT61S", "5s"})
    void rejectsARequestDeadlineOutsideOneSecondToOneMinute(String deadline) {
      assertRejected(REQUEST_DEADLINE, deadline);
    }
  }

  @Nested
  final class Layering {

    @Test
    void letsTheFirstSourceThatDefinesASettingWin() {
      SettingSource layered =
          SettingSource.firstOf(sourceOf(Map.of(POOL_SIZE, "5")), sourceOf(Map.of(POOL_SIZE, "7")));

      assertThat(layered.find(POOL_SIZE)).contains("5");
    }

    @Test
    void fallsThroughToALowerSourceWhenTheUpperOneDoesNotDefineTheSetting() {
      SettingSource layered =
          SettingSource.firstOf(
              sourceOf(Map.of(DATA_DIR, "/tmp/x")), sourceOf(Map.of(POOL_SIZE, "7")));

      assertThat(layered.find(POOL_SIZE)).contains("7");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t \n"})
    void treatsABlankValueAsUnsetSoALowerLayerShowsThrough(String blank) {
      SettingSource layered =
          SettingSource.firstOf(
              sourceOf(Map.of(POOL_SIZE, blank)), sourceOf(Map.of(POOL_SIZE, "7")));

      assertThat(layered.find(POOL_SIZE)).contains("7");
    }

    @Test
    void reportsASettingThatOnlyBlankValuesDefineAsAbsent() {
      SettingSource layered =
          SettingSource.firstOf(sourceOf(Map.of(POOL_SIZE, "")), sourceOf(Map.of(POOL_SIZE, "  ")));

      assertThat(layered.find(POOL_SIZE)).isEmpty();
    }

    @Test
    void reportsASettingNoSourceDefinesAsAbsent() {
      assertThat(SettingSource.firstOf().find(POOL_SIZE)).isEmpty();
      assertThat(SettingSource.firstOf(sourceOf(Map.of())).find(POOL_SIZE)).isEmpty();
    }

    @Test
    void trimsTheValueItFinds() {
      SettingSource layered = SettingSource.firstOf(sourceOf(Map.of(POOL_SIZE, "  42 ")));

      assertThat(layered.find(POOL_SIZE)).contains("42");
    }

    @Test
    void buildsAConfigFromLayeredSources() {
      SettingSource layered =
          SettingSource.firstOf(
              sourceOf(Map.of(POOL_SIZE, "5", TOKEN_LIFETIME, " ", NODE_ID, TEST_NODE_ID)),
              sourceOf(Map.of(POOL_SIZE, "7", TOKEN_LIFETIME, "PT30S", DATA_DIR, "/srv/pool")));

      TokenPoolConfig config = TokenPoolConfig.from(layered);

      assertThat(config.pool().size()).isEqualTo(5);
      assertThat(config.pool().tokenLifetime()).isEqualTo(Duration.ofSeconds(30));
      assertThat(config.database().dataDir()).isEqualTo(Path.of("/srv/pool"));
      assertThat(config.database().url()).isEmpty();
    }

    @Test
    void doesNotLetAValidLowerLayerMaskAnInvalidUpperOne() {
      SettingSource layered =
          SettingSource.firstOf(
              sourceOf(Map.of(POOL_SIZE, "abc", NODE_ID, TEST_NODE_ID)),
              sourceOf(Map.of(POOL_SIZE, "7")));

      assertThatThrownBy(() -> TokenPoolConfig.from(layered))
          .isInstanceOfSatisfying(
              InvalidConfigurationException.class,
              e -> assertThat(e.setting()).isEqualTo(POOL_SIZE));
    }
  }

  @Nested
  final class Printing {

    @Test
    void neverPrintsThePasswordWithAnExternalDatabase() {
      TokenPoolConfig config =
          configWith(
              DB_URL, "jdbc:mysql://db.example:3306/tokenpool",
              DB_USER, "pool",
              DB_PASSWORD, PASSWORD);

      assertThat(config.toString())
          .doesNotContain(PASSWORD)
          .contains("jdbc:mysql://db.example:3306/tokenpool")
          .contains(TEST_NODE_ID);
    }

    @Test
    void neverPrintsThePasswordWithTheEmbeddedDatabase() {
      TokenPoolConfig config = configWith(DB_USER, "pool", DB_PASSWORD, PASSWORD);

      assertThat(config.toString()).doesNotContain(PASSWORD).contains("embedded H2");
    }
  }
}
