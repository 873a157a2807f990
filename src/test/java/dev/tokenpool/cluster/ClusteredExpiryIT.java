package dev.tokenpool.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tokenpool.bootstrap.TokenPoolNode;
import dev.tokenpool.config.PoolSettings;
import dev.tokenpool.config.SchedulerSettings;
import dev.tokenpool.jobs.ExpireTokensJob;
import dev.tokenpool.testing.RunHistory.Run;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Three scheduler instances (one here, two in forked JVMs) on one MariaDB database, for 30+ fires
 * of a 2 s expiry job under a steady activation load: every fire runs on exactly one node, every
 * usage ends once, the runs' counts add up, and nothing stays open past expiry plus an interval.
 */
class ClusteredExpiryIT {

  private static final int FIRES = 31;
  private static final long SLACK_MILLIS = 4_000; // interval 2 s, plus a run's own time

  @Test
  void everyFireRunsOnOneNodeAndEveryExpiredUsageEndsOnce() throws Exception {
    try (ClusterFixture cluster =
        new ClusterFixture(
            "cluster",
            s ->
                s.with(PoolSettings.POOL_SIZE, "200")
                    .with(PoolSettings.TOKEN_LIFETIME, "PT2S")
                    .with(SchedulerSettings.EXPIRY_INTERVAL, "PT2S")
                    .with(SchedulerSettings.CLUSTER_CHECKIN_INTERVAL, "PT1S"))) {
      TokenPoolNode local = cluster.local(ClusterFixture.uniqueId("local"), true);
      cluster.forked(ClusterFixture.uniqueId("forked-a"), ClusterFixture.uniqueId("forked-b"));
      long loadStarted = System.currentTimeMillis();
      cluster.startLoad(local, 4, 50);

      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(
              () -> {
                // Sampled throughout: nothing stays open past expiry plus an interval (and slack).
                assertThat(
                        cluster.history.openAndExpiredBefore(
                            System.currentTimeMillis() - SLACK_MILLIS))
                    .isZero();
                assertThat(runsSince(cluster, loadStarted)).hasSizeGreaterThanOrEqualTo(FIRES);
              });
      cluster.stopLoad();
      long loadStopped = System.currentTimeMillis();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> cluster.history.openAndExpiredBefore(loadStopped) == 0);

      List<Run> runs = cluster.history.runs(ExpireTokensJob.NAME);
      assertThat(runs)
          .allSatisfy(run -> assertThat(run.outcome()).as(run.toString()).isEqualTo("SUCCESS"));
      Map<Long, Long> runsPerScheduledFire =
          runs.stream()
              .filter(run -> !run.recovering() && !run.manual())
              .collect(Collectors.groupingBy(Run::scheduledAt, Collectors.counting()));
      assertThat(runsPerScheduledFire)
          .allSatisfy((fire, count) -> assertThat(count).as("fire at %d", fire).isEqualTo(1));
      Map<String, Long> perNode =
          runs.stream().collect(Collectors.groupingBy(Run::nodeId, Collectors.counting()));
      System.out.println("Expiry runs per node: " + perNode);
      assertThat(perNode).as("nodes that ran fires").hasSizeGreaterThanOrEqualTo(2);
      assertThat(cluster.history.releasedByRuns()).isEqualTo(cluster.history.endedByRuns());
      assertThat(cluster.history.endedByRuns()).isPositive();
    }
  }

  private static List<Run> runsSince(ClusterFixture cluster, long since) throws Exception {
    return cluster.history.runs(ExpireTokensJob.NAME).stream()
        .filter(run -> run.firedAt() >= since)
        .collect(Collectors.toList());
  }
}
