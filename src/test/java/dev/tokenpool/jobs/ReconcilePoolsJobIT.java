package dev.tokenpool.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenpool.bootstrap.TokenPoolNode;
import dev.tokenpool.config.DatabaseSettings;
import dev.tokenpool.config.PoolSettings;
import dev.tokenpool.config.SchedulerSettings;
import dev.tokenpool.config.TokenPoolConfig;
import dev.tokenpool.persistence.Database;
import dev.tokenpool.pools.PoolSpec;
import dev.tokenpool.testing.TestDatabase;
import dev.tokenpool.tokens.OnFull;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reconcile-pools job: a pool whose size was written but whose tokens were not brought to it
 * (its node died between the two) is brought to its size by the job's next run, on whatever node,
 * and a run with nothing to do counts nothing. The job is defined by its class alone ({@link
 * JobKind}), and the catalogue has it.
 */
class ReconcilePoolsJobIT {

  private TestDatabase db;
  private TokenPoolNode node;

  @BeforeEach
  void startANode() {
    db = TestDatabase.h2InMemory("reconcile");
    Map<String, String> settings = new HashMap<>();
    settings.put(DatabaseSettings.DB_URL, db.url());
    settings.put(DatabaseSettings.DB_USER, db.user());
    settings.put(DatabaseSettings.DB_PASSWORD, db.password());
    settings.put(PoolSettings.POOL_SIZE, "2");
    settings.put(TokenPoolConfig.NODE_ID, "reconcile");
    settings.put(SchedulerSettings.SCHEDULER_ENABLED, "false");
    TokenPoolConfig config = TokenPoolConfig.from(name -> Optional.ofNullable(settings.get(name)));
    node = TokenPoolNode.start(config, Database.open(config.database()), Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    node.close();
    db.close();
  }

  @Test
  void theCatalogueHasTheJobWithItsDefaultInterval() {
    JobDefinition job = node.jobs().catalogue().named(ReconcilePoolsJob.NAME);

    assertThat(job.interval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(job.description()).contains("resize");
  }

  @Test
  void aResizeCutShortIsFinishedByTheNextRun() throws SQLException {
    node.catalogue()
        .create(
            new PoolSpec(
                "cut",
                3,
                Duration.ofMinutes(2),
                Duration.ofMinutes(20),
                Duration.ofHours(1),
                OnFull.EVICT),
            "ops");
    // As a node that died after writing the sizes and before changing any token leaves them.
    sql("UPDATE pools SET size = 7 WHERE name = 'cut'");
    sql("UPDATE pools SET size = 1 WHERE name = 'default'");
    JobHandler handler = node.jobs().catalogue().named(ReconcilePoolsJob.NAME).handler();
    AtomicInteger counted = new AtomicInteger();

    handler.run("direct-test-1", counted::addAndGet);

    assertThat(counted.get()).isEqualTo(2);
    assertThat(live("cut")).isEqualTo(7);
    assertThat(live("default")).isEqualTo(1);
    handler.run("direct-test-2", counted::addAndGet);
    assertThat(counted.get()).isEqualTo(2);
  }

  @Test
  void aDrainCutShortIsFinishedByTheNextRun() throws SQLException {
    node.catalogue()
        .create(
            new PoolSpec(
                "gone",
                2,
                Duration.ofMinutes(2),
                Duration.ofMinutes(20),
                Duration.ofHours(1),
                OnFull.EVICT),
            "ops");
    node.pools().resolve("gone").tokens().activate("left-behind");
    // As a node that died between a drained delete's commit and its clear leaves the pool.
    sql(
        "UPDATE tokens SET live_pool_id = NULL WHERE pool_id ="
            + " (SELECT id FROM pools WHERE name = 'gone')");
    sql("UPDATE pools SET live_name = NULL, deleted_at = 1, set_by = 'ops' WHERE name = 'gone'");
    AtomicInteger counted = new AtomicInteger();

    node.jobs()
        .catalogue()
        .named(ReconcilePoolsJob.NAME)
        .handler()
        .run("direct-d", counted::addAndGet);

    assertThat(counted.get()).isEqualTo(1);
    assertThat(
            count(
                "SELECT COUNT(*) FROM usages WHERE user_id = 'left-behind'"
                    + " AND end_reason = 'CLEARED' AND ended_by = 'reconcile-pools'"))
        .isEqualTo(1);
  }

  private long count(String query) throws SQLException {
    try (Connection connection = db.connect();
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery(query)) {
      row.next();
      return row.getLong(1);
    }
  }

  private long live(String pool) throws SQLException {
    try (Connection connection = db.connect();
        Statement statement = connection.createStatement();
        ResultSet row =
            statement.executeQuery(
                "SELECT COUNT(*) FROM tokens t JOIN pools p ON p.id = t.live_pool_id"
                    + " WHERE p.name = '"
                    + pool
                    + "'")) {
      row.next();
      return row.getLong(1);
    }
  }

  private void sql(String statement) throws SQLException {
    try (Connection connection = db.connect();
        Statement run = connection.createStatement()) {
      run.execute(statement);
    }
  }
}
