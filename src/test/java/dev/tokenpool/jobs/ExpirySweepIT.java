package dev.tokenpool.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenpool.bootstrap.TokenPoolNode;
import dev.tokenpool.config.PoolSettings;
import dev.tokenpool.config.SchedulerSettings;
import dev.tokenpool.config.TokenPoolConfig;
import dev.tokenpool.persistence.Database;
import dev.tokenpool.testing.MariaDbServer;
import dev.tokenpool.testing.MutableClock;
import dev.tokenpool.testing.NodeSettings;
import dev.tokenpool.testing.TestDatabase;
import dev.tokenpool.tokens.Activation;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The expiry pass itself, on MariaDB, under a clock the test moves: which usages a pass ends, how
 * it ends them, and what its run records. No scheduler runs here (ExpireTokensJobIT covers the
 * schedule), so no wall-clock wait decides an outcome.
 */
class ExpirySweepIT {

  private static final Duration LIFETIME = Duration.ofMinutes(2);
  private static final int POOL_SIZE = 1_200; // more than two of the pass's 500-token batches

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
  private TestDatabase db;
  private TokenPoolNode node;

  @BeforeEach
  void startNode() {
    db = MariaDbServer.createDatabase("sweep");
    TokenPoolConfig config =
        NodeSettings.on(db)
            .with(TokenPoolConfig.NODE_ID, "sweep-node")
            .with(PoolSettings.POOL_SIZE, String.valueOf(POOL_SIZE))
            .with(PoolSettings.TOKEN_LIFETIME, LIFETIME.toString())
            .with(SchedulerSettings.SCHEDULER_ENABLED, "false")
            .config();
    node = TokenPoolNode.start(config, Database.open(config.database()), clock);
  }

  @AfterEach
  void stopNode() {
    node.close();
    db.close();
  }

  @Test
  void aPassEndsExactlyTheUsagesExpiredByNowAtTheirExpiryAndRecordsItsRun() throws Exception {
    Activation expiring = activate();
    clock.advance(Duration.ofSeconds(30));
    Activation fresh = activate();
    clock.advance(LIFETIME.minusSeconds(30)); // now == expiring's expiry: it has just expired

    int released = node.jobs().expiry().releaseExpiredNow();

    assertThat(released).isEqualTo(1);
    assertThat(usage(expiring.tokenId()))
        .isEqualTo(
            "EXPIRED " + expiring.expiresAt().toEpochMilli() + " " + latestRun().fireInstanceId());
    assertThat(usage(fresh.tokenId())).isEqualTo("open");
    JobRunView run = latestRun();
    assertThat(run.outcome()).isEqualTo(RunOutcome.SUCCESS);
    assertThat(run.released()).isEqualTo(1);
    assertThat(run.manual()).isTrue();
    assertThat(run.scheduledAt()).isNull();
    assertThat(run.nodeId()).isEqualTo("sweep-node");
    assertThat(run.startedAt()).isEqualTo(clock.instant());
  }

  @Test
  void aPassEndsNothingBeforeExpiryAndEachUsageOnlyOnce() throws Exception {
    Activation held = activate();
    clock.advance(LIFETIME.minusMillis(1));

    assertThat(node.jobs().expiry().releaseExpiredNow()).isZero();
    assertThat(usage(held.tokenId())).isEqualTo("open");

    clock.advance(Duration.ofMillis(1));
    assertThat(node.jobs().expiry().releaseExpiredNow()).isEqualTo(1);
    assertThat(node.jobs().expiry().releaseExpiredNow()).isZero();
    assertThat(runs()).extracting(JobRunView::released).containsExactly(0, 1, 0);
  }

  @Test
  void aPassOverSeveralBatchesCountsEveryUsageItEndedInItsRun() throws Exception {
    for (int i = 0; i < POOL_SIZE; i++) {
      activate();
    }
    clock.advance(LIFETIME);

    int released = node.jobs().expiry().releaseExpiredNow();

    assertThat(released).isEqualTo(POOL_SIZE);
    assertThat(latestRun().released()).isEqualTo(POOL_SIZE);
    assertThat(count("SELECT COUNT(*) FROM usages WHERE ended_by_run = ?", latestFire()))
        .isEqualTo(POOL_SIZE);
    assertThat(count("SELECT COUNT(*) FROM usages WHERE ended_at IS NULL", null)).isZero();
    assertThat(node.tokenService().counts().active()).isZero();
  }

  private Activation activate() {
    return node.tokenService().activate(UUID.randomUUID().toString());
  }

  /** The expiry job's runs, oldest first. */
  private List<JobRunView> runs() {
    List<JobRunView> newestFirst =
        node.jobs().history().latest(Optional.of(ExpireTokensJob.NAME), 100);
    List<JobRunView> oldestFirst = new ArrayList<>(newestFirst);
    Collections.reverse(oldestFirst);
    return oldestFirst;
  }

  private JobRunView latestRun() {
    return node.jobs().history().latest(Optional.of(ExpireTokensJob.NAME), 1).get(0);
  }

  private String latestFire() {
    return latestRun().fireInstanceId();
  }

  /** "open", or the end reason, end instant (epoch ms) and the run that ended it. */
  private String usage(UUID tokenId) throws SQLException {
    try (Connection connection = db.connect();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT end_reason, ended_at, ended_by_run FROM usages WHERE token_id = ?")) {
      select.setString(1, tokenId.toString());
      try (ResultSet row = select.executeQuery()) {
        assertThat(row.next()).as("a usage of " + tokenId).isTrue();
        String reason = row.getString(1);
        String result =
            reason == null ? "open" : reason + " " + row.getLong(2) + " " + row.getString(3);
        assertThat(row.next()).as("one usage of " + tokenId).isFalse();
        return result;
      }
    }
  }

  private long count(String sql, String parameter) throws SQLException {
    try (Connection connection = db.connect();
        PreparedStatement select = connection.prepareStatement(sql)) {
      if (parameter != null) {
        select.setString(1, parameter);
      }
      try (ResultSet row = select.executeQuery()) {
        row.next();
        return row.getLong(1);
      }
    }
  }
}
