package dev.tokenpool.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tokenpool.bootstrap.TokenPoolNode;
import dev.tokenpool.config.PoolSettings;
import dev.tokenpool.config.SchedulerSettings;
import dev.tokenpool.config.TokenPoolConfig;
import dev.tokenpool.persistence.Database;
import dev.tokenpool.testing.MariaDbServer;
import dev.tokenpool.testing.NodeSettings;
import dev.tokenpool.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which running runs are closed as abandoned, and which are not: a direct pass of an API-only node
 * (which never checks in to the cluster) is left alone by the scheduled runs; one that its node
 * left behind when it stopped is closed when that node starts again.
 */
class AbandonedRunsIT {

  private TestDatabase db;

  @BeforeEach
  void createDatabase() {
    db = MariaDbServer.createDatabase("abandoned");
  }

  @AfterEach
  void dropDatabase() {
    db.close();
  }

  private TokenPoolNode start(String nodeId, boolean scheduler) {
    TokenPoolConfig config =
        NodeSettings.on(db)
            .with(TokenPoolConfig.NODE_ID, nodeId)
            .with(PoolSettings.POOL_SIZE, "5")
            .with(SchedulerSettings.EXPIRY_INTERVAL, "PT1S")
            .with(SchedulerSettings.SCHEDULER_ENABLED, String.valueOf(scheduler))
            .config();
    return TokenPoolNode.start(config, Database.open(config.database()), Clock.systemUTC());
  }

  /** A direct run that is RUNNING, as a node leaves it while it is busy with the pass. */
  private void runningDirectRun(String fire, String nodeId) throws SQLException {
    long now = System.currentTimeMillis();
    try (Connection connection = db.connect();
        PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO job_runs (job_name, fire_instance_id, node_id, fired_at, started_at,"
                    + " outcome, released, manual, recovering)"
                    + " VALUES ('expire-tokens', ?, ?, ?, ?, 'RUNNING', 0, TRUE, FALSE)")) {
      insert.setString(1, fire);
      insert.setString(2, nodeId);
      insert.setLong(3, now);
      insert.setLong(4, now);
      insert.executeUpdate();
    }
  }

  private String outcome(String fire) throws SQLException {
    try (Connection connection = db.connect();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT outcome, error FROM job_runs WHERE fire_instance_id = ?")) {
      select.setString(1, fire);
      try (ResultSet row = select.executeQuery()) {
        row.next();
        return row.getString(1) + (row.getString(2) == null ? "" : ": " + row.getString(2));
      }
    }
  }

  private long scheduledRuns() throws SQLException {
    try (Connection connection = db.connect();
        ResultSet row =
            connection
                .createStatement()
                .executeQuery("SELECT COUNT(*) FROM job_runs WHERE manual = FALSE")) {
      row.next();
      return row.getLong(1);
    }
  }

  @Test
  void aDirectRunOfAnApiOnlyNodeIsNotDeclaredAbandonedByScheduledRuns() throws Exception {
    try (TokenPoolNode api = start("api-only", false)) {
      runningDirectRun("direct-still-busy", "api-only");
      try (TokenPoolNode scheduler = start("scheduler", true)) {
        await().atMost(Duration.ofSeconds(15)).until(() -> scheduledRuns() >= 3);

        assertThat(outcome("direct-still-busy")).isEqualTo("RUNNING");
        assertThat(api.jobs().platform().running()).isFalse();
        assertThat(scheduler.jobs().platform().running()).isTrue();
      }
    }
  }

  @Test
  void aDirectRunItsNodeLeftBehindIsClosedWhenThatNodeStartsAgain() throws Exception {
    start("restarting", false).close();
    runningDirectRun("direct-left-behind", "restarting");

    try (TokenPoolNode again = start("restarting", false)) {
      assertThat(again.config().nodeId()).isEqualTo("restarting");
      assertThat(outcome("direct-left-behind"))
          .startsWith("FAILED: abandoned: node restarting restarted before the run finished");
    }
  }
}
