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
import dev.tokenpool.tokens.Activation;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The expiry job end to end on MariaDB, run by the scheduler with short settings (lifetime 2 s,
 * interval 1 s): expired usages are ended by a recorded scheduled run, unexpired ones are left
 * alone. What a pass ends, and how, is tested under a settable clock in {@link ExpirySweepIT}.
 */
class ExpireTokensJobIT {

  private TestDatabase db;
  private TokenPoolConfig config;
  private TokenPoolNode node;

  @BeforeEach
  void startNode() {
    db = MariaDbServer.createDatabase("expiry");
    config =
        NodeSettings.on(db)
            .with(TokenPoolConfig.NODE_ID, "expiry-node")
            .with(PoolSettings.POOL_SIZE, "10")
            .with(PoolSettings.TOKEN_LIFETIME, "PT2S")
            .with(SchedulerSettings.EXPIRY_INTERVAL, "PT1S")
            .config();
    node = TokenPoolNode.start(config, Database.open(config.database()), Clock.systemUTC());
  }

  @AfterEach
  void stopNode() {
    node.close();
    db.close();
  }

  @Test
  void theJobEndsAnExpiredUsageWithinOneIntervalAndLeavesFreshOnesAlone() throws Exception {
    Activation expiring = node.tokenService().activate(UUID.randomUUID().toString());

    await()
        .atMost(Duration.ofSeconds(2 + 1 + 3))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> endedByRun(expiring.tokenId()) != null);
    Activation fresh = node.tokenService().activate(UUID.randomUUID().toString());

    String run = endedByRun(expiring.tokenId());
    assertThat(
            scalar("SELECT end_reason FROM usages WHERE token_id = '" + expiring.tokenId() + "'"))
        .isEqualTo("EXPIRED");
    assertThat(scalar("SELECT ended_at FROM usages WHERE token_id = '" + expiring.tokenId() + "'"))
        .isEqualTo(String.valueOf(expiring.expiresAt().toEpochMilli()));
    assertThat(
            scalar(
                "SELECT COUNT(*) FROM usages WHERE ended_at IS NULL AND token_id = '"
                    + fresh.tokenId()
                    + "'"))
        .isEqualTo("1");
    List<JobRunView> runs = node.jobs().history().latest(Optional.of(ExpireTokensJob.NAME), 100);
    JobRunView releasing =
        runs.stream().filter(r -> r.fireInstanceId().equals(run)).findFirst().orElseThrow();
    assertThat(releasing.released()).isEqualTo(1);
    assertThat(releasing.nodeId()).isEqualTo("expiry-node");
    assertThat(releasing.manual()).isFalse();
    // No usage is ever ended by a run before it expired. The pass reads its clock after the run's
    // start is recorded, so a usage may expire between the two: the bound is the run's end.
    assertThat(
            scalar(
                "SELECT COUNT(*) FROM usages u JOIN job_runs r ON r.fire_instance_id = u.ended_by_run"
                    + " WHERE u.expires_at > r.finished_at"))
        .isEqualTo("0");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                node.jobs().history().latest(Optional.of(ExpireTokensJob.NAME), 100).stream()
                        .filter(r -> r.outcome() == RunOutcome.SUCCESS)
                        .count()
                    >= 3);
  }

  @Test
  void aNodeRegistersItsMBeansOnStartAndRemovesThemWhenItStops() throws Exception {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    ObjectName ours = new ObjectName("dev.tokenpool:node=expiry-node,*");
    ObjectName quartz = new ObjectName("quartz:type=QuartzScheduler,instance=expiry-node,*");
    List<String> expected = new ArrayList<>(List.of("Pool", "Pools", "ApiKeys"));
    node.jobs().catalogue().all().forEach(job -> expected.add("Job"));
    assertThat(server.queryNames(ours, null))
        .extracting(name -> name.getKeyProperty("type"))
        .containsExactlyInAnyOrderElementsOf(expected);
    assertThat(server.queryNames(quartz, null)).hasSize(1);

    node.close();

    assertThat(server.queryNames(ours, null)).isEmpty();
    assertThat(server.queryNames(quartz, null)).isEmpty();
    node =
        TokenPoolNode.start(
            config, Database.open(config.database()), Clock.systemUTC()); // for stopNode()
    assertThat(server.queryNames(ours, null))
        .as("the default pool, the pools, the API keys and one per job")
        .hasSize(3 + node.jobs().catalogue().all().size());
  }

  private String endedByRun(UUID tokenId) throws SQLException {
    return scalar(
        "SELECT ended_by_run FROM usages WHERE token_id = '" + tokenId + "' ORDER BY id LIMIT 1");
  }

  private String scalar(String sql) throws SQLException {
    try (Connection connection = db.connect();
        ResultSet rows = connection.createStatement().executeQuery(sql)) {
      return rows.next() ? rows.getString(1) : null;
    }
  }
}
